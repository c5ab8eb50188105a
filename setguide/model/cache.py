"""Reading the packaged TOML files, through a parse cache.

Parsing TOML is most of setguide's start-up time, so each parsed table is kept
in the user cache folder under a digest of the file's bytes: any change to the
file, or another Python, is another digest and a fresh parse.

A cache entry is trusted only as far as the folder holding it: anyone who could
write there could plant an entry that shows a false number. So the cache is used
only when the folder is the user's own and nobody else may write it, and each
entry is the user's own regular file; otherwise the file is parsed afresh. The
entries are JSON, which can only ever rebuild plain values (marshal, which was
used before, is documented as unsafe for untrusted data). JSON costs nothing to
import here (setguide's output already imports it) and reads these files in about
the same time as marshal did.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from setguide.base.errors import DataError

SUFFIX = ".json"
FORMAT = 1  # bump when the layout of an entry changes: old entries then miss
_bypass = False


@contextmanager
def fresh() -> Iterator[None]:
    """Within this, every file is parsed from its bytes: `data verify` must check the
    packaged files themselves, not what a cache folder says they hold."""
    global _bypass
    before, _bypass = _bypass, True
    try:
        yield
    finally:
        _bypass = before


def read_toml(path: Path) -> dict[str, Any]:
    """One data file, parsed (from the cache when a trusted entry for these bytes exists)."""
    blob = _read_bytes(path)
    if _bypass:
        return _parse(path, blob)
    digest = _digest(blob)
    cached = _cache_get(path.stem, digest)
    if cached is not None:
        return cached
    doc = _parse(path, blob)
    _cache_put(path.stem, digest, doc)
    return doc


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(str(path), "(file)", "not found") from None
    except OSError as exc:
        raise DataError(str(path), "(file)", f"cannot be read: {exc.strerror or exc}") from None


def _parse(path: Path, blob: bytes) -> dict[str, Any]:
    import tomllib  # only on a cache miss

    try:
        return tomllib.loads(blob.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(str(path), "(syntax)", str(exc)) from None
    except UnicodeDecodeError as exc:
        raise DataError(str(path), "(file)", f"cannot be read: {exc}") from None
    except RecursionError:
        raise DataError(str(path), "(syntax)", "nested too deeply") from None


def _digest(blob: bytes) -> str:
    try:
        from _blake2 import blake2b  # hashlib's own implementation, without hashlib's OpenSSL import
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b
    h = blake2b(digest_size=16)
    h.update(f"{sys.version_info[:2]} json {FORMAT}\0".encode())
    h.update(blob)
    return h.hexdigest()


def cache_dir() -> Path | None:
    override = os.environ.get("SETGUIDE_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None  # set but empty: no cache
    import platformdirs

    return Path(platformdirs.user_cache_dir("setguide"))


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    from setguide.base.userfiles import foreign

    return foreign(st) is None


def _trusted_folder(folder: Path) -> bool:
    try:
        st = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _private(st)


def _cache_get(stem: str, digest: str) -> dict[str, Any] | None:
    folder = cache_dir()
    if folder is None or not _trusted_folder(folder):
        return None
    path = folder / f"{stem}-{digest}{SUFFIX}"
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        )
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > 16 * 1024 * 1024:
            return None
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            blob = fh.read()
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    import json

    try:
        value = json.loads(blob)
    except (ValueError, RecursionError):
        return None
    return _from_cache(value)


def _cache_put(stem: str, digest: str, doc: dict[str, Any]) -> None:
    """Best effort: a folder that cannot be written only means the next start parses again."""
    folder = cache_dir()
    if folder is None:
        return
    import json

    from setguide.base.errors import SetguideError
    from setguide.base.userfiles import atomic_write

    name = f"{stem}-{digest}{SUFFIX}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted_folder(folder):
            return  # an entry written here could be replaced by someone else before it is read
        blob = json.dumps(_to_cache(doc), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write(folder / name, blob, make_folder=False)  # the one atomic writer
        for old in folder.glob(f"{stem}-*"):
            if old.name != name and old.suffix in (SUFFIX, ".marshal"):
                old.unlink(missing_ok=True)
    except (OSError, ValueError, TypeError, RecursionError, SetguideError):
        pass


def _to_cache(doc: dict[str, Any]) -> list[Any]:
    """The document with each date as its ISO string, and where those dates are, so
    that reading it back touches only the dates, not every value."""
    dates: list[list[Any]] = []

    def walk(value: Any, path: tuple) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, date):
            if isinstance(value, datetime):
                raise ValueError("only plain dates are cached")  # then the file is simply not cached
            dates.append([list(path), value.isoformat()])
            return value.isoformat()
        if isinstance(value, float) and value != value:
            raise ValueError("NaN is not cached")  # a NaN would not compare equal to itself when read back
        return value

    return [walk(doc, ()), dates]


def _from_cache(value: Any) -> dict[str, Any] | None:
    try:
        doc, dates = value
        for path, iso in dates:
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = date.fromisoformat(iso)
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    return doc if isinstance(doc, dict) else None


def check_entries(paths: list[Path]) -> list[str]:
    """Each cache entry for these files' bytes compared with a fresh parse of them: an
    entry that differs (changed by hand, or by anyone who could write the folder) is
    removed, and named in what is returned. The next start parses the file again."""
    folder = cache_dir()
    found: list[str] = []
    if folder is None:
        return found
    for path in paths:
        blob = _read_bytes(path)
        entry = folder / f"{path.stem}-{_digest(blob)}{SUFFIX}"
        if not entry.exists() and not entry.is_symlink():
            continue
        cached = _cache_get(path.stem, _digest(blob))
        try:
            same = cached is not None and _to_cache(cached) == _to_cache(_parse(path, blob))
        except (ValueError, TypeError):
            same = False
        if not same:
            found.append(str(entry))
            try:
                entry.unlink()
            except OSError:
                pass
    return found
