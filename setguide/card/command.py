"""Command: card (the desk card as an offline HTML page, or an A4 PDF through headless Chromium)."""

from __future__ import annotations

from typing import Optional

import typer

from setguide.base import clock
from setguide.base.errors import UsageError
from setguide.card import build, printing
from setguide.model.data import get
from setguide.output import console as out


def register(app: typer.Typer) -> None:
    app.command()(card)


def card(
    html: Optional[str] = typer.Option(
        None, "--html", metavar="FILE", help="Write the card as one self-contained HTML page to FILE (- = stdout)."
    ),
    pdf: Optional[str] = typer.Option(
        None, "--pdf", metavar="FILE", help="Print the card as a one- or two-page A4 PDF to FILE (needs Chromium)."
    ),
) -> None:
    """The desk card: the triage, contacts, quadrants and forums as one offline page.

    The page works from a file or a shared drive, loads nothing from the network,
    and prints as an A4 desk card. Its plans are the ones setguide triage gives.

    Example: setguide card --html desk-card.html --pdf desk-card.pdf
    """
    if html is None and pdf is None:
        raise UsageError("give --html FILE, --pdf FILE or both", "e.g. setguide card --html desk-card.html")
    if html == "" or pdf == "":
        raise UsageError("a file name cannot be empty", "e.g. setguide card --html desk-card.html")
    chromium = printing.find_chromium() if pdf is not None else None  # before the work, so a missing one fails fast
    page = build.build(get(), clock.now())
    if html == "-":
        import sys

        sys.stdout.write(page)
    elif html is not None:
        out.note(f"Card written: {printing.write_text(html, page)}")
    if pdf is not None:
        out.note(f"Card printed: {printing.print_pdf(page, pdf, chromium)}")
