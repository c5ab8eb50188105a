"""The floor for the table commands: the least a Typer app using the design's
libraries can do to answer one query, which is to parse its argument and print
one rich table. setguide is measured against this, so it may cost no more than
its own libraries do."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def main(name: str = typer.Argument("all")) -> None:
    """Print one rich table, as a query command would."""
    from rich.console import Console
    from rich.table import Table

    # Placeholder text of about the size of one authority's contacts: the floor
    # must do comparable rendering work, not state facts.
    table = Table(title=f"Floor: {name}", header_style="bold")
    for column in ("Name", "Role", "Email", "Phone"):
        table.add_column(column, no_wrap=True)
    for i in range(1, 5):
        table.add_row(f"Person {i}", f"Role {i}", f"person{i}@example.org", f"01000 00000{i}")
    Console(highlight=False).print(table)


if __name__ == "__main__":
    app()
