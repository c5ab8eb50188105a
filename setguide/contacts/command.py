"""Command: contacts."""

from __future__ import annotations

from typing import Optional

import typer

from setguide.base.clock import now
from setguide.contacts import view
from setguide.model.data import get
from setguide.model.marks import marks_for
from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console


def register(app: typer.Typer) -> None:
    app.command()(contacts)


def contacts(
    authority: Optional[str] = typer.Argument(
        None, help="essex, southend, thurrock or essex-police (alias police); any case, a unique prefix will do."
    ),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """The single points of contact (SPOC) of the protocol, exactly as it gives them.

    Example: setguide contacts thurrock
    """
    data = get()
    chosen = view.pick_contacts(data, authority)
    today = now().date()
    marks = marks_for(data, today)
    if json_:
        console.show_json([view.contact_json(data, c, today) for c in chosen], marks=marks)
    else:
        console.show(view.contacts_doc(data, chosen), plain, marks=marks)
