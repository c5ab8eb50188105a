"""The linear wizard (`triage --linear`, SETGUIDE_LINEAR=1, TERM=dumb): each question as
plain numbered lines, answered by typing and Enter, for a screen reader. Nothing is
redrawn, so the raw stream a pty receives holds no escape sequence at all; the keys
are the wizard's own, and the plans and the record are the normal wizard's."""

from __future__ import annotations

import io
import os
import re
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from setguide.base.errors import EMERGENCY_REMINDER, Cancelled
from setguide.triage import ask, linear
from setguide.triage import tree as routing

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)
SETGUIDE = Path(sys.executable).parent / "setguide"
TIMEOUT = 30  # a ceiling for a slow machine, not a measured time
# Any escape sequence: cursor movement, erasing, colour or highlight. None may reach a
# screen reader from the linear wizard.
ESCAPE = re.compile(rb"\x1b")


def lines(typed: str) -> tuple[linear.Lines, io.StringIO]:
    shown = io.StringIO()
    return linear.Lines(stdin=io.StringIO(typed), stdout=shown), shown


def drive(data, typed: str, at=TUESDAY_10):
    prompter, shown = lines(typed)
    answers: dict = {}
    outcome = ask.wizard(answers, lambda: at, data, routing.tree_for(data), linear=prompter)
    return outcome, shown.getvalue()


def test_each_question_is_numbered_with_its_choices_one_a_line(data):
    outcome, shown = drive(data, "n\nn\n1\nBasildon\n")
    assert outcome.id == "child-protection" and outcome.area.name == "Basildon"
    assert "Question 1. Is there an immediate threat to life or safety?" in shown
    assert "Question 3. What do you have?" in shown and "Question 4. Where in" in shown
    for n, label in enumerate(("Operational", "Potential information", "Strategic", "Not sure"), 1):
        assert f"\n  {n}. {label}\n" in shown
    assert "e.g. e.g." not in shown and "e.g. immediate child protection concerns" in shown
    assert "Tab" not in shown and "Esc" not in shown and "arrows" not in shown  # no key a line cannot type


def test_an_answer_not_understood_is_asked_again_with_the_keys(data):
    outcome, shown = drive(data, "maybe\nn\nn\n9\n3\n")
    assert outcome.code == "STRATEGIC"
    assert "Type y or n, then Enter." in shown and "Type a number from 1 to 4, then Enter." in shown


def test_b_goes_back_and_the_question_keeps_its_number(data):
    outcome, shown = drive(data, "n\nb\nn\nn\n3\n")
    assert outcome.code == "STRATEGIC"
    assert shown.count("Question 1. Is there an immediate threat") == 2
    assert shown.count("Question 2. Is an offence") == 2


def test_a_question_mark_shows_the_terms_and_asks_again(data):
    outcome, shown = drive(data, "?\ny\n")
    assert outcome.code == "EMERGENCY"
    assert "CAIT: Child Abuse Investigation Team" in shown


def test_a_misspelt_place_is_answered_with_the_suggestion_that_y_takes(data):
    outcome, shown = drive(data, "n\nn\n1\nGrasy\ny\n")
    assert "Did you mean: Grays? y takes Grays." in shown
    assert outcome.area.name == "Grays"


def test_a_name_two_places_share_is_asked_as_a_numbered_list(data):
    outcome, shown = drive(data, "n\nn\n1\nThorpe\n2\n")
    assert "is more than one place. Which?" in shown and "\n  2. Thorpe (Southend-on-Sea, Southend)" in shown
    assert outcome.area.authority == "southend"


@pytest.mark.parametrize("typed", ["", "n\n", "n\nn\n1\n"], ids=["at once", "at Q2", "at the place"])
def test_end_of_input_cancels(data, typed):
    with pytest.raises(Cancelled):
        drive(data, typed)


def test_enter_on_an_empty_offered_area_finishes(data):
    prompter, shown = lines("\n")
    answers = {"threat": False, "offence": True, "urgent": False}
    tree = routing.tree_for(data)
    outcome = routing.next_step(answers, TUESDAY_10, data, tree)
    assert ask.offer(outcome, answers, lambda: TUESDAY_10, data, tree, linear=prompter) == []
    assert "Enter on empty: finish." in shown.getvalue()


