"""The wizard driven by keystrokes through prompt_toolkit's pipe input: one key for
yes or no, the outcome the moment it is decided, and Ctrl-C or running out of
keys exits 130 with the 999 reminder."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from setguide.base.errors import EMERGENCY_REMINDER, Cancelled
from setguide.triage import ask
from setguide.triage import tree as routing

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)
TUESDAY_22 = datetime(2026, 6, 2, 22, 0, tzinfo=LONDON)
ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"


def drive(data, keys: str, answers=None, at=TUESDAY_10):
    """Run the wizard on `keys`; the pipe is closed, so running out of keys is end of input."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        return ask.wizard(answers or {}, lambda: at, data, routing.tree_for(data), input=pipe, output=DummyOutput())


def test_y_at_the_first_question_is_999_and_nothing_more_is_asked(data):
    # Keys after the first are never read: the outcome is decided by `y`.
    o = drive(data, "y")
    assert o.code == "EMERGENCY" and len(o.answers) == 1


def test_n_y_y_in_hours_is_the_triage_line(data):
    o = drive(data, "nyy")
    assert o.id == "police-urgent-in-hours"
    assert "180022" in o.steps[0].text


def test_n_y_y_out_of_hours_is_101_and_cait(data):
    o = drive(data, "nyy", at=TUESDAY_22)
    assert o.id == "police-urgent-out-of-hours"


def test_the_clock_is_read_when_the_outcome_is_decided(data):
    # The wizard started at 17:59 but the last answer came at 18:00: out of hours.
    times = iter([datetime(2026, 6, 2, 17, 59, tzinfo=LONDON)] * 3 + [datetime(2026, 6, 2, 18, 0, tzinfo=LONDON)])
    with create_pipe_input() as pipe:
        pipe.send_text("nyy")
        pipe.close()
        o = ask.wizard({}, lambda: next(times), data, routing.tree_for(data), input=pipe, output=DummyOutput())
    assert o.timing == "out-of-hours"


def test_n_y_n_is_the_written_referral(data):
    assert drive(data, "nyn").code == "POLICE-WRITTEN"


def test_level_by_number_then_area_by_name(data):
    o = drive(data, "nn" + "2" + ENTER + "Harlow" + ENTER)
    assert o.id == "forum-essex" and o.area.quadrant == "west"


def test_level_by_arrow_key(data):
    o = drive(data, "nn" + DOWN + DOWN + ENTER)
    assert o.code == "STRATEGIC"


def test_southend_asks_the_theme_as_the_fifth_and_last_question(data):
    o = drive(data, "nn2" + ENTER + "Southend" + ENTER + "4" + ENTER)
    assert o.id == "forum-southend" and o.theme == "missing" and len(o.answers) == 5


def test_an_ambiguous_place_is_asked_which(data):
    # Thorpe is in Southend-on-Sea and in Tendring: the two answers lead to different forums.
    first = drive(data, "nn2" + ENTER + "Thorpe" + ENTER + "1" + ENTER + "7" + ENTER)
    second = drive(data, "nn2" + ENTER + "Thorpe" + ENTER + DOWN + ENTER + "7" + ENTER)
    assert {(first.id, first.area.district), (second.id, second.area.district)} == {
        ("forum-southend", "southend-on-sea"),
        ("forum-essex", "tendring"),
    }


def test_an_unknown_place_is_refused_in_the_prompt_and_asked_again(data):
    backspaces = "\x7f" * len("Nowhereville")
    o = drive(data, "nn2" + ENTER + "Nowhereville" + ENTER + backspaces + "Grays" + ENTER + "7" + ENTER)
    assert o.id == "forum-thurrock" and o.area.name == "Grays" and o.theme == "not-sure"


def test_flags_already_given_are_not_asked(data):
    o = drive(data, "y", answers={"threat": "no", "offence": "yes"})
    assert o.code == "POLICE-URGENT"


