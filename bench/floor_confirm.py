"""The floor for `setguide triage`: a Typer app that asks one questionary
confirm. The time to its question on screen is the least an interactive
question costs with the design's libraries."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

# The same words as setguide's first question, so both draw the same prompt.
QUESTION = "Is there an immediate threat to life or safety?"


@app.command()
def main() -> None:
    """Ask one yes/no question."""
    import questionary

    questionary.confirm(QUESTION).unsafe_ask()


if __name__ == "__main__":
    app()
