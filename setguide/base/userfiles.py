"""The user's own files: TOML in the user config folder, read strictly, written atomically.

The folder is `SETGUIDE_CONFIG_DIR` when set, else the platform's user config
folder for setguide. What a user recorded must survive anything: a write goes to
a temporary file in the same folder, is flushed to disk, then renamed over the
old file (a crash leaves the old file or the new one, never half of one). A file
that does not parse is reported, naming it, and is never overwritten: every write
first reads the current file, so a corrupt one stops the write too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from setguide.base.errors import DataError, SetguideError

ENV = "SETGUIDE_CONFIG_DIR"


def config_dir() -> Path:
    override = os.environ.get(ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("setguide"))


def user_path(name: str) -> Path:
    return config_dir() / name


def read_user_toml(name: str) -> dict[str, Any]:
    """The parsed file, or an empty table when it does not exist yet."""
    path = user_path(name)
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # nothing recorded yet; a write will say what is wrong
        return {}
    except IsADirectoryError:
        raise DataError(str(path), "(file)", "is a folder, not a file") from None
    except OSError as exc:
        raise DataError(str(path), "(file)", f"cannot be read: {exc.strerror or exc}") from None
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        error = DataError(str(path), "(syntax)", f"not valid TOML: {exc}")
        error.hint = "setguide will not overwrite it. Fix it in a text editor, or move it aside to start afresh."
        raise error from None


def write_user_toml(name: str, doc: dict[str, Any], header: str = "") -> Path:
    """Write `doc` as TOML (tomli-w), atomically; `header` is prepended as comment lines."""
    import tomli_w

    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    text = comments + ("\n" if comments else "") + tomli_w.dumps(doc)
    path = user_path(name)
    atomic_write(path, text.encode("utf-8"))
    return path


def atomic_write(path: Path, content: bytes) -> None:
    """Replace `path` with `content` in one rename; a clear error (exit 1) if the folder is not writable."""
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise _cannot_write(path, OSError(f"{folder} is a file, not a folder"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if path.is_dir():
        raise SetguideError(f"cannot write {path}: it is a folder")
    import tempfile

    fd, tmp = -1, None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:  # keep the old file's permissions; a new one stays private to the user (0600)
            os.chmod(tmp, path.stat().st_mode & 0o777)
        except FileNotFoundError:
            pass
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _cannot_write(path: Path, exc: OSError) -> SetguideError:
    reason = exc.strerror or str(exc)
    return SetguideError(
        f"cannot write {path}: {reason}",
        f"nothing was changed. Check the folder's permissions, or set {ENV} to a folder you can write.",
    )
