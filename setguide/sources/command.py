"""Command: sources."""

from __future__ import annotations

import typer

from setguide.base.clock import now
from setguide.model.data import get
from setguide.model.marks import marks_for
from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console
from setguide.sources import view


def register(app: typer.Typer) -> None:
    app.command()(sources)


def sources(json_: bool = JSON_OPT, plain: bool = PLAIN_OPT) -> None:
    """Every source setguide's facts rest on, and how old each is, oldest first.

    The protocol (undated; it cites documents of October 2019), each named public page
    (publisher, whether it still exists, link, the copy's date or "undated", the facts
    it supports), and each local correction (value, source, when).

    Example: setguide sources
    """
    data = get()
    marks = marks_for(data, now().date())
    if json_:
        console.show_json(view.sources_json(data), marks=marks)
    else:
        console.show(view.sources_doc(data), plain, marks=marks)
