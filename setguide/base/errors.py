"""Every error a user can meet carries its own exit code and message.

One place (`cli.main`) turns them into an exit, so no command decides exit codes
or prints tracebacks by itself.
"""

from __future__ import annotations

from enum import IntEnum

from setguide.base.facts import fill, join
from setguide.base.text import echo, one_line


class Exit(IntEnum):
    """The exit codes users script against (design §2)."""

    OK = 0
    FAILED = 1  # a data or runtime error: the message names the file and the field
    USAGE = 2  # something typed cannot be used: an unknown name, a bad date, a missing answer
    CANCELLED = 130  # Ctrl-C or end of input before any advice


IMMEDIATE_DANGER = "If a child is in immediate danger, call 999."
EMERGENCY_REMINDER = f"No routing advice was given. {IMMEDIATE_DANGER}"


class SetguideError(Exception):
    exit_code = Exit.FAILED
    # A path the message names that the user must find (a file setguide could not use):
    # shown whole, as `one_line(path, None)` gives it, where the rest of the message is cut.
    whole = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class DataError(SetguideError):
    """The packaged data or a user file is malformed: exit 1, naming the file and field."""

    exit_code = Exit.FAILED

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.whole = one_line(file, None)
        super().__init__(f"{self.whole}: {field}: {problem}")
        self.file = file
        self.field = field
        self.problem = problem


class UsageError(SetguideError):
    """Something the user typed cannot be used: exit 2."""

    exit_code = Exit.USAGE


class UnknownName(UsageError):
    """A name that matches nothing, or more than one thing; carries the candidates."""

    def __init__(
        self, kind: str, given: str, candidates: list[str], ambiguous: bool = False, every: bool = False
    ) -> None:
        """`every`: nothing was close, and `candidates` is the whole (short) list to choose from."""
        self.kind = kind
        self.given = given
        self.candidates = candidates
        self.ambiguous = ambiguous
        self.every = every
        shown = echo(given)  # one line, cut: a pasted page is not echoed back whole
        names = join(", ", candidates)  # a candidate that is a value of the data keeps its key
        if ambiguous:
            message = fill("{} {} matches more than one: {}", kind, shown, names)
            hint = None
        else:
            message = f"unknown {kind} {shown}"
            if not candidates:
                hint = None
            elif every:
                hint = fill("choose one of: {}", names)
            else:
                hint = fill("did you mean: {}?", names)
        super().__init__(message, hint)


class Cancelled(SetguideError):
    """Ctrl-C or end of input before an answer was given."""

    exit_code = Exit.CANCELLED

    def __init__(self) -> None:
        super().__init__(EMERGENCY_REMINDER)