@pytest.mark.parametrize("keys", ["", "n", "nn", "nn2" + ENTER, "nn2" + ENTER + "Grays" + ENTER])
def test_running_out_of_keys_is_cancelled(data, keys):
    with pytest.raises(Cancelled):
        drive(data, keys)


@pytest.mark.parametrize("keys", [CTRL_C, "n" + CTRL_C, "nn" + CTRL_C, "nn2" + ENTER + "Gr" + CTRL_C])
def test_ctrl_c_at_any_question_is_cancelled(data, keys):
    with pytest.raises(Cancelled):
        drive(data, keys)


def test_cli_end_of_input_exits_130_with_the_reminder(run, terminal):
    with terminal("n"):
        r = run("triage")
    assert r.code == 130
    assert EMERGENCY_REMINDER in r.err
    assert "Traceback" not in r.err and r.out == ""


def test_cli_ctrl_c_exits_130_with_the_reminder(run, terminal):
    with terminal("nn" + CTRL_C):
        r = run("triage")
    assert r.code == 130 and EMERGENCY_REMINDER in r.err


def test_cli_asks_only_what_the_flags_left_open(run, terminal):
    with terminal("y"):
        r = run("triage", "--no-threat-to-life", "--offence", "--at", "2026-06-02T10:00")
    assert r.code == 0 and "Extension: 180022 or 180043" in r.out


@pytest.mark.parametrize(
    "keys",
    [
        "nn\x04" + "1" + ENTER,  # Ctrl-D at the level list; the keys after it must never be read
        "nn2" + ENTER + "Southend" + ENTER + "\x04" + ENTER,  # at the theme list
        "\x04y",  # at the first yes/no
    ],
    ids=["level list", "theme list", "first question"],
)
def test_ctrl_d_cancels_at_every_kind_of_question(data, keys):
    with pytest.raises(Cancelled):
        drive(data, keys)


# --- no answer without a key meant for it ------------------------------------------


def test_enter_alone_answers_no_yes_no_question(data):
    # Enter says the keys again; only y answers.
    o = drive(data, ENTER + ENTER + "y")
    assert o.code == "EMERGENCY" and len(o.answers) == 1
    with pytest.raises(Cancelled):
        drive(data, ENTER)  # nothing but Enter: no answer, so no advice
    with pytest.raises(Cancelled):
        drive(data, "n" + ENTER)  # Q2 still waits for y or n


def test_enter_alone_picks_nothing_in_a_list(data):
    with pytest.raises(Cancelled):
        drive(data, "nn" + ENTER)
    o = drive(data, "nn" + ENTER + "3" + ENTER)
    assert o.code == "STRATEGIC"


@pytest.mark.parametrize("back", ["b", "\x1b"], ids=["b", "Esc"])
def test_b_and_esc_go_back_at_a_yes_no_and_a_list(data, back):
    assert drive(data, "n" + back + "y").code == "EMERGENCY"
    assert drive(data, "nn" + back + "yy").code == "POLICE-URGENT"


def test_question_mark_explains_the_terms_from_the_glossary(data):
    text = ask.glossary(data)
    for term in ("MACE: Missing and Child Exploitation [§2.1]", "CAIT: Child Abuse Investigation Team [§1]", "SPOC"):
        assert term in " ".join(text.split()), term
    assert drive(data, "?y").code == "EMERGENCY"  # `?` answers nothing


def test_the_keys_are_said_under_every_question(data):
    tree = routing.tree_for(data)
    for q in tree.nodes.values():
        if q.asked:
            words = " ".join(ask.message(q, back=True).split())
            assert "?: terms" in words
            if q.kind == "yesno":
                assert "Press y or n" in words or ("y:" in words and "n:" in words)
                assert "b or Esc: back" in words


