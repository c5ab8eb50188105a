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
    states no office hours: both, labelled, neither as "office hours"); the SPOC is no longer a
    child-protection Now."""
    t = term("--at", TUESDAY_10)
    t.keys((Q1, "n"), (Q2, "n"), (Q4, "1" + ENTER), (Q5, "Grays" + ENTER))
    code, screen = t.finish()
    tail = screen[screen.rindex("NOW:") :]
    assert code == 0 and THURROCK_PAGE in tail
    assert "(MASH): 01375 652 802" in tail and "(out of hours): 01375 372468" in tail
    assert "(office hours)" not in tail
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
    # Tall enough that every question asked, and the plan's heading under its named
    # sources' cautions, stay on screen to be counted.
    t = term("--at", TUESDAY_10, rows=90)
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


# --- the record holds what the screen showed, and nothing else -------------------------

# Every plan that offers the area once its Now is on screen, reached by keys.
OFFERED = {
    "in hours": (TUESDAY_10, "nyy"),
    "closing soon": (FRIDAY_1745, "nyy"),
    "bank holiday": (BOXING_DAY_OBSERVED, "nyy"),
    "out of hours": (TUESDAY_22, "nyy"),
    "written": (TUESDAY_10, "nyn"),
}
# Each kind of answer to the offered area: Essex (no theme), Southend and Thurrock (a
# theme), and a place outside SET (where it touches).
AREA_ANSWERS = {
    "Basildon": (("Where in", "Basildon" + ENTER),),
    "Southend": (("Where in", "Southend" + ENTER), ("mainly about", "1" + ENTER)),
    "Grays": (("Where in", "Grays" + ENTER), ("mainly about", "3" + ENTER)),
    "Ipswich": (("Where in", "Ipswich" + ENTER), ("touch", "2" + ENTER)),
}
VALUE = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+\.\w+|\b0\d{3,4} ?\d{3} ?\d{3,4}\b|\b\d{6}\b|\b(?:999|101)\b")
STEP = re.compile(r"^\s*(\d+)\. (\S+(?: \S+){0,5})", re.M)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _values(text: str) -> set[str]:
    return {_squeezed(v).rstrip(".,;)") for v in VALUE.findall(text)}


def _steps(text: str) -> set[str]:
    return {f"{n}. {_squeezed(words)}" for n, words in STEP.findall(text)}


@pytest.mark.parametrize("area", AREA_ANSWERS)
@pytest.mark.parametrize("path", OFFERED)
def test_the_record_holds_every_step_and_value_the_screen_showed_and_no_other(term, tmp_path, path, area):
    at, answers = OFFERED[path]
    record = tmp_path / "r.md"
    t = term("--at", at, "--record", str(record), rows=400, cols=100)
    t.keys((Q1, answers[0]), (Q2, answers[1]), (Q3, answers[2]), *AREA_ANSWERS[area])
    code, _ = t.finish()
    assert code == 0
    screen = "\n".join(line.rstrip() for line in t.screen.display)
    screen = screen[screen.index("POLICE-") : screen.index("Record written")]  # the advice, not the questions
    shown = record.read_text().split("```text\n", 1)[1].split("\n```", 1)[0]
    assert _steps(shown) and _values(shown)
    # Any step or value in one and not the other fails (the screen's are read whole again
    # where the terminal wrapped them, by comparing with white space taken out).
    assert {s for s in _steps(shown) if _squeezed(s) not in _squeezed(screen)} == set()
    assert {s for s in _steps(screen) if _squeezed(s) not in _squeezed(shown)} == set()
    assert {v for v in _values(shown) if v not in _squeezed(screen)} == set()
    assert {v for v in _values(screen) if v not in _squeezed(shown)} == set()
    # The plan the keys reached is the plan the same answers give as flags.
    flags = ["--no-threat-to-life", "--offence", "--urgent" if answers[2] == "y" else "--not-urgent"]
    flags += {"Southend": ["--theme", "county-lines"], "Grays": ["--theme", "gangs"]}.get(area, [])
    flags += ["--touches", "southend"] if area == "Ipswich" else []
    plan = Terminal([*flags, "--area", area, "--at", at, "--plain"], tmp_path / "config", 400, 100)
    assert plan.finish()[0] == 0
    by_flags = "\n".join(line.rstrip() for line in plan.screen.display)
    added = screen[screen.rindex("ALSO: ") :]  # what the area added, as the wizard showed it
    assert {s for s in _steps(by_flags) if _squeezed(s) not in _squeezed(screen)} == set()
    assert {v for v in _values(by_flags) if v not in _squeezed(screen)} == set()
    assert {s for s in _steps(added) if _squeezed(s) not in _squeezed(by_flags)} == set()
    assert {v for v in _values(added) if v not in _squeezed(by_flags)} == set()


@pytest.mark.parametrize("path", OFFERED)
def test_a_police_plan_answered_nowhere_in_set_ends_with_the_local_police_and_the_record_agrees(term, tmp_path, path):
    """Ipswich, touching nowhere in SET: no Essex Police route applies, so the plan on the last
    screen is the one the same answers give as flags, and the record holds what was shown."""
    at, answers = OFFERED[path]
    record = tmp_path / "r.md"
    t = term("--at", at, "--record", str(record), rows=400, cols=100)
    t.keys((Q1, answers[0]), (Q2, answers[1]), (Q3, answers[2]), (Q5, "Ipswich" + ENTER), ("touch", "4" + ENTER))
    code, _ = t.finish()
    assert code == 0
    screen = "\n".join(line.rstrip() for line in t.screen.display)
    last = screen[screen.rindex("OUTSIDE-SET") : screen.index("Record written")]
    for words in ("Phone (local police force): 101", "police force and the council where the concern is"):
        assert _squeezed(words) in _squeezed(last), words
    for claim in ("Triage Team", "CAIT", FORM_URL, TRIAGE_EMAIL):
        assert _squeezed(claim) not in _squeezed(last), claim
    shown = record.read_text().split("```text\n", 1)[1].split("\n```", 1)[0]
    assert _squeezed(last) in _squeezed(shown)  # the record holds the plan the screen ended with
    assert {v for v in _values(shown) if v not in _squeezed(screen)} == set()
    flags = ["--no-threat-to-life", "--offence", "--urgent" if answers[2] == "y" else "--not-urgent"]
    plan = Terminal([*flags, "--area", "Ipswich", "--touches", "none", "--at", at, "--plain"], tmp_path / "c", 400, 100)
    assert plan.finish()[0] == 0
    by_flags = "\n".join(line.rstrip() for line in plan.screen.display).strip()
    assert _squeezed(by_flags) == _squeezed(last)


# Q4's choices, each with its whole meaning and example as the tree gives them.
LEVEL_MEANINGS = {
    "1": "a concern about a child. e.g. immediate child protection concerns",
    "2": "no immediate risk. e.g. hot spots and vulnerable locations",
    "3": "patterns across SET, or emerging in one SET area with the potential to expand into others. "
    "e.g. details of any organised and complex abuse enquiries",
    "4": "the child protection front door first",
}


@pytest.mark.parametrize("cols", [80, 40])
def test_each_level_shows_its_whole_meaning_and_example_broken_at_words(term, cols):
    t = term("--at", TUESDAY_10, cols=cols)
    t.keys((Q1[:9], "n"), ("offence", "n"))
    t.wait("Potential information")
    for number, meaning in LEVEL_MEANINGS.items():
        t.child.send(number)
        last_word = meaning.split()[-1]
        t.wait(last_word)
        lines = [line.rstrip() for line in t.screen.display]
        start = next(i for i, line in enumerate(lines) if "Description:" in line)
        described = " ".join(line.strip() for line in lines[start:] if line.strip())
        assert meaning in described.replace("Description: ", ""), described
        assert "e.g. e.g." not in described
        # Broken at words: every word of the meaning is whole on one line.
        words = set(meaning.replace(".", " ").replace(",", " ").split())
        on_lines = {w for line in lines[start:] for w in line.replace(".", " ").replace(",", " ").split()}
        assert words <= on_lines, words - on_lines
    t.child.sendcontrol("c")
    assert t.finish()[0] == 130


# Keystrokes from the first question to the Now on screen, each key counted (a place's
# letters too): the wizard's cost for four people's tasks, held where it is.
TASKS = {
    "999": ((Q1, "y"),),
    "a Basildon teacher: an offence, not urgent": ((Q1, "n"), (Q2, "y"), (Q3, "n")),
    "strategic": ((Q1, "n"), (Q2, "n"), (Q4, "3" + ENTER)),
    "a GP receptionist in Harlow: a concern about a child": (
        (Q1, "n"),
        (Q2, "n"),
        (Q4, "1" + ENTER),
        (Q5, "Harlow" + ENTER),
    ),
}
KEYSTROKES = {"999": 1, "a Basildon teacher: an offence, not urgent": 3, "strategic": 4}
KEYSTROKES["a GP receptionist in Harlow: a concern about a child"] = 11


@pytest.mark.parametrize("task", TASKS)
def test_keystrokes_to_the_now_stay_as_they_were(term, task):
    steps = TASKS[task]
    assert sum(len(key) for _, key in steps) == KEYSTROKES[task]
    t = term("--at", TUESDAY_10)
    t.keys(*steps[:-1])
    words, last = steps[-1]
    t.wait(words)
    t.child.send(last[:-1])
    t._pump(1.0)
    assert "NOW" not in t.shown()  # one key short of the plan, there is none yet
    t.child.send(last[-1])
    t.wait("NOW: ")
    if steps[1:2] == ((Q2, "y"),):  # a police Now offers the area next: ending it is no cancellation
        t.keys((Q5, "\x03"))
    code, screen = t.finish()
    assert code == 0 and "NOW: " in screen


@pytest.mark.parametrize("key", [ESC, "\x03"], ids=["Esc", "Ctrl-C"])
def test_a_place_typed_then_left_leaves_no_echo_that_looks_accepted(term, key):
    t = term("--at", TUESDAY_10, rows=60)
    t.keys((Q1, "n"), (Q2, "y"), (Q3, "y"), (Q5, "Basil"))
    t.wait("Basil")
    time.sleep(0.3)
    t.child.send(key)
    code, screen = t.finish()
    assert code == 0  # advice was given
    lines = [line.rstrip() for line in t.screen.display]
    asked = max(i for i, line in enumerate(lines) if Q5 in line)
    assert not any("Basil" in line for line in lines[asked:]), "\n".join(lines[asked:])
    assert "NOW: " in screen[screen.rindex(Q5) :]  # the Now again, with no area
