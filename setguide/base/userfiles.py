"""The user's own files: TOML in the user config folder, read strictly, written atomically.

The folder is `SETGUIDE_CONFIG_DIR` when set, else the platform's user config
folder for setguide. What a user recorded must survive anything: a write goes to
a temporary file in the same folder, is flushed to disk, then renamed over the
old file (a crash leaves the old file or the new one, never half of one). A file
that does not parse is reported, naming it, and is never overwritten: every write
first reads the current file, so a corrupt one stops the write too.

Two setguide commands run at once must not lose each other's entries: every
read-modify-write holds a lock (a `.NAME.lock` file beside the file) from the
read to the rename. A file is read only if it is a regular file of sensible size:
a FIFO would block the read for ever, and a link to /dev/zero would fill memory,
both before a single question is answered.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from setguide.base.errors import DataError, SetguideError, UsageError
from setguide.base.text import one_line, shell_arg

ENV = "SETGUIDE_CONFIG_DIR"
# The largest user file setguide reads: hundreds of times what a year of corrections and
# meeting dates takes, and small enough to parse in a moment.
MAX_BYTES = 1024 * 1024
# How long a command waits for another setguide to finish writing the same file.
LOCK_TIMEOUT = 10.0

T = TypeVar("T")


def config_dir() -> Path:
    override = os.environ.get(ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("setguide"))


def user_path(name: str) -> Path:
    return config_dir() / name


def foreign(st: os.stat_result) -> str | None:
    """Why someone other than this user could change the file or folder `st`
    describes, or None when only the user can. A group-writable file is fine when the
    group is the user's own (the usual umask 002 of a private group)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owner bits; the folder is under the user's own profile
        return None
    if st.st_uid != getuid():
        return "it belongs to another user"
    if st.st_mode & stat.S_IWOTH:
        return "any user can change it"
    if st.st_mode & stat.S_IWGRP and st.st_gid != os.getgid():
        return "another group can change it"
    return None


def read_user_toml(name: str, private: bool = False) -> dict[str, Any]:
    """The parsed file, or an empty table when it does not exist yet.

    `private`: refuse a file that another user could have changed (the corrections,
    which change the numbers shown)."""
    path = user_path(name)
    raw = read_user_bytes(path, private)
    if raw is None:
        return {}
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8-sig"))  # a BOM, as Windows editors write, is not an error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, MemoryError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError | MemoryError) else str(exc)
        error = DataError(str(path), "(syntax)", f"not valid TOML: {reason}")
        error.hint = "setguide will not overwrite it. Fix it in a text editor, or move it aside to start afresh."
        raise error from None


