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
        None,
        "--pdf",
        metavar="FILE",
        help="Print the card as an A4 PDF to FILE (- = stdout; needs Chromium, or Edge or Chrome on "
        "Windows). What to do and the contacts fill page 1; the triage line, the front doors and the forums "
        "follow. The count is decided by the cautions said on paper: each named source's and each local or "
        "team correction's; with the packaged data the forums, quadrants and sources' ages take a third "
        "page. Meeting dates recorded add no page (the next meeting of each forum).",
    ),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists (never a link, device or pipe)."),
) -> None:
    """The desk card: what to do, the triage, contacts, quadrants and forums as one offline page.

    The page works from a file or a shared drive, loads nothing from the network,
    and prints as an A4 desk card. Its plans are the ones setguide triage gives.
    An existing file is replaced only with --force, and in one step: a failed
    write leaves the old card as it was.

    Example: setguide card --html desk-card.html --pdf desk-card.pdf
    """
    if html is None and pdf is None:
        raise UsageError("give --html FILE, --pdf FILE or both", "e.g. setguide card --html desk-card.html")
    if html == "" or pdf == "":
        raise UsageError("a file name cannot be empty", "e.g. setguide card --html desk-card.html")
    if html == "-" and pdf == "-":
        raise UsageError("only one of --html and --pdf can write to standard output", "give the other a file name")
    if html not in (None, "-") and pdf not in (None, "-") and printing.same_file(html, pdf):
        raise UsageError("--html and --pdf name the same file", "give each its own, e.g. desk-card.html, desk-card.pdf")
    # Checked before the work, so a missing Chromium or a file in the way fails fast.
    for target in (html, pdf):
        if target not in (None, "-"):
            printing.check_target(target, force)
    chromium = printing.find_chromium() if pdf is not None else None
    page = build.build(get(), clock.now())
    if html == "-":
        out.write_bytes(page.encode("utf-8"))
    elif html is not None:
        out.note(f"Card written: {printing.write_file(html, page.encode('utf-8'), force)}")
    if pdf is not None:
        printed = printing.print_pdf(page, chromium)
        if pdf == "-":
            out.write_bytes(printed)
        else:
            out.note(f"Card printed: {printing.write_file(pdf, printed, force)}")
