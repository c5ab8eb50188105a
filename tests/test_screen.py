"""What a person at an 80×24 terminal sees when triage ends: the installed command
runs in a pseudo-terminal and its output goes through a terminal emulator (pyte),
so what is tested is the last screen, not the stream. Whatever the plan, its Now
action is on that screen with every exact value it needs."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

SETGUIDE = Path(sys.executable).parent / "setguide"
TIMEOUT = 30  # a ceiling for a slow machine, not a measured time
ENTER, ESC, TAB = "\r", "\x1b", "\t"
FRIDAY_1745 = "2026-06-05T17:45"
TUESDAY_10 = "2026-06-02T10:00"
TUESDAY_22 = "2026-06-02T22:00"
BOXING_DAY_OBSERVED = "2026-12-28T10:00"

FORM_URL = "http://www.escb.co.uk/media/2065/partner-information-submission-form.docx"
TRIAGE_EMAIL = "OC.triage.team.essex@essex.pnn.police.uk"
THURROCK_PAGE = (
    "https://www.thurrock.gov.uk/what-to-do-if-you-are-worried-about-child/what-to-do-if-you-are-worried-about-child"
)
ESSEX_PAGE = (
    "https://www.essex.gov.uk/Health-Social-Care/Families-and-childrens-social-care/"
    "Protecting-Vulnerable-Children/Pages/Children-at-Risk-of-Abuse-or-Neglect.aspx"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SETGUIDE.exists(), reason="the console script is not installed in this venv"),
]


class Terminal:
    """The installed setguide in a pty of `rows`×`cols`, read through pyte."""

    def __init__(self, args: list[str], config: Path, rows: int = 24, cols: int = 80) -> None:
        env = {**os.environ, "TERM": "xterm", "SETGUIDE_CONFIG_DIR": str(config), "PROMPT_TOOLKIT_NO_CPR": "1"}
        for name in ("COLUMNS", "LINES", "NO_COLOR"):
            env.pop(name, None)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.log = bytearray()  # everything written, for what has scrolled off by the end
        self.child = pexpect.spawn(str(SETGUIDE), ["triage", *args], env=env, dimensions=(rows, cols))

    def text(self) -> str:
        """The screen as one string: a value the terminal wrapped reads whole again."""
        return "".join(line.rstrip() for line in self.screen.display)

    def _pump(self, timeout: float) -> bool:
        try:
            chunk = self.child.read_nonblocking(100_000, timeout=timeout)
            self.log += chunk
            self.stream.feed(chunk)
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            return False
        return True

    def wait(self, words: str, times: int = 1) -> None:
        """Until `words` are on the screen (`times` times: a question asked again)."""
        end = time.monotonic() + TIMEOUT
        while self.text().count(words) < times and time.monotonic() < end:
            if not self._pump(0.1):
                break
        assert self.text().count(words) >= times, f"{words!r} not on screen:\n" + "\n".join(self.screen.display)

    def keys(self, *steps: tuple) -> None:
        """Each (words, key) or (words, times, key): wait for the words on screen, then press the key."""
        for words, *times, key in steps:
            self.wait(words, *times)
            time.sleep(0.2)  # a person reads before pressing
            self.child.send(key)

    def shown(self) -> str:
        """Everything the session showed, scrolled off or not, as words: escape codes out,
        white space folded (rich wraps prose at the terminal's width)."""
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.log.decode("utf-8", "replace"))
        return " ".join(text.split())

    def finish(self) -> tuple[int, str]:
        """The exit status and the last screen."""
        while self._pump(0.5):
            pass
        self.child.close()
        status = self.child.exitstatus if self.child.exitstatus is not None else 128 + self.child.signalstatus
        return status, self.text()


@pytest.fixture
def term(tmp_path):
    def start(*args: str, rows: int = 24, cols: int = 80) -> Terminal:
        # No session reads the real clock (the suite's guard): a Tuesday in office hours unless given.
        at = [] if "--at" in args else ["--at", TUESDAY_10]
        return Terminal([*args, *at], tmp_path / "config", rows, cols)

    return start


Q1, Q2, Q3, Q4, Q5 = "immediate threat", "offence thought likely", "urgent response", "What do you have", "Where in"


def test_y_at_the_first_question_leaves_999_on_the_last_screen(term):
    t = term()
    t.keys((Q1, "y"))
    code, screen = t.finish()
    assert code == 0
    assert "Phone: 999" in screen and "NOW: Call 999 now" in screen
    assert Q2 not in screen  # nothing more is asked


@pytest.mark.parametrize("rows", [24, 40])
def test_friday_1745_n_y_y_keeps_101_both_extensions_and_the_closing_time(term, rows):
    t = term("--at", FRIDAY_1745, rows=rows)
    t.keys((Q1, "n"), (Q2, "y"), (Q3, "y"), (Q5, ESC))
    code, screen = t.finish()
    assert code == 0  # advice was given: ending the offered question is no cancellation
    tail = screen[screen.rindex("NOW:") :]
    for value in ("Phone: 101", "180022", "180043", "closes at 18:00", "Child Abuse Investigation Team (CAIT)"):
        assert value in tail, value


