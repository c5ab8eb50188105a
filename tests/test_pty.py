"""The installed command in a real pseudo-terminal, as a person at a desk meets it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

SETGUIDE = Path(sys.executable).parent / "setguide"
ROOT = Path(__file__).resolve().parent.parent
REMINDER = "No routing advice was given. If a child is in immediate danger, call 999."
TIMEOUT = 30  # a ceiling for a slow machine, not a measured time

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SETGUIDE.exists(), reason="the console script is not installed in this venv"),
]


def spawn(*args: str):
    env = {**os.environ, "COLUMNS": "80", "LINES": "24", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    return pexpect.spawn(
        str(SETGUIDE), ["triage", *args], env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(24, 80)
    )


def finish(child) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def test_y_at_the_first_question_prints_999_and_exits_0():
    child = spawn()
    child.expect("immediate threat to life or safety")
    child.send("y")
    child.expect("999")
    rest = finish(child)
    assert child.exitstatus == 0
    assert "offence" not in rest  # nothing more is asked


def test_n_y_y_in_hours_prints_101_and_the_extensions():
    child = spawn("--at", "2026-06-02T10:00")
    child.expect("immediate threat")
    child.send("n")
    child.expect("offence")
    child.send("y")
    child.expect("urgent response")
    child.send("y")
    child.expect("180022 or 180043")
    child.expect("Where in")  # the optional area, offered once the advice is on screen
    child.send("\x1b")
    finish(child)
    assert child.exitstatus == 0


def test_ctrl_c_exits_130_with_the_reminder():
    child = spawn()
    child.expect("immediate threat")
    child.sendcontrol("c")
    child.expect_exact(REMINDER)
    finish(child)
    assert child.exitstatus == 130


def test_ctrl_c_at_a_later_question_exits_130_with_the_reminder():
    child = spawn()
    child.expect("immediate threat")
    child.send("n")
    child.expect("offence")
    child.send("n")
    child.expect("What do you have")
    child.sendcontrol("c")
    child.expect_exact(REMINDER)
    finish(child)
    assert child.exitstatus == 130


def _forums(tmp_path, **extra: str):
    env = {**os.environ, "TERM": "xterm", "SETGUIDE_CONFIG_DIR": str(tmp_path), **extra}
    for name in ("NO_COLOR", "COLUMNS", "LINES", "PAGER", "SETGUIDE_PAGER"):
        if name not in extra:
            env.pop(name, None)
    return pexpect.spawn(str(SETGUIDE), ["forums"], env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(24, 80))


def test_the_long_forums_listing_opens_in_a_pager_at_a_terminal(tmp_path):
    child = _forums(tmp_path)
    child.expect(r"\n:|\(END\)|lines \d")  # less waits on its prompt for the reader
    assert child.isalive()
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_pager_cat_turns_the_pager_off(tmp_path):
    child = _forums(tmp_path, PAGER="cat")
    out = finish(child)
    assert child.exitstatus == 0 and "SET CSE Strategic Group" in out


def test_piped_forums_is_never_paged(tmp_path):
    import subprocess

    env = {**os.environ, "SETGUIDE_CONFIG_DIR": str(tmp_path)}
    r = subprocess.run([str(SETGUIDE), "forums"], capture_output=True, text=True, env=env, timeout=TIMEOUT)
    assert r.returncode == 0 and len(r.stdout.splitlines()) > 100


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_ctrl_c_under_make_run_ends_with_setguides_own_lines(tmp_path):
    # The venv this suite runs in, with its install stamp left out: nothing is installed.
    venv = Path(sys.executable).parent.parent
    env = {**os.environ, "TERM": "xterm", "SETGUIDE_CONFIG_DIR": str(tmp_path)}
    child = pexpect.spawn(
        "make",
        ["--no-print-directory", "-C", str(ROOT), "run", "RUN_STAMP=", f"VENV={venv}"],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(24, 80),
    )
    child.expect("immediate threat to life or safety")
    child.send("\x03")
    rest = finish(child)
    assert child.exitstatus == 0
    assert "make: ***" not in rest and "Error 130" not in rest
    assert rest.rstrip().endswith(REMINDER)
