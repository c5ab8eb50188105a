"""Documents rendered with rich, for a terminal. Exact values are printed with
soft wrapping, so the terminal may wrap them but rich never splits or crops them."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from setguide.doc import Block, Bullets, Caution, Field, Gap, Heading, Para, Source, Table


def render(blocks: list[Block], console: Console | None = None) -> None:
    console = console or Console(highlight=False, emoji=False)
    for b in blocks:
        if isinstance(b, Table):
            _table(console, b)
        elif isinstance(b, Heading):
            _prose(console, b.text, "bold underline" if b.level == 1 else "bold")
        elif isinstance(b, Para):
            _prose(console, b.text)
        elif isinstance(b, Field):
            _field(console, b)
        elif isinstance(b, Bullets):
            for item in b.items:
                _prose(console, item, lead="• ")
        elif isinstance(b, Caution):
            _prose(console, b.text, lead="Caution: ", lead_style="bold yellow")
        elif isinstance(b, Source):
            _prose(console, f"Source: {b.text}", "dim")
        elif isinstance(b, Gap):
            console.print()


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


def _field(console: Console, f: Field) -> None:
    label = Text(f"{f.label}: ", style="cyan")
    value = Text(f.value, style="bold")
    if len(label) + len(value) > console.width:
        console.print(label)
        console.print(value, soft_wrap=True)
    else:
        console.print(label + value, soft_wrap=True)


def _table(console: Console, t: Table) -> None:
    widths = [max(len(c), *(len(r[i]) for r in t.rows)) for i, c in enumerate(t.columns)]
    # Every cell must fit whole on one line; otherwise the stacked form says the same.
    if sum(widths) + 3 * len(widths) + 1 > console.width:
        render(list(t.fallback), console)
        return
    from rich.markup import escape  # only where a table is drawn
    from rich.table import Table as RichTable

    table = RichTable(show_lines=False, header_style="bold")
    for c in t.columns:
        table.add_column(escape(c), no_wrap=True, overflow="ignore")
    for row in t.rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
