"""Every `setguide ...` line in the README's code blocks runs as written, in order, in
a scratch folder with its own config folder (so add-date comes before remove-date)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent
# Lines a README example may not run to exit 0 here, and why: what they need is not on this machine.
NEEDS = {"setguide card --pdf": "Chromium, which a test machine may not have"}
INVITE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//example//invite//EN
BEGIN:VEVENT
UID:readme-example@example.org
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/London:20260303T100000
SUMMARY:Thurrock MACE
END:VEVENT
END:VCALENDAR
"""


def examples() -> list[str]:
    """The `setguide` lines of the README's code blocks (fenced, or indented four spaces)."""
    found = []
    fenced = False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        indented = line.startswith("    ") and not line.lstrip().startswith(("-", "|"))
        if not (fenced or indented):
            continue
        text = line.strip().removeprefix("$ ")
        if text.startswith("setguide ") or text == "setguide":
            found.append(re.sub(r"\s+#.*$", "", text))  # a trailing comment is not part of the command
    return found


def test_the_readme_has_examples():
    lines = examples()
    assert "setguide forums import invite.ics" in lines
    assert any(line.startswith("setguide triage ") for line in lines)


def test_every_readme_example_runs_as_written(tmp_path):
    (tmp_path / "invite.ics").write_text(INVITE)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env.update(
        SETGUIDE_CONFIG_DIR=str(tmp_path / "config"),
        SETGUIDE_CACHE_DIR=str(tmp_path / "cache"),
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    failed = []
    for line in examples():
        result = subprocess.run(
            ["bash", "-c", line],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        need = next((why for start, why in NEEDS.items() if line.startswith(start)), None)
        if result.returncode != 0 and not need:
            failed.append((line, result.returncode, result.stderr.strip()[-300:]))
        assert "Traceback" not in result.stderr, (line, result.stderr)
    assert not failed, "\n".join(map(str, failed))


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_make_run_says_where_the_command_is():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "@echo" in run and "$(BIN))/setguide" in run
