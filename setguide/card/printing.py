"""Writing the card, and printing it to PDF through a headless Chromium found on this machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from setguide.base.errors import SetguideError
from setguide.base.userfiles import atomic_write, check_export_target, same_path

# Debian and Ubuntu name it chromium or chromium-browser; Google's builds are google-chrome.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# On Windows, Edge (installed on every Windows 10 and 11) and Chrome are not on PATH:
# they are looked for in their standard install folders, under these variables.
WINDOWS_FOLDERS = ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA")
WINDOWS_BROWSERS = (
    ("Microsoft", "Edge", "Application", "msedge.exe"),
    ("Google", "Chrome", "Application", "chrome.exe"),
)
TIMEOUT = 120  # seconds: a ceiling for a slow, shared machine, not a measured time


def windows_browsers() -> list[str]:
    """Where Edge and Chrome install themselves on Windows, Edge first."""
    roots = [os.environ.get(v) for v in WINDOWS_FOLDERS]
    return [os.path.join(root, *parts) for parts in WINDOWS_BROWSERS for root in roots if root]


def find_chromium() -> str:
    """The Chromium to print with: $SETGUIDE_CHROMIUM, else the first of BROWSERS on PATH,
    else (on Windows) Edge or Chrome in its standard install folder."""
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
    if os.name == "nt":
        for path in windows_browsers():
            if os.path.isfile(path):
                return path
        raise SetguideError(
            "printing the card needs Microsoft Edge or Google Chrome, and neither was found",
            "setguide looks in their standard install folders (Program Files, and your AppData for Chrome); "
            "set SETGUIDE_CHROMIUM to the full path of msedge.exe or chrome.exe, or write the page with "
            "--html FILE and print it from any browser",
        )
    raise SetguideError(
        "printing the card needs Chromium, Google Chrome or Microsoft Edge, and none was found",
        "install Chromium (Debian, Ubuntu: sudo apt-get install chromium); on Windows, Edge or Chrome in its "
        "standard folder is found, and SETGUIDE_CHROMIUM can name any of them; or write the page with "
        "--html FILE and print it from any browser",
    )


def same_file(a: str, b: str) -> bool:
    return same_path(a, b)


def check_target(path: str, force: bool) -> Path:
    """The file a card may be written to, checked before any work, as every export is
    (`userfiles.check_export_target`)."""
    target = Path(path).expanduser()
    check_export_target(target, force, "desk-card.html")
    return target


def write_file(path: str, content: bytes, force: bool) -> str:
    """Write `content` to `path` in one rename (`userfiles.atomic_write`). A new card is
    readable by others (it is for a shared desk); a replaced one keeps its mode; a folder
    that does not exist is an error, never created. Returns the path as it really is."""
    target = check_target(path, force)
    return str(
        atomic_write(
            target,
            content,
            shared=True,
            make_folder=False,
            hint="nothing was changed; any card already there is as it was",
            recheck=lambda: check_target(path, force),  # nothing took its place meanwhile (a link, a pipe)
        )
    )


def print_pdf(page: str, chromium: str | None = None) -> bytes:
    """`page` printed to A4 PDF by headless Chromium; any failure is a SetguideError."""
    chromium = chromium or find_chromium()
    # A browser can still hold a file of its profile for a moment after it exits (Windows
    # refuses to delete an open file): what is left is the temporary folder's, never an error.
    with tempfile.TemporaryDirectory(prefix="setguide-card-", ignore_cleanup_errors=True) as tmp:
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
            done = subprocess.run(
                args, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise SetguideError(f"Chromium did not finish printing within {TIMEOUT} seconds") from None
        except OSError as exc:
            raise SetguideError(f"cannot run {chromium}: {exc.strerror or exc}") from None
        if not out.is_file() or out.stat().st_size == 0:
            detail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise SetguideError(f"Chromium could not print the card: {detail[0]}")
        return out.read_bytes()
