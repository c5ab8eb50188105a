"""Command: quadrant."""

from __future__ import annotations

from typing import Optional

import typer

from setguide.base.clock import now
from setguide.model.data import get
from setguide.model.marks import marks_for
from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console
from setguide.places import view
from setguide.places.resolve import resolve


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

    Southend and Thurrock are in no Essex quadrant: the answer names their own forums.

    Example: setguide quadrant Harlow
    """
    data = get()
    r = resolve(data, place if place is not None else "Essex")
    today = now().date()
    marks = marks_for(data, today)
    if json_:
        console.show_json(view.quadrant_json(data, r, today), marks=marks)
    else:
        console.show(view.quadrant_doc(data, r), plain, marks=marks)
