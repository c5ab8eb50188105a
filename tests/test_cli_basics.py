"""What every command owes a user: help with an example, a version, plain output
when piped, rich output on a terminal that never cuts a number, and no traceback."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from setguide import __version__
from setguide.cli import app

SETGUIDE = str(Path(sys.executable).parent / "setguide")
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands) + sorted(
    g.name for g in app.registered_groups if g.name
)


def test_version(run):
    result = run("--version")
    assert result.code == 0 and __version__ in result.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(run, command):
    result = run(command, "--help")
    assert result.code == 0
    assert "Example" in result.out or "example" in result.out


def test_top_level_help_puts_999_first(run):
    result = run("--help")
    assert result.code == 0 and "999" in result.out


@pytest.mark.parametrize(
    "args", [["--bogus"], ["contacts", "a", "b"], ["nosuchcommand"], ["quadrant", "--json", "--plain", "-x"]]
)
def test_bad_usage_exits_2_without_a_traceback(run, args):
    result = run(*args)
    assert result.code == 2
    assert "Traceback" not in result.err + result.out


def test_piped_output_has_no_escape_codes(run):
    result = run("contacts")
    assert "\x1b[" not in result.out


def _pty(args: list[str], columns: int, env: dict[str, str] | None = None) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    environ.update({"TERM": "xterm-256color", **(env or {})})
    child = pexpect.spawn(SETGUIDE, args, env=environ, dimensions=(50, columns), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


def _unwrapped(screen: str) -> str:
    """The screen's text with colour codes and line breaks removed, as a reader
    copying it would see the characters in order."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("columns", [20, 40, 80, 140])
def test_on_a_terminal_every_number_and_email_is_whole_at_any_width(columns):
    screen = _pty(["contacts"], columns)
    assert "\x1b[" in screen  # a terminal gets rich output
    flat = _unwrapped(screen)
    for value in (
        "01375652973",
        "SMoules@thurrock.gov.uk",
        "Dial:101thenext203584/07855515869",
        "01702534300orextension4050",
        "Tony.Benjamin@essex.police.co.uk",
        "07788303718/03330134258",
    ):
        assert value in flat, (columns, value)
    assert "…" not in screen


def test_on_a_narrow_terminal_no_line_is_cut_by_rich(tmp_path):
    screen = _pty(["quadrant", "Harlow"], 40)
    for line in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen).splitlines():
        assert "…" not in line
    assert "https://www.escb.co.uk/media/2570/mace-principal-contact-list-updated-mid.docx" in re.sub(
        r"\s+", "", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    )


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_and_dumb_terminals_get_plain_lines(env):
    screen = _pty(["contacts", "thurrock"], 80, env)
    assert "\x1b[" not in screen
    assert "Phone: 01375 652973" in screen


def test_plain_flag_on_a_terminal(tmp_path):
    screen = _pty(["contacts", "thurrock", "--plain"], 80)
    assert "\x1b[" not in screen and "Email: SMoules@thurrock.gov.uk" in screen


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_the_contacts_table_keeps_each_role_and_organisation(columns):
    flat = " ".join(re.sub(r"[│┃]", " ", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", _pty(["contacts"], columns))).split())
    for words in ("Child Exploitation & Missing Team Manager", "Thurrock Council", "Operations Centre Triage"):
        assert all(w in flat for w in words.split()), (columns, words)


def test_help_on_a_narrow_terminal_keeps_every_flag_whole():
    screen = _pty(["triage", "--help"], 40)
    for flag in ("--threat-to-life", "--no-offence", "--not-urgent", "--record"):
        assert flag in screen
    assert "…" not in screen


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_help_without_colour_is_plain_text(env):
    screen = _pty(["data", "--help"], 100, env)
    assert "\x1b[" not in screen and "╭" not in screen and "Example" in screen