def test_ctrl_c_after_the_advice_exits_0_with_the_now_repeated(term):
    t = term("--at", TUESDAY_10)
    t.keys((Q1, "n"), (Q2, "y"), (Q3, "y"), (Q5, "\x03"))
    code, screen = t.finish()
    assert code == 0
    assert "No routing advice was given" not in screen
    tail = screen[screen.rindex("NOW:") :]
    assert "Phone: 101" in tail and "180022 or 180043" in tail


def test_enter_on_an_empty_area_ends_the_written_route_with_the_form_and_the_email(term):
    t = term("--at", TUESDAY_10)
    t.keys((Q1, "n"), (Q2, "y"), (Q3, "n"), (Q5, ENTER))
    code, screen = t.finish()
    assert code == 0
    tail = screen[screen.rindex("NOW:") :]
    assert FORM_URL in tail and TRIAGE_EMAIL in tail


def test_out_of_hours_keeps_101_and_the_cait_on_the_last_screen(term):
    t = term("--at", TUESDAY_22)
    t.keys((Q1, "n"), (Q2, "y"), (Q3, "y"), (Q5, ESC))
    code, screen = t.finish()
    tail = screen[screen.rindex("NOW:") :]
    assert code == 0 and "Phone: 101" in tail and "Child Abuse Investigation Team (CAIT)" in tail
    assert "180022" not in tail


def test_a_bank_holiday_keeps_both_routes_on_the_last_screen(term):
    t = term("--at", BOXING_DAY_OBSERVED)
    t.keys((Q1, "n"), (Q2, "y"), (Q3, "y"), (Q5, ESC))
    code, screen = t.finish()
    tail = screen[screen.rindex("NOW:") :]
    assert code == 0 and "180022 or 180043" in tail and "Out-of-hours phone: 101" in tail
    assert "does not say whether the line is staffed" in tail


def test_a_police_route_goes_on_to_the_areas_forum_and_spoc(term):
    t = term("--at", FRIDAY_1745)
    t.keys((Q1, "n"), (Q2, "y"), (Q3, "y"), (Q5, "Grays" + ENTER), ("mainly about", "3" + ENTER))
    code, screen = t.finish()
    assert code == 0
    assert "Gang Related Violence forum" in t.shown()  # Also, for gangs in Thurrock (above the Now)
    tail = screen[screen.rindex("NOW:") :]
    assert "180022 or 180043" in tail and "closes at 18:00" in tail


def test_operational_keeps_the_areas_child_protection_page_and_front_door(term):
    """The last screen holds the protocol's link and the council's numbers (Thurrock's source
    states no office hours: both, labelled); the SPOC is no longer a child-protection Now."""
    t = term()
    t.keys((Q1, "n"), (Q2, "n"), (Q4, "1" + ENTER), (Q5, "Grays" + ENTER))
    code, screen = t.finish()
    tail = screen[screen.rindex("NOW:") :]
    assert code == 0 and THURROCK_PAGE in tail
    assert "(office hours): 01375 652 802" in tail and "(out of hours): 01375 372468" in tail
    assert "SMoules@thurrock.gov.uk" not in tail
    assert ESSEX_PAGE not in screen


def test_potential_keeps_the_forums_and_the_spoc(term):
    t = term()
    t.keys((Q1, "n"), (Q2, "n"), (Q4, "2" + ENTER), (Q5, "Harlow" + ENTER))
    code, screen = t.finish()
    tail = screen[screen.rindex("NOW:") :]
    assert code == 0 and "Essex MACE Part 1 – West Quadrant" in tail and "sally-ann.millar@essex.gov.uk" in tail


def test_strategic_ends_with_sharing_it_with_essex_police(term):
    """Strategic: Now is to share it with Essex Police (101 or the form) for the Group; the
    last screen holds those values. The SPOC table's police entry is under Also."""
    t = term()
    t.keys((Q1, "n"), (Q2, "n"), (Q4, "3" + ENTER))
    code, screen = t.finish()
    tail = screen[screen.rindex("NOW:") :]
    assert code == 0 and "Essex Police" in tail and "Phone: 101" in tail
    assert "partner-information-submission-form.docx" in tail
    assert "Tony.Benjamin@essex.police.co.uk" in screen[: screen.rindex("NOW:")]


def test_flags_give_the_whole_plan_at_once_with_the_now_last(term):
    t = term("--no-threat-to-life", "--offence", "--urgent", "--area", "Grays", "--theme", "gangs", "--at", FRIDAY_1745)
    code, screen = t.finish()
    tail = screen[screen.rindex("NOW:") :]
    assert code == 0 and "180022 or 180043" in tail and "closes at 18:00" in tail
    assert Q5 not in screen  # nothing asked


