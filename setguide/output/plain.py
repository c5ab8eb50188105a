"""The plain renderer: documents as lines of text, for pipes, screen readers, records,
NO_COLOR and TERM=dumb."""

from __future__ import annotations

from setguide.output.blocks import Block, Bullets, Caution, Field, Gap, Heading, Outline, Para, Source, Table


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
            lines.append(f"{b.label!s}: {b.value!s}")  # rendering: the trust pass has marked it
        elif isinstance(b, Bullets):
            lines += [f"- {item!s}" for item in b.items]
        elif isinstance(b, Caution):
            lines.append(f"Caution: {b.text}")
        elif isinstance(b, Source):
            lines.append(f"Source: {b.text}")
        elif isinstance(b, Gap):
            lines.append("")
        elif isinstance(b, Outline):
            lines += _outline(b, 0)
    return lines


def _outline(o: Outline, depth: int) -> list[str]:
    lines = ["  " * depth + o.text]
    for child in o.children:
        lines += _outline(child, depth + 1)
    return lines
