"""Command: quadrant."""

from __future__ import annotations

from typing import Optional

import typer

from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console


def register(app: typer.Typer) -> None:
    app.command()(quadrant)


def quadrant(
    place: Optional[str] = typer.Argument(
        None, help="A district, town, village or authority; none lists the quadrants."
    ),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """The Essex MACE quadrant for a district or town (§2.1).

    Southend and Thurrock are unitary authorities in no Essex quadrant: the answer
    names their own forums.

    Example: setguide quadrant Harlow
    """
    from setguide.base.clock import now
    from setguide.model.data import get
    from setguide.places import view as views

    data = get()
    r = views.lookup(data, place if place is not None else "Essex")
    if json_:
        console.show_json(views.quadrant_json(data, r, now().date()))
    else:
        console.show(views.quadrant_doc(data, r, now().date()), plain)
