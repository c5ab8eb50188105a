"""The protocol's data, loaded: the packaged files (through the parse cache), with the
user's local corrections applied when asked. Records and validation live beside
this module (`records`, `validate`); what most code needs is `get()`."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from setguide.base.errors import SetguideError
from setguide.base.text import clip
from setguide.model.cache import read_toml
from setguide.model.corrections import with_corrections
from setguide.model.records import (  # noqa: F401 (the records, where most code looks for them)
    Authority,
    Contact,
    Data,
    District,
    Fact,
    Forum,
    OutsidePlace,
    Phone,
    Place,
    Quadrant,
    Section,
    Theme,
    cite,
)
from setguide.model.validate import (  # noqa: F401 (the rules, where most code looks for them)
    AUTHORITY_KINDS,
    CADENCES,
    FACT_FIELDS,
    FILES,
    PLACE_KINDS,
    SET_WIDE,
    Node,
    build,
)


def data_dir() -> Path:
    """The packaged data: inside the installed package, else the checkout's `data/`."""
    override = os.environ.get("SETGUIDE_DATA_DIR")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent.parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def read_raw(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The data files as parsed TOML tables, by file name."""
    directory = directory or data_dir()
    return {name: read_toml(directory / f"{name}.toml") for name in FILES}


def load(directory: Path | None = None, corrections: bool = False) -> Data:
    """The data in `directory` (default: packaged), with the user's local corrections if asked."""
    directory = directory or data_dir()
    raw = read_raw(directory)
    return with_corrections(raw, directory) if corrections else build(raw, directory)


@cache
def get() -> Data:
    """The packaged data with the user's local corrections, read once per process."""
    return load(corrections=True)


def load_for_triage(directory: Path | None = None) -> tuple[Data, str | None]:
    """The data with the user's corrections, or, when anything about the user's file is
    wrong (unreadable, not a regular file, too big, writable by others, invalid), the
    packaged data and a caution saying so. Never raises for a fault of the user's file:
    it must never stand between a user and the route to 999."""
    directory = directory or data_dir()
    raw = read_raw(directory)  # a fault here is the packaged data's, and is raised
    try:
        return with_corrections(raw, directory), None
    except Exception as exc:  # MemoryError and RecursionError included
        message = exc.message if isinstance(exc, SetguideError) else type(exc).__name__

    caution = (
        f"Your local corrections were NOT applied, so the protocol's own values are shown: {clip(message, 300)}. "
        "Check them with: setguide data verify"
    )
    return build(raw, directory), caution