def test_a_list_of_any_length_is_answered_by_its_number_and_shows_each_example(data):
    from setguide.triage.questions import Branch, Question

    branches = tuple(
        Branch(f"v{i}", f"Choice {i}", "next", f"meaning {i}", f"example {i}" if i == 4 else "") for i in range(1, 5)
    )
    q = Question("level", "choice", "level", "--level", "What do you have?", "operating", branches)
    with create_pipe_input() as pipe:
        pipe.send_text("4" + ENTER)
        pipe.close()
        assert ask.ask(q, data, {"input": pipe, "output": DummyOutput()}) == "v4"
    assert ask._described(branches[3]) == "meaning 4.\n    e.g. example 4"  # the example on a line of its own
    assert ask._described(branches[0]) == "meaning 1"


# --- every flag checked before the first question; 999 on every error exit ---------


@pytest.mark.parametrize(
    "flags",
    [["--at", "Fry 17:45"], ["--level", "operatonal"], ["--area", "Nowhereville"], ["--theme", "gung"]],
    ids=["at", "level", "area", "theme"],
)
def test_a_bad_flag_is_an_error_before_any_question(run, terminal, flags):
    # No keys at all: had a question been asked first, running out of keys would be 130.
    with terminal(""):
        r = run("triage", *flags)
    assert r.code == 2 and r.out == ""
    assert "If a child is in immediate danger, call 999." in r.err


def test_at_a_weekday_is_understood_before_the_questions(run, terminal):
    with terminal("nyy"):
        r = run("triage", "--at", "Friday 17:45")
    assert r.code == 0 and "Routing as at Fri" in r.err and "Phone: 101" in r.out


def test_not_at_a_terminal_a_missing_answer_ends_with_the_999_reminder(run):
    r = run("triage")
    assert r.code == 2 and "--threat-to-life" in r.err
    assert r.err.rstrip().endswith("If a child is in immediate danger, call 999.")


@pytest.mark.parametrize(
    "extra",
    [["--area", "Harlow\udcff"], ["--bogus"], ["--at", "never"], ["--level", "x", "--area", "Nowhere"]],
    ids=["bytes that are not text", "unknown flag", "bad --at", "two bad flags"],
)
def test_threat_to_life_shows_999_whatever_else_is_wrong(run, extra):
    r = run("triage", "--threat-to-life", *extra)
    assert "999" in r.out and "Call 999 now" in r.out
    assert "Traceback" not in r.err


class FakeConsole:
    """msvcrt as Windows has it: keys waiting in the console, read one at a time."""

    def __init__(self, keys: str) -> None:
        self.waiting = list(keys)

    def kbhit(self) -> bool:
        return bool(self.waiting)

    def getwch(self) -> str:
        return self.waiting.pop(0)


@pytest.fixture
def windows(monkeypatch):
    """No termios (an import of it fails, as on Windows) and a fake msvcrt holding keys."""
    import sys

    def console(keys: str) -> FakeConsole:
        fake = FakeConsole(keys)
        monkeypatch.setitem(sys.modules, "termios", None)
        monkeypatch.setitem(sys.modules, "msvcrt", fake)
        return fake

    return console


def test_keys_typed_ahead_are_drained_from_a_windows_console(windows):
    fake = windows("n\r")  # an n and Enter pressed while the next question was drawn
    assert ask.drain_console(0) == 2
    assert fake.waiting == []


def test_the_typeahead_drop_before_a_question_uses_msvcrt_without_termios(windows):
    import os
    from types import SimpleNamespace

    fake = windows("ny")
    leader, follower = os.openpty()  # a real terminal for the fd check; its keys come from the fake console
    try:
        typed = SimpleNamespace(fileno=lambda: follower, typeahead_hash=lambda: "fake-console")
        ask._flush_typeahead(SimpleNamespace(input=typed))
    finally:
        os.close(leader)
        os.close(follower)
    assert fake.waiting == []


def test_a_console_that_keeps_reporting_a_key_never_holds_the_question(windows, monkeypatch):
    class Stuck(FakeConsole):
        def kbhit(self) -> bool:
            return True

        def getwch(self) -> str:
            return "x"

    import sys

    windows("")
    monkeypatch.setitem(sys.modules, "msvcrt", Stuck(""))
    assert ask.drain_console(0) == ask.DRAIN_LIMIT
