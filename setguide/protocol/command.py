"""Command: protocol."""

from __future__ import annotations

from typing import Optional

import typer

from setguide.base.names import match
from setguide.model.data import get
from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console
from setguide.protocol import view


def register(app: typer.Typer) -> None:
    app.command()(protocol)


def protocol(
    section: Optional[str] = typer.Argument(None, help="A section: spoc, purpose, operating, 1, 2, 2.1, 2.2, 2.3, 3."),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """The protocol itself, offline, section by section: what every citation points to.

    Example: setguide protocol 2.3
    """
    data = get()
    sid = None if section is None else match("section", section.lstrip("§"), view.section_names(data))
    if json_:
        chosen = data.sections.values() if sid is None else [data.sections[sid]]
        # The protocol's own text: no local correction applies to it.
        console.show_json([{"id": s.id, "cite": s.cite, "title": s.title, "text": s.text} for s in chosen], marks=None)
    else:
        console.show(view.protocol_doc(data, sid), plain, marks={})
