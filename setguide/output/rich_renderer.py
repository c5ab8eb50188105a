"""Documents rendered with rich, for a terminal. Exact values are printed with
soft wrapping, so the terminal may wrap them but rich never splits or crops them."""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

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


def render(blocks: list[Block], console: Console | None = None) -> None:
    console = console or Console(highlight=False, emoji=False)
    for b in blocks:
        _block(console, b)


def _block(console: Console, b: Block) -> None:
    if isinstance(b, Table):
        _table(console, b)
    elif isinstance(b, Heading):
        _prose(console, b.text, "bold underline" if b.level == 1 else "bold")
    elif isinstance(b, Para | Reading):
        _prose(console, b.text)
    elif isinstance(b, Example):
        _prose(console, f"{b.text} '{b.typed}'.")
    elif isinstance(b, Field):
        _field(console, field_label(b), b.value)
    elif isinstance(b, Command):
        _field(console, b.label, b.text, whole=True)
    elif isinstance(b, Bullets):
        for item in b.items:
            _prose(console, item, lead="• ")
    elif isinstance(b, Caution):
        _prose(console, b.text, lead="Caution: ", lead_style="bold yellow")
    elif isinstance(b, Source):
        _prose(console, f"Source: {b.text}", "dim")
    elif isinstance(b, Gap):
        console.print()
    elif isinstance(b, Outline):
        console.print(_tree(b))
    elif isinstance(b, Choice):
        for o in b.options:
            _prose(console, f"{o.label}:", "bold")
            render(list(o.blocks), console)
    else:
        raise UnknownBlock(b)


def render_text(blocks: list[Block], width: int) -> str:
    """The blocks as a terminal would show them (colour codes included), for a pager."""
    import io

    buffer = io.StringIO()
    render(blocks, Console(file=buffer, force_terminal=True, width=width, highlight=False, emoji=False))
    return buffer.getvalue()


def _prose(console: Console, text: str, style: str = "", lead: str = "", lead_style: str = "") -> None:
    """Wrapped at spaces for reading. rich would fold a word longer than the line (a
    link, an address) or crop it; here it is left whole for the terminal to wrap."""
    import textwrap

    indent = " " * len(lead)
    for n, paragraph in enumerate(text.split("\n")):
        lines = textwrap.wrap(
            (lead if n == 0 else indent) + paragraph,
            width=max(console.width, 10),
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
        for i, line in enumerate(lines):
            styled = Text(line, style=style)
            if n == 0 and i == 0 and lead_style:
                styled.stylize(lead_style, 0, len(lead))
            console.print(styled, soft_wrap=True)


def _field(console: Console, name: str, value: str, whole: bool = False) -> None:
    """A label and its exact value; `whole`: a command to copy, one line whatever the width."""
    label = Text(f"{name!s}: ", style="cyan")
    if len(label) + len(value) <= console.width:
        console.print(label + Text(value, style="bold"), soft_wrap=True)
        return
    console.print(label)
    for line in [value] if whole else _value_lines(value, console.width):
        console.print(Text(line, style="bold"), soft_wrap=True)


_KEEP_TOGETHER = (
    re.compile(r"(?<=\d) (?=\d)"),  # a number written in groups: 01375 652973
    re.compile(r"(?<=\bext) (?=\d)|(?<=\bextn) (?=\d)|(?<=\bextension) (?=\d)"),  # extension 4050
)


def _value_lines(value: str, width: int) -> list[str]:
    """An exact value over several lines, broken only at spaces that are not inside a
    number ('01375 652973' stays on one line); a word longer than the line (an address,
    a link) is left whole for the terminal to wrap."""
    import textwrap

    guarded = value
    for pattern in _KEEP_TOGETHER:
        guarded = pattern.sub("\u00a0", guarded)  # textwrap breaks only at ASCII white space
    lines = textwrap.wrap(guarded, width=max(width, 10), break_long_words=False, break_on_hyphens=False)
    return [line.replace("\u00a0", " ") for line in lines] or [value]


def _table(console: Console, t: Table) -> None:
    widths = [max(len(c), *(len(r[i]) for r in t.rows)) for i, c in enumerate(t.columns)]
    # Exact cells must fit whole on one line; a prose column may wrap, down to a
    # readable width. Otherwise the stacked form says the same.
    needed = sum(min(w, PROSE_MIN) if i in t.wrap else w for i, w in enumerate(widths))
    if needed + 3 * len(widths) + 1 > console.width:
        render(list(t.fallback), console)
        return
    from rich.markup import escape  # only where a table is drawn
    from rich.table import Table as RichTable

    table = RichTable(show_lines=bool(t.wrap), header_style="bold")
    for i, c in enumerate(t.columns):
        if i in t.wrap:
            table.add_column(escape(c), min_width=min(widths[i], PROSE_MIN), overflow="fold")
        else:
            table.add_column(escape(c), no_wrap=True, overflow="ignore", min_width=widths[i])
    for row in t.rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    render(list(t.notes), console)  # the marks of the values drawn above


PROSE_MIN = 24


OUTLINE_STYLES = {"question": "bold cyan", "check": "bold magenta", "outcome": "green"}


def _tree(o: Outline, parent=None):
    from rich.tree import Tree  # only where a tree is drawn

    label = Text(o.text, style=OUTLINE_STYLES.get(o.kind, "bold" if parent is None else ""))
    node = Tree(label) if parent is None else parent.add(label)
    for child in o.children:
        _tree(child, node)
    return node
