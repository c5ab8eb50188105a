"""The plain renderer: documents as lines of text, for pipes, screen readers, records,
NO_COLOR and TERM=dumb."""

from __future__ import annotations

from setguide.base.text import shell_arg
from setguide.output.blocks import (
    Block,
    Bullets,
    Caution,
    Choice,
    Command,
    Example,
    Field,
    Gap,
    Heading,
    Outline,
    Para,
    Reading,
    Source,
    Table,
    UnknownBlock,
    field_label,
)


def plain_lines(blocks: list[Block]) -> list[str]:
    """Plain text: no colour, no escape codes, no wrapping (a screen reader, a pipe
    or a terminal wraps it; nothing is ever cut)."""
    lines: list[str] = []
    for b in blocks:
        lines += _lines(b)
    return lines


def _lines(b: Block) -> list[str]:
    if isinstance(b, Table):
        return plain_lines(list(b.fallback))
    if isinstance(b, Heading | Para | Reading):
        return [b.text]
    if isinstance(b, Field):
        return [f"{field_label(b)!s}: {b.value!s}"]  # rendering: the trust pass has marked it
    if isinstance(b, Command):
        return [f"{b.label!s}: {b.text!s}"]
    if isinstance(b, Example):
        return [f"{b.text!s} {shell_arg(str(b.typed))}."]
    if isinstance(b, Bullets):
        return [f"- {item!s}" for item in b.items]
    if isinstance(b, Caution):
        return [f"Caution: {b.text!s}"]
    if isinstance(b, Source):
        return [f"Source: {b.text!s}"]
    if isinstance(b, Gap):
        return [""]
    if isinstance(b, Outline):
        return _outline(b, 0)
    if isinstance(b, Choice):
        return [line for o in b.options for line in [f"{o.label!s}:", *plain_lines(list(o.blocks))]]
    raise UnknownBlock(b)


def _outline(o: Outline, depth: int) -> list[str]:
    lines = ["  " * depth + o.text]
    for child in o.children:
        lines += _outline(child, depth + 1)
    return lines