def test_a_misspelt_place_is_answered_under_the_prompt_and_tab_takes_the_suggestion(term):
    t = term()
    t.keys((Q1, "n"), (Q2, "n"), (Q4, "1" + ENTER), (Q5, "Grasy" + ENTER))
    t.wait("Did you mean: Grays")
    t.child.send("\x7f" * 5 + "Grasy")
    time.sleep(0.3)
    t.child.send(TAB)
    time.sleep(0.3)
    t.child.send(ENTER + ENTER)
    code, screen = t.finish()
    assert code == 0 and THURROCK_PAGE in screen


def test_a_way_back_at_every_question_after_the_first(term):
    # Tall enough that every question asked stays on screen to be counted.
    t = term("--at", TUESDAY_10, rows=60)
    t.keys(
        (Q1, 1, "n"),
        (Q2, 1, "b"),  # yes/no: b
        (Q1, 2, "n"),
        (Q2, 2, "n"),
        (Q4, 1, "b"),  # a list: b
        (Q2, 3, ESC),  # yes/no: Esc
        (Q1, 3, "n"),
        (Q2, 4, "n"),
        (Q4, 2, ESC),  # a list: Esc
        (Q2, 5, "n"),
        (Q4, 3, "1" + ENTER),
        (Q5, 1, ESC),  # a place: Esc
        (Q4, 4, "3" + ENTER),
    )
    code, screen = t.finish()
    assert code == 0 and "STRATEGIC" in screen


def test_ctrl_c_before_any_advice_exits_130_with_the_reminder(term):
    t = term()
    t.keys((Q1, "n"), (Q2, "\x03"))
    code, screen = t.finish()
    assert code == 130
    assert "If a child is in immediate danger, call 999." in screen


def test_at_40_columns_the_level_choices_are_whole_with_their_meaning(term):
    t = term(cols=40)
    t.keys((Q1[:9], "n"), ("offence", "n"))
    t.wait("Potential information")
    t.child.send("2")
    t.wait("no immediate risk")  # the highlighted level's plain meaning, under the list
    lines = [line.rstrip() for line in t.screen.display]
    for label in ("1) Operational", "2) Potential information", "3) Strategic"):
        assert any(line.endswith(label) for line in lines), label
    t.child.sendcontrol("c")
    assert t.finish()[0] == 130


@pytest.mark.parametrize("typed", ["n" + ENTER, "ny"], ids=["n and Enter", "n and y"])
def test_keys_typed_with_an_answer_do_not_answer_the_next_question(term, typed):
    # Sent in one write: the key after `n` reaches setguide before Q2 is drawn, so it
    # was meant for no question, and Q2 waits for its own key.
    t = term("--at", TUESDAY_10)
    t.wait(Q1)
    t.child.send(typed)
    t.wait(Q2)
    t._pump(1.0)
    assert Q4 not in t.text() and Q3 not in t.text()
    t.keys((Q2, "n"), (Q4, "3"))
    t.wait("Strategic")  # a list waits for the number pressed, then Enter
    t.child.send(ENTER)
    code, screen = t.finish()
    assert code == 0 and "STRATEGIC" in t.shown().upper()


def test_a_question_mark_shows_the_terms_with_their_sources(term):
    t = term("--at", TUESDAY_10)
    t.keys((Q1, "?"))
    t.wait("CAIT: Child Abuse Investigation Team")
    assert "MACE: Missing and Child Exploitation [§2.1]" in t.shown()
    t.keys((Q1, "y"))
    code, screen = t.finish()
    assert code == 0 and "Phone: 999" in screen


def test_a_misspelt_place_is_refused_on_enter_only_with_the_suggestion_tab_takes(term):
    t = term("--at", TUESDAY_10)
    t.keys((Q1, "n"), (Q2, "n"), (Q4, "2"), (Q4, ENTER), (Q5, "Grays Thuroc"))
    t._pump(1.0)
    assert "Did you mean" not in t.text()  # nothing said while still typing
    t.keys((Q5, "k" + ENTER))
    t.wait("Did you mean: Grays?")
    t.keys(("Did you mean", TAB), ("Did you mean", ENTER))
    t.wait("What is it mainly about")
    t.keys(("What is it mainly about", "7" + ENTER))
    code, screen = t.finish()
    assert code == 0 and "Grays" in t.shown()


def test_at_40_columns_the_suggestion_for_a_misspelt_place_is_whole(term):
    t = term("--at", TUESDAY_10, cols=40)
    t.keys((Q1[:9], "n"), ("offence", "n"), ("What do you", "2"), ("What do you", ENTER))
    t.keys(("Where in", "Grays Thurock" + ENTER))
    t.wait("Did you mean: Grays? Tab takes it.")
    t.child.sendcontrol("c")
    assert t.finish()[0] == 130
