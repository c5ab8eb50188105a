"""The floor for the key-to-999 row: a Typer app that asks one questionary confirm
and prints "Call 999 now" when it is answered. Nothing is loaded after the key."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

QUESTION = "Is there an immediate threat to life or safety?"


@app.command()
def main() -> None:
    """Ask one yes/no question; on yes, say to call 999."""
    import questionary

    if questionary.confirm(QUESTION).unsafe_ask():
        typer.echo("Call 999 now")


if __name__ == "__main__":
    app()
