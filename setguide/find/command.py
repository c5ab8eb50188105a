"""Commands: search and email-check."""

from __future__ import annotations

import typer

from setguide.base.clock import now
from setguide.model.data import get
from setguide.model.marks import marks_for
from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console

# search and email-check share this module; each imports its own engine when it runs.


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(search)
    app.command("email-check")(email_check)


def search(
    text: list[str] = typer.Argument(..., help="What to look for: a word, an acronym, a phrase, a town."),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
    limit: int = typer.Option(8, "--limit", min=1, help="Show at most this many results."),
) -> None:
    """Search forums, themes, contacts, what to do, and the protocol itself, offline.

    Each result gives its source in the protocol and the command that shows more.

    Examples: setguide search county lines · setguide search NRM · setguide search blue car
    """
    from setguide.find import search as engine

    data = get()
    answer = engine.search(data, " ".join(text), limit=limit)
    if json_:
        console.show_json(engine.to_json(answer), marks=marks_for(data, now().date()))
    else:
        console.show(engine.doc(answer), plain, marks=marks_for(data, now().date()))


def email_check(
    address: str = typer.Argument(..., help="The sender's email address, e.g. name@essex.pnn.police.uk."),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """Is this sender address one the protocol treats as secure (.gsi, .pnn, .nhs.net)?

    Reads the address only: it sends nothing and looks nothing up.

    Example: setguide email-check jo.bloggs@nhs.net
    """
    from setguide.find import email_check as checker

    data = get()
    result = checker.check(data, address)
    if json_:
        console.show_json(checker.to_json(result), marks=marks_for(data, now().date()))
    else:
        console.show(checker.doc(result, data), plain, marks=marks_for(data, now().date()))