def read_user_bytes(path: Path, private: bool = False, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes; None when there is none."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: opening a FIFO must not wait for a writer
    except (FileNotFoundError, NotADirectoryError):  # nothing recorded yet; a write will say what is wrong
        return None
    except IsADirectoryError:
        raise DataError(str(path), "(file)", "is a folder, not a file") from None
    except OSError as exc:
        raise DataError(str(path), "(file)", f"cannot be read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DataError(str(path), "(file)", "is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise DataError(str(path), "(file)", "is not a regular file (a device, a pipe or a socket)")
        if st.st_size > limit:
            raise DataError(str(path), "(file)", f"is larger than setguide reads ({limit // 1024} KiB)")
        why = foreign(st) if private else None
        if why:
            error = DataError(str(path), "(file)", f"not trusted: {why}")
            error.hint = f"if it is yours and as you left it, make it private: chmod 600 {shell_arg(str(path))}"
            raise error
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while read
            raise DataError(str(path), "(file)", f"is larger than setguide reads ({limit // 1024} KiB)")
        return b"".join(chunks)
    except BlockingIOError:
        raise DataError(str(path), "(file)", "cannot be read now (it is locked or not a regular file)") from None
    except OSError as exc:
        raise DataError(str(path), "(file)", f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


_held: set[str] = set()


@contextmanager
def locked(name: str) -> Iterator[None]:
    """Hold the lock of a user file from its read to its write. Re-entrant in one process."""
    folder = config_dir()
    key = str(folder / name)
    if key in _held:
        yield
        return
    _make_folder(folder, folder / name)
    import tomllib  # noqa: F401 - imported before the lock is taken, so it is held for the read and write only

    import tomli_w  # noqa: F401
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / f".{name}.lock"), timeout=LOCK_TIMEOUT, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise SetguideError(
            f"{folder / name} is being changed by another setguide command; nothing was changed",
            f"try again in a moment. If no other setguide is running, delete {folder / ('.' + name + '.lock')}",
        ) from None
    except OSError as exc:
        raise _cannot_write(folder / name, exc) from None
    _held.add(key)
    try:
        yield
    finally:
        _held.discard(key)
        try:
            lock.release()
        except OSError:
            pass


def update_user_toml(
    name: str, change: Callable[[dict[str, Any]], T], header: str = "", private: bool = False
) -> tuple[T, Path]:
    """Read the file, let `change` edit the table in place, write it back: all under the
    file's lock, so two commands at once each see the other's entries."""
    with locked(name):
        doc = read_user_toml(name, private)
        result = change(doc)
        return result, write_user_toml(name, doc, header)


def write_user_toml(name: str, doc: dict[str, Any], header: str = "") -> Path:
    """Write `doc` as TOML (tomli-w), atomically; `header` is prepended as comment lines."""
    import tomli_w

    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    text = comments + ("\n" if comments else "") + tomli_w.dumps(doc)
    path = user_path(name)
    with locked(name):
        if path.is_symlink():  # a config file kept elsewhere (dotfiles): write the file, keep the link
            path = Path(os.path.realpath(path))
        return atomic_write(path, text.encode("utf-8"), clean_stale=True)


def _make_folder(folder: Path, path: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise _cannot_write(path, OSError(f"{folder} is a file, not a folder"))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def check_export_target(path: Path, force: bool, example: str) -> None:
    """A file setguide exports to (a calendar, a desk card), checked before any work: never
    over an existing file unless `force`, and never over a link, a folder, a device or a pipe
    (a write through a link lands elsewhere; a FIFO would hang; as root, a device would be
    replaced). `example` is a file name to suggest."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise SetguideError(f"cannot write {one_line(str(path), None)}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise SetguideError(
            f"cannot write {one_line(str(path), None)}: it is a folder", f"give a file name, e.g. {example}"
        )
    if not stat.S_ISREG(st.st_mode):
        raise SetguideError(
            f"not written: {one_line(str(path), None)} is a link, a device or a pipe, which setguide never replaces",
            "give the name of a new file, or - for standard output",
        )
    if not force:
        raise UsageError(
            f"not written: {one_line(str(path), None)} already exists", "give --force to replace it, or a new file name"
        )


def atomic_write(
    path: Path,
    content: bytes,
    clean_stale: bool = False,
    *,
    shared: bool = False,
    make_folder: bool = True,
    hint: str | None = None,
    recheck: Callable[[], object] | None = None,
) -> Path:
    """Replace `path` with `content` in one rename: a temporary file beside it, flushed to
    disk, then renamed over it (a full disk or a killed write leaves the old file whole).
    A clear error (exit 1) if it cannot be written. Returns the path as it really is
    (`shown_path`), to be shown.

    `clean_stale`: the caller holds the file's lock, so any temporary file of it left in
    the folder is from a write that was killed, and is removed.
    `shared`: a new file is readable by others as the umask allows (a desk card); else a
    new file stays 0600 (the user's own records). A replaced file keeps its mode, never
    writable by others unless `shared`.
    `make_folder`: create missing folders (0700); else a missing folder is an error.
    `hint`: what the error says was left as it was. `recheck`: called just before the
    rename, to find anything that took the file's place meanwhile (a link, a pipe)."""
    folder = path.parent
    if make_folder:
        _make_folder(folder, path)
    if path.is_dir():
        raise SetguideError(f"cannot write {one_line(str(path), None)}: it is a folder")
    import tempfile

    fd, tmp = -1, None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if recheck is not None:
            recheck()
        os.chmod(tmp, _mode_for(path, shared))
        _replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _cannot_write(path, exc, hint) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    if clean_stale:
        for stale in folder.glob(f".{path.name}.*.tmp"):
            try:
                stale.unlink()
            except OSError:
                pass
    return shown_path(path)


def _mode_for(path: Path, shared: bool) -> int:
    try:
        return path.stat().st_mode & (0o777 if shared else 0o755)
    except FileNotFoundError:
        if not shared:
            return 0o600
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# How long a replace waits for another program to let go of the file (Windows refuses to
# replace a file that a PDF reader, a mail program or a virus scan has open).
REPLACE_TRIES = 10
REPLACE_WAIT = 0.1


class HeldOpen(PermissionError):
    """The file is open in another program, which holds it (Windows)."""


def _replace(tmp: str, path: Path) -> None:
    import time

    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(tmp, path)
            return
        except PermissionError as exc:
            if os.name != "nt":  # elsewhere a refused rename is the folder's permissions
                raise
            if attempt == REPLACE_TRIES - 1:
                raise HeldOpen(exc.errno, exc.strerror) from None
            time.sleep(REPLACE_WAIT)


def same_path(a: str, b: str) -> bool:
    """Whether two paths a user gave name one file: `~` expanded, links resolved, and on
    Windows, whose file names ignore case, any case."""

    def norm(path: str) -> str:
        real = os.path.realpath(os.path.expanduser(path))
        return real.casefold() if os.name == "nt" else real

    return norm(a) == norm(b)


def shown_path(path: Path | str) -> Path:
    """A path as it really is, to show after a write: links resolved, and on Windows the
    folder Python from the Microsoft Store redirects AppData writes to (the path Explorer
    finds)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(path)


def _cannot_write(path: Path, exc: OSError, hint: str | None = None) -> SetguideError:
    if isinstance(exc, HeldOpen):
        return SetguideError(
            f"cannot replace {path}: it is open in another program",
            f"close it in the program that holds it (a PDF reader, a mail program), then try again. "
            f"{hint or 'Nothing was changed.'}",
        )
    reason = exc.strerror or str(exc)
    return SetguideError(
        f"cannot write {one_line(str(path), None)}: {reason}",
        hint or f"nothing was changed. Check the folder's permissions, or set {ENV} to a folder you can write.",
    )
