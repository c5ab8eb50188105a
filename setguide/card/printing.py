"""Writing the card, and printing it to PDF through a headless Chromium found on this machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from setguide.base.errors import SetguideError

# Debian and Ubuntu name it chromium or chromium-browser; Google's builds are google-chrome.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT = 120  # seconds: a ceiling for a slow, shared machine, not a measured time


def find_chromium() -> str:
    """The Chromium to print with: $SETGUIDE_CHROMIUM, else the first of BROWSERS on PATH."""
    given = os.environ.get("SETGUIDE_CHROMIUM")
    if given:
        found = shutil.which(given)
        if found:
            return found
        raise SetguideError(f"SETGUIDE_CHROMIUM names {given!r}, which is not a program here")
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise SetguideError(
        "printing the card needs Chromium, which is not installed",
        "install it (Debian, Ubuntu: sudo apt-get install chromium), or write the page with --html FILE "
        "and print it from any browser",
    )


def write_text(path: str, text: str) -> str:
    target = Path(path)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SetguideError(f"cannot write {path}: {exc.strerror or exc}") from None
    return str(target)


def print_pdf(page: str, path: str, chromium: str | None = None) -> str:
    """Print `page` to the PDF `path` with headless Chromium; any failure is a SetguideError."""
    chromium = chromium or find_chromium()
    target = Path(path).resolve()
    if target.is_dir():
        raise SetguideError(f"{path} is a folder", "give a file name, e.g. desk-card.pdf")
    with tempfile.TemporaryDirectory(prefix="setguide-card-") as tmp:
        source = Path(tmp) / "card.html"
        source.write_text(page, encoding="utf-8")
        out = Path(tmp) / "card.pdf"
        args = [
            chromium,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={out}",
            source.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise SetguideError(f"Chromium did not finish printing within {TIMEOUT} seconds") from None
        except OSError as exc:
            raise SetguideError(f"cannot run {chromium}: {exc.strerror or exc}") from None
        if not out.is_file() or out.stat().st_size == 0:
            detail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise SetguideError(f"Chromium could not print the card: {detail[0]}")
        try:
            shutil.copyfile(out, target)
        except OSError as exc:
            raise SetguideError(f"cannot write {path}: {exc.strerror or exc}") from None
    return str(target)
