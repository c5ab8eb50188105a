"""All printing goes through here: documents to stdout (plain or rich), JSON,
and errors to stderr. rich is imported only when a document is rendered for a
terminal."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from setguide.base.errors import IMMEDIATE_DANGER, SetguideError
from setguide.output import trust
from setguide.output.blocks import Block, plain_lines
from setguide.output.trust import Marks


def want_plain(flag: bool = False) -> bool:
    """Plain lines for --plain, NO_COLOR, TERM=dumb, or output that is not a terminal."""
    if flag or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    try:
        return not sys.stdout.isatty()
    except (AttributeError, ValueError):
        return True


def _clean(value):
    """Text with terminal control characters made visible: what a user typed (a search,
    a file name) is echoed back, and must not be able to rewrite the screen."""
    if isinstance(value, str):
        from setguide.model.data import CONTROL  # the same characters the data may not hold

        return CONTROL.sub("\ufffd", value)
    if isinstance(value, tuple):
        cleaned = [_clean(v) for v in value]
        return type(value)(*cleaned) if hasattr(value, "_fields") else tuple(cleaned)
    return value


def show(blocks: list[Block], plain: bool = False, *, marks: Marks) -> None:
    """Print a document once, after the trust pass: `marks` is required, so no command
    can print facts without their local corrections and cautions."""
    blocks = [_clean(b) for b in trust.mark(blocks, marks)]
    if want_plain(plain):
        _write("\n".join(plain_lines(blocks)) + "\n")
    else:
        from setguide.output.rich_renderer import render

        render(blocks)


def show_json(obj: Any, *, marks: Marks | None) -> None:
    """JSON; with `marks`, each object names the local corrections whose facts it shows.
    None only for output that shows no fact of the data (an error listing, a version)."""
    if marks is not None:
        obj = trust.with_corrections(obj, marks)
    _write(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def error(exc: SetguideError) -> None:
    prefix = "" if exc.exit_code == 130 else "setguide: error: "
    lines = [f"{prefix}{exc.message}"]
    if exc.hint:
        lines.append(f"  {exc.hint}")
    if exc.exit_code == 1:  # setguide could not answer: the one instruction that needs no data
        lines.append(f"  {IMMEDIATE_DANGER}")
    _err("\n".join(lines))


def note(text: str) -> None:
    """A remark about what setguide did (not advice), on stderr so --json output stays clean."""
    _err(text)


def internal_error(exc: BaseException) -> None:
    _err(
        f"setguide: internal error: {type(exc).__name__}: {exc}\n"
        f"  {IMMEDIATE_DANGER}\n"
        "  Otherwise follow the SET Child Protection Procedures."
    )


def _err(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
