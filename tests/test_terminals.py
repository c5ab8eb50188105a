"""Every terminal a user might have: 20, 40 and 80 columns, TERM=dumb, NO_COLOR,
a pipe, and --plain for a screen reader. Whatever the terminal, every number,
extension, email address and link the protocol gives is there whole.

The installed console script runs in a real pseudo-terminal (pexpect), so rich
sees a terminal exactly as a user's shell gives it one. `contacts` at several
widths is in test_cli_basics.py; this file covers the other commands.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

SETGUIDE = Path(sys.executable).parent / "setguide"
PROTOCOL = Path(__file__).parent / "fixtures" / "set-child-exploitation-information-sharing-protocol.txt"
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>])")
BOX = re.compile(r"[\u2500-\u257f]")  # │ ┃ ━ ╭ and the rest of the box-drawing block
URL = re.compile(r"https?://[^\s,;)]+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

pytestmark = pytest.mark.skipif(not SETGUIDE.exists(), reason="the console script is not installed in this venv")

COMMANDS = {
    "quadrant": ["quadrant", "Harlow"],
    "triage-urgent": [
        "triage",
        "--no-threat-to-life",
        "--offence",
        "--urgent",
        "--at",
        "2026-12-01T10:00",
        "--area",
        "Harlow",
    ],
    "triage-forum": [
        "triage",
        *("--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Southend", "--theme", "not-sure"),
    ],
    "forums": ["forums"],
    "email-check": ["email-check", "x@thurrock.gov.uk"],  # a no: it shows where the form goes
}
EVERY = {"contacts": ["contacts"], **COMMANDS}


def protocol_values() -> list[str]:
    """Every link, email address, phone number and extension in the protocol, as it gives them."""
    text = re.sub(r"\[bookmark:[^\]]*\]", " ", PROTOCOL.read_text(encoding="utf-8"))
    urls = [u.rstrip(".") for u in URL.findall(text)]
    text = URL.sub(" ", text)
    emails = EMAIL.findall(text)
    text = EMAIL.sub(" ", text)
    numbers = [n for n in re.findall(r"\d(?:[\d ]*\d)?", text) if len(n.replace(" ", "")) >= 3]
    return sorted(set(urls + emails + numbers))


VALUES = protocol_values()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def shown(value: str, text: str) -> str | None:
    """How `value` appears in `text` (the data may space a number differently), or None."""
    found = re.search(r"\s*".join(map(re.escape, flat(value))), text)
    return found.group(0) if found else None


def environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR")}
    env.update({"TERM": "xterm-256color", "PAGER": "cat", **extra})  # the whole output, not a pager
    return env


def pty(args: list[str], columns: int, **extra: str) -> str:
    """What the terminal receives, with the pty's \\r\\n as \\n."""
    child = pexpect.spawn(
        str(SETGUIDE), args, env=environ(**extra), dimensions=(50, columns), encoding="utf-8", timeout=30
    )
    child.expect(pexpect.EOF)
    child.ptyproc.delayafterclose = 0  # the process has ended; no need to wait for it
    child.close()
    screen = child.before.replace("\r\n", "\n")
    assert child.exitstatus == 0, screen
    assert "Traceback" not in screen
    return screen


_screens: dict[tuple[str, int], str] = {}


def screen_of(name: str, columns: int) -> str:
    """The rich screen of a command at a width, drawn once for the tests that read it."""
    if (name, columns) not in _screens:
        _screens[name, columns] = pty(EVERY[name], columns)
    return _screens[name, columns]


def piped(args: list[str], **extra: str) -> str:
    result = subprocess.run(
        [str(SETGUIDE), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, env=environ(**extra)
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def plain_outputs() -> dict[str, str]:
    return {name: piped(args) for name, args in EVERY.items()}


def test_the_protocol_values_are_found():
    # The list the width tests check against: it must hold the numbers people dial.
    for value in ("01375 652973", "180022", "180043", "OC.triage.team.essex@essex.pnn.police.uk", "4050"):
        assert value in VALUES
    assert any(v.startswith("https://www.escb.co.uk/media/2570/") for v in VALUES)


@pytest.mark.parametrize("columns", [20, 40, 80])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_protocol_value_is_whole_at_any_width(plain_outputs, name, columns):
    plain = plain_outputs[name]
    expected = [v for v in VALUES if shown(v, plain)]
    if name == "forums":  # no numbers here; the ids are what a user copies into forums add-date
        expected = [a or b for a, b in re.findall(r"\(id ([\w-]+)\)|^Id: (\S+)$", plain, re.M)]
    assert expected, f"{name} shows none of the protocol's values: the check would be empty"
    screen = screen_of(name, columns)
    assert "\x1b[" in screen  # a terminal gets rich output
    text = ANSI.sub("", screen)
    for value in expected:
        assert flat(value) in flat(text), (name, columns, value)
        # and setguide itself never breaks it: any wrap is the terminal's own soft wrap
        assert shown(value, plain) in text, f"{value!r} is split across lines at {columns} columns"
    for line in text.splitlines():
        assert "…" not in line, (name, columns, line)


@pytest.mark.parametrize("columns", [20, 40])
@pytest.mark.parametrize("name", sorted(EVERY))
def test_every_link_and_email_is_unbroken_at_narrow_widths(plain_outputs, name, columns):
    # Not only the protocol's: a link beside the protocol (a GOV.UK page) is copied and
    # clicked the same way, and a line break in it makes it a different address.
    plain = plain_outputs[name]
    text = ANSI.sub("", screen_of(name, columns))
    for value in sorted(set(URL.findall(plain) + EMAIL.findall(plain))):
        assert value.rstrip(".") in text, f"{value!r} is split across lines at {columns} columns"


@pytest.mark.parametrize("setting", [{"TERM": "dumb"}, {"NO_COLOR": "1"}], ids=["TERM=dumb", "NO_COLOR"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_dumb_and_no_color_terminals_get_no_escape_codes(plain_outputs, name, setting):
    screen = pty(COMMANDS[name], 80, **setting)
    assert "\x1b" not in screen
    # the same text a pipe gets, so nothing is lost for want of colour
    assert flat(screen) == flat(plain_outputs[name])


@pytest.mark.parametrize("name", sorted(EVERY))
def test_piped_output_has_no_escape_codes_even_on_a_colour_terminal(plain_outputs, name):
    assert "\x1b" not in plain_outputs[name]
    assert "\x1b" not in piped(EVERY[name], COLUMNS="20", FORCE_COLOR="1", CLICOLOR_FORCE="1")


@pytest.mark.parametrize("name", sorted(EVERY))
def test_plain_is_linear_text_for_a_screen_reader(plain_outputs, name):
    screen = pty([*EVERY[name], "--plain"], 40)
    assert "\x1b" not in screen
    assert not BOX.search(screen), BOX.search(screen)
    assert "…" not in screen
    assert flat(screen) == flat(plain_outputs[name])  # --plain is the piped text, not a variant of it
    for line in screen.splitlines():
        # Every line says something: no rule or border made of punctuation alone.
        assert not line.strip() or re.search(r"\w", line), repr(line)


def test_a_usage_error_on_a_dumb_terminal_has_no_escape_codes():
    child = pexpect.spawn(
        str(SETGUIDE), ["contacts", "nowhere"], env=environ(TERM="dumb"), dimensions=(50, 40), encoding="utf-8"
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "\x1b" not in child.before and "unknown authority" in child.before
