"""What a command shows, as data: a list of blocks that `out` renders as plain
lines or with rich. Commands build documents; they never print.

An exact value (a phone number, extension, email address or link) is a `Field`:
renderers never break, shorten or hide it, whatever the terminal width.
"""

from __future__ import annotations

from typing import NamedTuple


class Heading(NamedTuple):
    text: str
    level: int = 1


class Para(NamedTuple):
    text: str


class Field(NamedTuple):
    label: str
    value: str


class Bullets(NamedTuple):
    items: tuple[str, ...]


class Caution(NamedTuple):
    text: str


class Source(NamedTuple):
    text: str


class Gap(NamedTuple):
    """An empty line."""


class Table(NamedTuple):
    """Rows of exact values; rendered as a table only where every cell fits whole."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fallback: tuple  # the same facts as blocks, for narrow terminals and plain output
    wrap: tuple[int, ...] = ()  # columns of prose (not exact values) that may wrap at spaces


# Blocks are NamedTuples: they cost a fraction of a dataclass to define, and
# setguide defines them on every start. Renderers tell them apart by class.
Block = Heading | Para | Field | Bullets | Caution | Source | Gap | Table


def plain_lines(blocks: list[Block]) -> list[str]:
    """Plain text: no colour, no escape codes, no wrapping (a screen reader, a pipe
    or a terminal wraps it; nothing is ever cut)."""
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Table):
            lines += plain_lines(list(b.fallback))
        elif isinstance(b, Heading):
            lines.append(b.text)
        elif isinstance(b, Para):
            lines.append(b.text)
        elif isinstance(b, Field):
            lines.append(f"{b.label}: {b.value}")
        elif isinstance(b, Bullets):
            lines += [f"- {item}" for item in b.items]
        elif isinstance(b, Caution):
            lines.append(f"Caution: {b.text}")
        elif isinstance(b, Source):
            lines.append(f"Source: {b.text}")
        elif isinstance(b, Gap):
            lines.append("")
    return lines
