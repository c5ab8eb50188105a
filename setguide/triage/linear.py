"""The linear wizard: each question as plain numbered lines, answered by typing and
Enter. Nothing is ever redrawn (no cursor movement, no erasing, no highlight), so a
screen reader or a braille display meets each line once, in order.

The keys are the wizard's own: y or n, a number, b for back, ? for the terms, and
Enter on an empty answer to end an optional question. `setguide triage --linear`,
SETGUIDE_LINEAR=1, or a terminal that says it can draw nothing in place (TERM=dumb).
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from setguide.base.errors import Cancelled
from setguide.base.facts import fill, join

BACK = "\x00back"  # what a question returns when the user goes back one question
FINISH = "\x00finish"  # what an optional question returns when the user ends it
BACK_WORDS = ("b", "back")


Terms = Callable[[], str]


def enabled(flag: bool = False) -> bool:
    """--linear, SETGUIDE_LINEAR=1 (any value but 0 or empty), or TERM=dumb."""
    return flag or os.environ.get("SETGUIDE_LINEAR", "").strip() not in ("", "0") or os.environ.get("TERM") == "dumb"


class Lines:
    """Questions written as lines and answered by a line read, on the given streams
    (standard input and output unless a test gives its own). It counts the answers
    given, so each question is numbered as the user meets it."""

    def __init__(self, stdin: Any = None, stdout: Any = None) -> None:
        self._in = stdin
        self._out = stdout
        self.answered = 0

    @property
    def stdin(self) -> Any:
        return self._in if self._in is not None else sys.stdin

    @property
    def stdout(self) -> Any:
        return self._out if self._out is not None else sys.stdout

    def say(self, text: str) -> None:
        self.stdout.write(text.rstrip("\n") + "\n")
        self.stdout.flush()

    def read(self) -> str:
        """One typed line; end of input or Ctrl-C cancels, as at every question."""
        self.stdout.write("Answer: ")
        self.stdout.flush()
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            raise Cancelled() from None
        if not line:
            self.stdout.write("\n")
            raise Cancelled()
        return line.strip()

    def question(self, text: str) -> None:
        """The question, numbered by the answers already given."""
        first, *rest = text.split("\n")
        self.say("")
        self.say(wrap(f"Question {self.answered + 1}. {first}", "  ", first=""))
        for line in rest:
            self.say(wrap(line))

    def answer(self, value: Any) -> Any:
        """Count an answer (a way back takes one away)."""
        if value == BACK:
            self.answered = max(self.answered - 1, 0)
        elif value != FINISH:
            self.answered += 1
        return value


def width() -> int:
    import shutil

    return max(shutil.get_terminal_size((80, 24)).columns - 1, 20)


def wrap(text: str, indent: str = "  ", first: str | None = None) -> str:
    """Lines broken at spaces, never inside a word: the terminal never cuts one."""
    return "\n".join(
        textwrap.wrap(
            text,
            width(),
            initial_indent=indent if first is None else first,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


def yes_no(lines: Lines, text: str, keys: str, back: bool, terms: Terms, started: Any = None) -> str:
    """y or n, then Enter; b goes back; ? says the terms (`terms`: the glossary, read when asked)."""

    if text:
        lines.say(text)
    lines.say(wrap(keys))
    if started is not None:
        started()
    while True:
        typed = lines.read().casefold()
        if typed in ("y", "yes", "n", "no"):
            return "yes" if typed.startswith("y") else "no"
        if back and typed in BACK_WORDS:
            return BACK
        if typed == "?":
            lines.say(terms())
            continue
        lines.say(wrap(f"Type y or n, then Enter. {keys}"))


def choice(
    lines: Lines, text: str, options: list[tuple[str, Any, str]], keys: str, back: bool, optional: bool, terms: Terms
) -> Any:
    """A numbered list, one option a line with its meaning under it; a number, then Enter."""

    if text:
        lines.say(text)
    for n, (label, _, described) in enumerate(options, 1):
        lines.say(wrap(fill("{}. {}", n, label), "     ", first="  "))
        if described:
            lines.say(wrap(described, "     "))
    if optional:
        lines.say("  0. Finish here")
    lines.say(wrap(keys))
    while True:
        typed = lines.read().casefold()
        if typed.isdigit() and 1 <= int(typed) <= len(options):
            return options[int(typed) - 1][1]
        if optional and typed in ("0", ""):
            return FINISH
        if back and typed in BACK_WORDS:
            return BACK
        if typed == "?":
            lines.say(terms())
            continue
        lines.say(wrap(f"Type a number from 1 to {len(options)}, then Enter. {keys}"))


def place(lines: Lines, text: str, keys: str, back: bool, optional: bool, data: Any, terms: Terms, which: Any) -> Any:
    """A place typed by name; a misspelling is answered with the suggestion, which y
    takes; a name two places share is asked about by `which(typed, choices)`."""
    from setguide.model.marks import labelled
    from setguide.places.resolve import lookup

    if text:
        lines.say(text)
    lines.say(wrap(keys))
    suggestion = None
    while True:
        typed = lines.read()
        if not typed:
            if optional:
                return FINISH
            lines.say(wrap(f"Type a town, district or authority, or: outside SET. {keys}"))
            continue
        if back and typed.casefold() in BACK_WORDS:
            return BACK
        if typed == "?":
            lines.say(terms())
            continue
        if suggestion is not None and typed.casefold() in ("y", "yes"):
            typed = suggestion
        found = lookup(data, typed)
        if found.place is not None:
            return found.place
        if found.ambiguous:
            picked = which(typed, found.choices)
            if picked != BACK:
                return picked
            lines.say(wrap(keys))
            continue
        exc = found.problem
        suggestion = exc.candidates[0] if exc.candidates else None
        if suggestion is not None:
            lines.say(
                wrap(
                    fill(
                        "Not a place setguide knows. Did you mean: {}? y takes {}.",
                        join(", ", (labelled(data, c) for c in exc.candidates[:2])),
                        suggestion,
                    )
                )
            )
        elif "postcode" in exc.message:
            lines.say(wrap("A postcode: type the town instead."))
        else:
            lines.say(wrap("Not a place setguide knows. Type a town, district or authority, or: outside SET."))
