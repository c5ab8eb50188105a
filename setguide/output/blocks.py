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


class Outline(NamedTuple):
    """A tree of lines (the decision tree): indented in plain text, drawn as a tree with rich."""

    text: str
    children: tuple = ()  # Outlines
    kind: str = ""  # "question", "check" or "outcome": how the rich renderer colours it


class Table(NamedTuple):
    """Rows of exact values; rendered as a table only where every cell fits whole."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fallback: tuple  # the same facts as blocks, for narrow terminals and plain output
    wrap: tuple[int, ...] = ()  # columns of prose (not exact values) that may wrap at spaces


# Blocks are NamedTuples: they cost a fraction of a dataclass to define, and
# setguide defines them on every start. Renderers tell them apart by class.
Block = Heading | Para | Field | Bullets | Caution | Source | Gap | Table | Outline
