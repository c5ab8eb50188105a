"""Help that reads well: no Python type leaks into it, descriptions are not broken
mid-sentence, triage comes first, and a bare `setguide` shows where to start."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from setguide import cli

SETGUIDE = str(Path(sys.executable).parent / "setguide")
# What Typer prints where a parameter has no metavar: <str>, <bool>, <int range>, <list[str]>, {address}.
LEAK = re.compile(r"<(?:str|bool|int|float|path|list)[^>]*>|\{[a-z_]+\}|list\[")


def _commands() -> list[list[str]]:
    import typer.main

    root = typer.main.get_command(cli.full_app())
    found = [[]]
    for name, command in root.commands.items():
        found.append([name])
        found += [[name, sub] for sub in getattr(command, "commands", {})]
    return found


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "setguide")
def test_plain_help_shows_no_type_placeholders(run, command):
    r = run(*command, "--help")
    assert r.code == 0
    assert not LEAK.findall(r.out), r.out


def _pty(args: list[str], columns: int = 100) -> str:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    child = pexpect.spawn(SETGUIDE, args, env=env, dimensions=(60, columns), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)


@pytest.mark.parametrize(
    "command", [[], ["search"], ["forums"], ["forums", "add-date"], ["triage"], ["contacts"], ["email-check"]]
)
def test_rich_help_shows_no_type_placeholders(command):
    screen = _pty([*command, "--help"])
    assert "╭" in screen  # rich help, at a terminal this wide
    assert not LEAK.findall(screen), screen


def test_rich_help_keeps_a_paragraph_together():
    """A docstring's own line breaks are not the screen's: rich help used to print them."""
    flat = _pty(["triage", "--help"], 120)
    assert re.search(r"call 999 now\. Every question is also a flag", flat)


def test_triage_is_the_first_command_listed(run):
    out = run("--help").out
    commands = out.split("Commands:", 1)[1].split()
    assert commands[0] == "triage"


def test_plain_command_list_gives_each_summary_whole(run):
    out = run("--help").out
    assert "..." not in out.split("Commands:", 1)[1]


def test_a_bare_setguide_shows_where_to_start_and_exits_0(run):
    r = run()
    assert r.code == 0
    lines = r.out.splitlines()
    assert len(lines) <= 20
    assert any("999" in line for line in lines[:5])
    assert "Start with:  setguide triage" in r.out
    assert "setguide --help" in r.out


def test_a_bare_setguide_at_a_terminal_exits_0():
    assert "Start with:  setguide triage" in _pty([], 80)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z'-]+", text))


@pytest.mark.parametrize("columns", [80, 40])
def test_the_start_screen_fits_and_breaks_only_between_words(columns):
    text = cli.start_text(columns)
    assert all(len(line) <= columns for line in text.splitlines())
    whole = " ".join([*cli.START_LINES, "Also:", cli.START_END, *(f"{c} {a}" for c, a in cli.START_COMMANDS)])
    assert _words(text) <= _words(whole)  # no word split in two
    assert "call 999 now." in " ".join(text.split())


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "setguide")
def test_every_help_fits_the_terminal_and_breaks_only_between_words(run, monkeypatch, columns, command):
    monkeypatch.setenv("COLUMNS", str(columns))
    r = run(*command, "--help")
    assert r.code == 0
    too_wide = [line for line in r.out.splitlines() if len(line) > columns]
    assert not too_wide
    wide = run_wide(run, monkeypatch, command)
    assert _words(r.out) <= _words(wide)  # a word cut in two would be two new words


def run_wide(run, monkeypatch, command) -> str:
    monkeypatch.setenv("COLUMNS", "200")
    return run(*command, "--help").out


@pytest.mark.slow
@pytest.mark.parametrize("args", [["triage", "--no-threat-to-life", "--offence", "--urgent", "--json"], ["--help"]])
def test_text_and_yes_no_flags_never_import_pydantic(args):
    # Typer would build a pydantic adapter for each; importing pydantic costs more than
    # the rest of a command's start, and the first question waited for it.
    import subprocess

    code = f"import sys; from setguide import cli; cli.run({args!r}); print('pydantic' in sys.modules, file=sys.stderr)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stderr.strip().endswith("False"), r.stderr
