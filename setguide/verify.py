"""`setguide data verify`: every packaged data file checked by the very function that
loads it, and this computer's files beside them.

It sits above the features whose loaders it runs (the triage tree, search's lexicon),
so each of those is a plain import that the layer contracts see; the rest of `data`
is in setguide.corrections, below them."""

from __future__ import annotations

from setguide.corrections import manage
from setguide.corrections.command import NO_MARKS, data_group
from setguide.output import console as out


def verify() -> None:
    """Validate the packaged data and this computer's files (corrections, meeting dates).

    Exits 1 naming the file and the field when something is wrong.

    Example: setguide data verify
    """
    from setguide.find import lexicon
    from setguide.triage import tree

    loaders = {"tree": tree.load_tree, "search": lexicon.search_data, "notes": lexicon.notes}
    out.show(manage.verify(loaders), marks=NO_MARKS)


def register(app) -> None:
    """Add `setguide data`, with verify, to the app."""
    group = data_group()
    group.command()(verify)
    app.add_typer(group)
