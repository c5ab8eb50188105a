"""forums and forums --next: dates beside each forum, a short list, commands never broken."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from setguide.base import clock

SETGUIDE = str(Path(sys.executable).parent / "setguide")


@pytest.fixture
def at(monkeypatch):
    def _at(*wall):
        monkeypatch.setattr(clock, "now", lambda: clock.to_london(clock.datetime(*wall)))

    return _at


def test_forums_shows_the_recorded_date_and_the_next_one(run, at):
    at(2026, 12, 1, 9, 0)
    assert run("forums", "add-date", "thurrock mace", "03/11/2026", "--time", "10:00").code == 0
    out = run("forums", "--authority", "thurrock").out
    assert "Date recorded: Tue 3 Nov 2026 10:00" in out
    assert "Next meeting: Tue 15 Dec 2026 10:00 (projected)" in out  # six weeks on
    got = {f["id"]: f for f in json.loads(run("forums", "--authority", "thurrock", "--json").out)}
    assert got["thurrock-mace"]["recorded_date"] == "2026-11-03"
    assert got["thurrock-mace"]["next"]["date"] == "2026-12-15"
    assert got["thurrock-rmm"]["recorded_date"] is None


def test_next_shows_at_most_two_meetings_of_a_forum_unless_asked(run, at):
    at(2026, 12, 1, 9, 0)
    run("forums", "add-date", "censor", "2026-12-03")  # several in 90 days
    out = run("forums", "--next", "--authority", "southend").out
    assert out.count("Operation Censor") - out.split("No known date", 1)[1].count("Operation Censor") == 2
    assert "Run: setguide forums --next --per-forum 0" in out
    more = run("forums", "--next", "--authority", "southend", "--per-forum", "0").out
    every = more.count("  Operation Censor")
    assert every > 2
    assert len(json.loads(run("forums", "--next", "--json", "--authority", "southend").out)) == every


def test_next_with_no_dates_is_compact(run):
    out = run("forums", "--next").out
    assert len(out.splitlines()) <= 12
    assert out.count("setguide forums add-date") == 1


@pytest.mark.slow  # a pty
@pytest.mark.parametrize("columns", [40, 80])
def test_a_command_is_never_broken_across_lines_on_a_terminal(columns, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", SETGUIDE_CONFIG_DIR=str(tmp_path / "config"))
    child = pexpect.spawn(SETGUIDE, ["forums", "--next"], env=env, dimensions=(60, columns), encoding="utf-8")
    child.expect(pexpect.EOF)
    child.close()
    lines = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before).replace("\r\n", "\n").splitlines()
    command = "setguide forums add-date essex-mace-1-mid 01/12/2026 --time 10:00"
    assert any(line.rstrip().endswith(command) for line in lines)
    assert "setguide forums import FILE.ics" in " ".join(lines)
    assert not any(line.rstrip().endswith("setguide") for line in lines)
