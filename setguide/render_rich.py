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
            console.print(Text(b.text, style="bold underline" if b.level == 1 else "bold"))
        elif isinstance(b, Para):
            console.print(Text(b.text))
        elif isinstance(b, Field):
            _field(console, b)
        elif isinstance(b, Bullets):
            for item in b.items:
                console.print(Text("• ") + Text(item), overflow="fold")
        elif isinstance(b, Caution):
            console.print(Text("Caution: ", style="bold yellow") + Text(b.text))
        elif isinstance(b, Source):
            console.print(Text(f"Source: {b.text}", style="dim"))
        elif isinstance(b, Gap):
            console.print()


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