@pytest.mark.parametrize(
    ("env", "flag", "expected"),
    [
        ({}, True, True),
        ({"SETGUIDE_LINEAR": "1"}, False, True),
        ({"SETGUIDE_LINEAR": "0"}, False, False),
        ({"TERM": "dumb"}, False, True),
        ({"TERM": "xterm"}, False, False),
    ],
)
def test_the_linear_wizard_is_chosen_by_flag_environment_or_a_dumb_terminal(monkeypatch, env, flag, expected):
    monkeypatch.delenv("SETGUIDE_LINEAR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert linear.enabled(flag) is expected


# --- the installed command in a pty, reading the raw stream -----------------------------

pexpect = pytest.importorskip("pexpect")


def spawn(args: list[str], config: Path, term: str = "xterm", **env: str):
    environ = {**os.environ, "TERM": term, "SETGUIDE_CONFIG_DIR": str(config), **env}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "SETGUIDE_LINEAR"):
        if name not in env:
            environ.pop(name, None)
    return pexpect.spawn(str(SETGUIDE), ["triage", *args], env=environ, dimensions=(24, 80), timeout=TIMEOUT)


def answer(child, *typed: str) -> bytes:
    """Each answer typed at its `Answer:` line; everything the pty received, raw."""
    raw = b""
    for text in typed:
        child.expect(b"Answer: ")
        raw += child.before + child.after
        child.send(text.encode())
    child.expect(pexpect.EOF)
    raw += child.before
    child.close()
    return raw


def status(child) -> int:
    return child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus


@pytest.mark.slow
@pytest.mark.skipif(not SETGUIDE.exists(), reason="the console script is not installed in this venv")
@pytest.mark.parametrize(
    ("term", "args", "env"),
    [("xterm", ["--linear"], {}), ("xterm", [], {"SETGUIDE_LINEAR": "1"}), ("dumb", [], {})],
    ids=["--linear", "SETGUIDE_LINEAR=1", "TERM=dumb"],
)
@pytest.mark.parametrize(
    "typed",
    [
        ("y\n",),
        ("n\n", "n\n", "1\n", "Basildon\n"),
        ("n\n", "y\n", "y\n", "Southend\n", "1\n"),
        ("n\n", "b\n", "n\n", "n\n", "?\n", "3\n"),
    ],
    ids=["999", "teacher", "police then area", "back and terms"],
)
def test_the_raw_stream_holds_no_escape_sequence(tmp_path, term, args, env, typed):
    child = spawn(["--at", "2026-06-05T17:45", *args], tmp_path, term, **env)
    raw = answer(child, *typed)
    assert status(child) == 0
    assert ESCAPE.findall(raw) == [], raw[max(raw.find(b"\x1b") - 80, 0) : raw.find(b"\x1b") + 20]
    assert b"NOW: " in raw


@pytest.mark.slow
@pytest.mark.skipif(not SETGUIDE.exists(), reason="the console script is not installed in this venv")
def test_y_at_the_first_question_shows_999_at_once(tmp_path):
    child = spawn(["--linear"], tmp_path)
    child.expect(b"Question 1. Is there an immediate threat to life or safety\\?")
    child.expect(b"Answer: ")
    child.send(b"y\n")
    child.expect(b"Phone: 999", timeout=5)
    child.expect(pexpect.EOF)
    child.close()
    assert status(child) == 0 and b"Question 2" not in child.before


@pytest.mark.slow
@pytest.mark.skipif(not SETGUIDE.exists(), reason="the console script is not installed in this venv")
def test_ctrl_c_exits_130_with_the_reminder(tmp_path):
    child = spawn(["--linear"], tmp_path)
    child.expect(b"Answer: ")
    child.send(b"n\n")
    child.expect(b"Answer: ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert status(child) == 130 and EMERGENCY_REMINDER.encode() in child.before


@pytest.mark.slow
@pytest.mark.skipif(not SETGUIDE.exists(), reason="the console script is not installed in this venv")
def test_the_record_is_the_normal_wizards_for_the_same_answers(tmp_path):
    at = ["--at", "2026-06-05T17:45"]
    child = spawn([*at, "--linear", "--record", str(tmp_path / "linear.md")], tmp_path / "a")
    answer(child, "n\n", "y\n", "y\n", "Basildon\n")
    assert status(child) == 0
    child = spawn([*at, "--record", str(tmp_path / "keys.md")], tmp_path / "b")
    for expected, key in (("immediate threat", "n"), ("offence", "y"), ("urgent", "y"), ("Where in", "Basildon\r")):
        child.expect(expected)
        child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert status(child) == 0
    assert (tmp_path / "linear.md").read_text() == (tmp_path / "keys.md").read_text()
