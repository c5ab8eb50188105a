"""An echo is one line: whatever name a user gave (a file, a key, a place, a value) is
shown through `text.one_line`, with a line break as ⏎ and an escape code as its text, so
a name cannot print a line that reads as setguide's own ("Phone: 0800 ...")."""

from __future__ import annotations

import pytest

from setguide.base.text import echo, one_line

# A name that would print a phone line of its own, and clear the screen.
HOSTILE = "x\nPhone: 0800 000 000 (Triage Team)\x1b[2J"
SHOWN = "x⏎Phone: 0800 000 000 (Triage Team)\\x1b[2J"
TRIAGE = ["triage", "--no-threat-to-life", "--no-offence", "--level", "operational"]
AT = ["--at", "2026-12-01T10:00"]


def test_one_line_shows_every_break_and_control_character_as_text():
    assert one_line(HOSTILE) == SHOWN
    assert one_line("a\r\nb\tc\u202ed\u200b") == "a⏎b\\tc\\u202ed\\u200b"
    assert echo("De\nbden") == "'De⏎bden'"
    assert len(one_line("y" * 500)) == 80  # a pasted page is cut, keeping its start and end


def _commands(tmp):
    missing = str(tmp / "no folder" / HOSTILE)
    return [
        ["quadrant", HOSTILE],
        ["contacts", HOSTILE],
        [*TRIAGE, "--area", HOSTILE, *AT],
        [*TRIAGE, "--area", "Grays", "--record", missing, *AT],
        ["triage", "--at", HOSTILE],
        ["forums", "--authority", HOSTILE],
        ["forums", "--theme", HOSTILE],
        ["forums", "--ics", missing],
        ["forums", "add-date", HOSTILE, "2026-12-08"],
        ["forums", "remove-date", HOSTILE],
        ["forums", "import", str(tmp / HOSTILE)],
        ["forums", "import", missing],
        ["search", HOSTILE],
        ["email-check", HOSTILE],
        ["protocol", HOSTILE],
        ["data", "set", HOSTILE, "v", "--source", "s"],
        ["data", "reset", HOSTILE],
        ["data", "keys", HOSTILE],
        ["data", "team", missing],
        ["data", "team", str(tmp / HOSTILE)],
        ["data", "export", "--team", HOSTILE, str(tmp / "team.toml")],
        ["data", "export", "--team", "Basildon CSC", missing],
        ["card", "--html", missing],
        ["tree", "--format", HOSTILE],
    ]


@pytest.mark.parametrize("index", range(24))
def test_a_name_with_a_line_break_and_an_escape_code_is_echoed_on_one_line(run, tmp_path, index):
    (tmp_path / HOSTILE).write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    args = _commands(tmp_path)[index]
    r = run(*args)
    shown = r.out + r.err
    assert r.code in ((0,) if args[0] == "search" else (1, 2)), shown  # a search finds the words it can
    assert "\x1b" not in shown
    lines = [line.strip() for line in shown.splitlines()]
    assert not any(line.startswith("Phone: 0800 000 000") for line in lines), shown
    # Echoed or not, never as Python writes it ('x\\nPhone'): as one line, with ⏎ (a search
    # reads the name as words, so its heading shows them one space apart).
    assert shown.count("Phone: 0800 000") == shown.count("x⏎Phone: 0800 000") + shown.count("x Phone: 0800 000"), shown
    assert "\\x1b[2J" in shown or "Phone: 0800 000" not in shown


def _paths(command, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    subs = getattr(command, "commands", None)
    if not subs:
        return {path}
    found = {path} if path and getattr(command, "invoke_without_command", False) else set()
    for name, sub in subs.items():
        if not sub.hidden:
            found |= _paths(sub, (*path, name))
    return found


def test_every_command_that_takes_a_name_is_tried(tmp_path):
    import typer.main

    from setguide import cli

    paths = _paths(typer.main.get_command(cli.full_app()))
    tried = {tuple(a for a in args[:2] if not a.startswith("-") and a != HOSTILE) for args in _commands(tmp_path)}
    tried = {t if t in paths else t[:1] for t in tried}
    assert paths - tried == {("data", "verify"), ("data", "diff"), ("sources",)}  # they take no name
