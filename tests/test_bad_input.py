"""The bad-input matrix: each kind of bad input a user can give, the exit code it
gets and a phrase its message must contain. Every row also proves there is no
traceback and no "internal error". The same table, for a reader, is
docs/bad-input.md.

Two rows depend on who runs the tests: a file with mode 000 and a config folder
with mode 500 are readable and writable by root, so as root the unreadable-file
row is skipped (the path-through-a-file row forces the same error) and the
read-only folder is made a regular file instead, so creating it fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from setguide.model import data as data_module

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
MB = 1_000_000
REMINDER = "No routing advice was given. If a child is in immediate danger, call 999."
NO_999_YET = ["--no-threat-to-life", "--no-offence"]
URGENT = ["triage", "--no-threat-to-life", "--offence", "--urgent"]
FORUM_ROUTE = ["triage", *NO_999_YET, "--level", "potential"]


@dataclass
class Row:
    kind: str
    what: str
    argv: list[str]
    code: int
    phrase: str
    setup: Callable[[Path, Path], None] | None = None  # (tmp_path, config_dir)
    marks: list = field(default_factory=list)


def files(**contents: bytes) -> Callable[[Path, Path], None]:
    """Write files under the test's folder; a name starting 'config_' goes in the config folder."""

    def make(tmp: Path, config: Path) -> None:
        for name, content in contents.items():
            path = config / name[len("config_") :] if name.startswith("config_") else tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)

    return make


def a_folder(tmp: Path, config: Path) -> None:
    (tmp / "invite.ics").mkdir()


def unreadable(tmp: Path, config: Path) -> None:
    path = tmp / "invite.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    path.chmod(0)


def read_only_config(tmp: Path, config: Path) -> None:
    """A config folder setguide cannot write; as root (who may write anywhere) a regular
    file where the folder should be, so creating the folder fails instead."""
    if ROOT:
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("not a folder\n")
    else:
        config.mkdir(parents=True, exist_ok=True)
        config.chmod(0o500)


# (dotted name, replacement) pairs a row's setup asks for; the test applies them with monkeypatch.
_PATCHES: list[tuple[str, Callable]] = []


def interrupted(target: str) -> Callable[[Path, Path], None]:
    """Ctrl-C pressed while `target` runs."""

    def press_ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    def make(tmp: Path, config: Path) -> None:
        _PATCHES.append((target, press_ctrl_c))

    return make


def both(*setups: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def make(tmp: Path, config: Path) -> None:
        for setup in setups:
            setup(tmp, config)

    return make


CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Thurrock MACE\r\nDTSTART:20260303T100000\r\n"
HUGE_DESCRIPTION = CALENDAR + b"DESCRIPTION:" + b"x" * (10 * MB) + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
MEETING = b'[meeting.thurrock-mace]\ndate = 2026-03-03\ntime = "10:00"\nsource = "test"\n'
CORRECTION = b'[override."contacts.thurrock.phone_text"]\nvalue = 1\nsource = "x"\nset_on = 2026-11-01\n'

ROWS = [
    # --- unknown names ---
    Row("unknown name", "authority", ["contacts", "narnia"], 2, "unknown authority 'narnia'"),
    Row("unknown name", "authority, a typo", ["contacts", "thurock"], 2, "did you mean: thurrock?"),
    Row("unknown name", "place", ["quadrant", "Atlantis"], 2, "unknown place 'Atlantis'"),
    Row("unknown name", "place, a typo", ["quadrant", "Colchster"], 2, "did you mean: Colchester?"),
    Row("unknown name", "place in triage", [*FORUM_ROUTE, "--area", "Atlantis"], 2, "unknown place 'Atlantis'"),
    Row("unknown name", "forum", ["forums", "add-date", "nowhere forum", "2026-12-01"], 2, "unknown forum"),
    Row("unknown name", "forum, ambiguous", ["forums", "remove-date", "mace"], 2, "matches more than one"),
    Row("unknown name", "authority of forums", ["forums", "--authority", "wales"], 2, "unknown authority 'wales'"),
    Row("unknown name", "section", ["protocol", "9.9"], 2, "unknown section '9.9'"),
    Row(
        "unknown name",
        "theme",
        [*FORUM_ROUTE, "--area", "Southend", "--theme", "knitting"],
        2,
        "unknown theme 'knitting'",
    ),
    Row(
        "unknown name",
        "theme, with nothing close: the themes are listed",
        ["forums", "--theme", "knitting"],
        2,
        "choose one of: county-lines, criminal-exploitation, gangs, missing",
    ),
    Row("unknown name", "level", ["triage", *NO_999_YET, "--level", "medium"], 2, "unknown level 'medium'"),
    Row("unknown name", "level, a typo", ["triage", *NO_999_YET, "--level", "potental"], 2, "did you mean: potential?"),
    Row(
        "unknown name",
        "data key",
        ["data", "set", "contacts.nobody.phone_text", "1", "--source", "x"],
        2,
        "unknown contacts entry 'nobody'",
    ),
    Row("unknown name", "data key shape", ["data", "set", "phone", "1", "--source", "x"], 2, "not a data key: 'phone'"),
    Row("unknown name", "tree format", ["tree", "--format", "svg"], 2, "unknown format 'svg'"),
    Row("unknown name", "command", ["nosuch"], 2, "No such command 'nosuch'"),
    Row("unknown name", "option", ["contacts", "--bogus"], 2, "No such option: --bogus"),
    # --- bad dates and times ---
    Row("bad date or time", "--at garbage", [*URGENT, "--at", "garbage"], 2, "--at: not a date and time"),
    Row("bad date or time", "--at 2026-02-30", [*URGENT, "--at", "2026-02-30"], 2, "'2026-02-30'"),
    Row("bad date or time", "--at 25:00", [*URGENT, "--at", "25:00"], 2, "not a date and time: '25:00'"),
    Row("bad date or time", "--at 2026-12-01T25:00", [*URGENT, "--at", "2026-12-01T25:00"], 2, "not a date and time"),
    Row("bad date or time", "--at empty", [*URGENT, "--at", ""], 2, "--at: empty"),
    Row("bad date or time", "forums --next --at", ["forums", "--next", "--at", "2026-02-30"], 2, "not a date and time"),
    Row("bad date or time", "--at without --next", ["forums", "--at", "2026-12-01"], 2, "go with --next"),
    Row("bad date or time", "--days out of range", ["forums", "--next", "--days", "99999"], 2, "Invalid value"),
    Row(
        "bad date or time",
        "add-date 2026-02-30",
        ["forums", "add-date", "thurrock mace", "2026-02-30"],
        2,
        "not a date: '2026-02-30'",
    ),
    Row(
        "bad date or time",
        "add-date 1999",
        ["forums", "add-date", "thurrock mace", "1999-12-31"],
        2,
        "not a plausible meeting date",
    ),
    Row(
        "bad date or time",
        "--time 25:00",
        ["forums", "add-date", "thurrock mace", "2026-12-01", "--time", "25:00"],
        2,
        "--time: not a time: '25:00'",
    ),
    # --- empty input ---
    Row("empty input", "authority", ["contacts", ""], 2, "did you mean: essex"),
    Row("empty input", "place", ["quadrant", ""], 2, "unknown place ''"),
    Row("empty input", "section", ["protocol", ""], 2, "did you mean: 1, 2"),
    Row("empty input", "search text", ["search", ""], 0, "Nothing found"),
    Row("empty input", "email address", ["email-check", ""], 2, "not an email address"),
    Row("empty input", "--level", ["triage", *NO_999_YET, "--level", ""], 2, "did you mean: operational"),
    Row("empty input", "--area", [*FORUM_ROUTE, "--area", ""], 2, "unknown place ''"),
    Row("empty input", "--theme", [*FORUM_ROUTE, "--area", "Grays", "--theme", ""], 2, "did you mean: county-lines"),
    Row("empty input", "forums --authority", ["forums", "--authority", ""], 2, "did you mean: essex"),
    Row("empty input", "forums --theme", ["forums", "--theme", ""], 2, "did you mean: county-lines"),
    Row("empty input", "FORUM", ["forums", "add-date", "", "2026-12-01"], 2, "did you mean: essex-mace-1-mid"),
    Row("empty input", "DATE", ["forums", "add-date", "thurrock mace", ""], 2, "not a date: ''"),
    Row(
        "empty input",
        "--time",
        ["forums", "add-date", "thurrock mace", "2026-12-01", "--time", ""],
        2,
        "--time: not a time: ''",
    ),
    Row("empty input", "remove-date FORUM", ["forums", "remove-date", ""], 2, "unknown forum ''"),
    Row("empty input", "import FILE", ["forums", "import", ""], 2, "is a folder"),
    Row(
        "empty input",
        "--ics FILE",
        ["forums", "--ics", ""],
        1,
        "it is a folder",
        setup=files(**{"config_meetings.toml": MEETING}),
    ),
    Row("empty input", "data key", ["data", "set", "", "x", "--source", "y"], 2, "not a data key: ''"),
    Row(
        "empty input",
        "data value",
        ["data", "set", "contacts.thurrock.phone_text", "", "--source", "y"],
        2,
        "the new value is empty",
    ),
    Row(
        "empty input",
        "--source",
        ["data", "set", "contacts.thurrock.phone_text", "1", "--source", ""],
        2,
        "--source is empty",
    ),
    Row("empty input", "tree --format", ["tree", "--format", ""], 2, "did you mean: mermaid, rich?"),
    # --- huge input (in-process: Linux caps one argument of a real process at 128 KiB) ---
    Row("huge input", "1 MB authority", ["contacts", "a" * MB], 2, "unknown authority"),
    Row("huge input", "1 MB section", ["protocol", "a" * MB], 2, "unknown section"),
    Row("huge input", "1 MB email address", ["email-check", "a" * MB], 2, "not an email address"),
    Row("huge input", "1 MB --at", [*URGENT, "--at", "2" * MB], 2, "--at: not a date and time"),
    Row("huge input", "1 MB DATE", ["forums", "add-date", "thurrock mace", "1" * MB], 2, "not a date"),
    Row("huge input", "1 MB FORUM", ["forums", "add-date", "f" * MB, "2026-12-01"], 2, "unknown forum"),
    Row("huge input", "1 MB place of many words", ["quadrant", "ab " * (MB // 3)], 2, "unknown place"),
    Row(
        "huge input",
        "1 MB place of one word",
        ["quadrant", "a" * MB],
        2,
        "unknown place",
    ),
    Row("huge input", "1 MB FILE name", ["forums", "import", "a" * MB], 1, "cannot be read"),
    Row(
        "huge input",
        "10 MB binary .ics",
        ["forums", "import", "{tmp}/big.ics"],
        1,
        "not an iCalendar file",
        setup=files(**{"big.ics": bytes(range(256)) * (10 * MB // 256)}),
    ),
    Row(
        "huge input",
        "10 MB .ics event",
        ["forums", "import", "{tmp}/big.ics"],
        0,
        "Thurrock MACE",
        setup=files(**{"big.ics": HUGE_DESCRIPTION}),
    ),
    # --- corrupt or unreadable files ---
    Row(
        "corrupt or unreadable file",
        "binary .ics",
        ["forums", "import", "{tmp}/bad.ics"],
        1,
        "cannot be read as iCalendar",
        setup=files(**{"bad.ics": b"BEGIN:VCALENDAR\r\n\x00\xff\xfe\x01garbage\r\nBEGIN:VEVENT\r\n\xff\r\n"}),
    ),
    Row(
        "corrupt or unreadable file",
        "empty .ics",
        ["forums", "import", "{tmp}/e.ics"],
        1,
        "is empty",
        setup=files(**{"e.ics": b""}),
    ),
    Row(
        "corrupt or unreadable file",
        "a calendar with no events",
        ["forums", "import", "{tmp}/e.ics"],
        1,
        "no events",
        setup=files(**{"e.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}),
    ),
    Row(
        "corrupt or unreadable file",
        "a folder as FILE",
        ["forums", "import", "{tmp}/invite.ics"],
        2,
        "is a folder",
        setup=a_folder,
    ),
    Row("corrupt or unreadable file", "no such FILE", ["forums", "import", "{tmp}/none.ics"], 2, "no such file"),
    Row(
        "corrupt or unreadable file",
        "a path through a file (ENOTDIR)",
        ["forums", "import", "{tmp}/f/invite.ics"],
        1,
        "cannot be read: Not a directory",
        setup=files(f=b"x"),
    ),
    Row(
        "corrupt or unreadable file",
        "mode 000",
        ["forums", "import", "{tmp}/invite.ics"],
        1,
        "cannot be read: Permission denied",
        setup=unreadable,
        marks=[pytest.mark.skipif(ROOT, reason="root reads a mode 000 file; the ENOTDIR row forces the error")],
    ),
    Row(
        "corrupt or unreadable file",
        "--ics into a folder",
        ["forums", "--ics", "{tmp}"],
        1,
        "it is a folder",
        setup=files(**{"config_meetings.toml": MEETING}),
    ),
    Row(
        "corrupt or unreadable file",
        "--ics through a file",
        ["forums", "--ics", "{tmp}/f/out.ics"],
        1,
        "is a file, not a folder",
        setup=files(f=b"x", **{"config_meetings.toml": MEETING}),
    ),
    Row(
        "corrupt or unreadable file",
        "meetings.toml not TOML",
        ["forums", "--next"],
        1,
        "meetings.toml: (syntax): not valid TOML",
        setup=files(**{"config_meetings.toml": b"\x00\xff[meeting"}),
    ),
    Row(
        "corrupt or unreadable file",
        "meetings.toml bad field",
        ["forums", "--next"],
        1,
        "meeting.thurrock-mace.date",
        setup=files(**{"config_meetings.toml": b'[meeting.thurrock-mace]\ndate = "soon"\n'}),
    ),
    Row(
        "corrupt or unreadable file",
        "overrides.toml not TOML",
        ["contacts"],
        1,
        "overrides.toml: (syntax): not valid TOML",
        setup=files(**{"config_overrides.toml": b"[override"}),
    ),
    Row(
        "corrupt or unreadable file",
        "overrides.toml wrong kind of value",
        ["contacts"],
        1,
        "expected the same kind of value",
        setup=files(**{"config_overrides.toml": CORRECTION}),
    ),
    Row(
        "corrupt or unreadable file",
        "overrides.toml not TOML, at a threat to life",
        ["triage", "--threat-to-life"],
        0,
        "local corrections were NOT applied",
        setup=files(**{"config_overrides.toml": b"[override"}),
    ),
    # --- a config folder that cannot be written ---
    Row(
        "read-only config folder",
        "forums add-date",
        ["forums", "add-date", "thurrock mace", "2026-12-01"],
        1,
        "cannot write",
        setup=read_only_config,
    ),
    Row(
        "read-only config folder",
        "data set",
        ["data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "an email"],
        1,
        "cannot write",
        setup=read_only_config,
    ),
    Row(
        "read-only config folder", "reading still works", ["contacts", "thurrock"], 0, "01375 652973", read_only_config
    ),
    # --- Ctrl-C ---
    Row(
        "Ctrl-C",
        "while showing contacts",
        ["contacts"],
        130,
        REMINDER,
        interrupted("setguide.contacts.view.contacts_doc"),
    ),
    Row(
        "Ctrl-C",
        "while routing",
        [*URGENT, "--at", "2026-12-01T10:00"],
        130,
        REMINDER,
        interrupted("setguide.triage.tree.next_step"),
    ),
    Row(
        "Ctrl-C",
        "while importing",
        ["forums", "import", "{tmp}/i.ics"],
        130,
        REMINDER,
        setup=both(files(**{"i.ics": CALENDAR}), interrupted("setguide.forums.calendar.read_invites")),
    ),
]


@pytest.mark.parametrize(
    "row",
    [pytest.param(r, id=f"{r.kind}: {r.what}", marks=r.marks) for r in ROWS],
)
def test_bad_input(row: Row, run, tmp_path, config_dir, monkeypatch):
    _PATCHES.clear()
    data_module.get.cache_clear()  # a row may leave a correction that changes the data
    try:
        if row.setup:
            row.setup(tmp_path, config_dir)
        for target, replacement in _PATCHES:
            monkeypatch.setattr(target, replacement)
        argv = [a.replace("{tmp}", str(tmp_path)) for a in row.argv]
        result = run(*argv)
    finally:
        _PATCHES.clear()
        data_module.get.cache_clear()
        if config_dir.is_dir():
            config_dir.chmod(0o700)
    said = result.out + result.err
    assert "Traceback" not in said and "internal error" not in said, said[:2000]
    assert result.code == row.code, said[:2000]
    assert row.phrase in said, said[:2000]


def test_the_matrix_is_in_the_docs():
    # docs/bad-input.md shows this table to a reader: every row is there.
    doc = (Path(__file__).resolve().parent.parent / "docs" / "bad-input.md").read_text(encoding="utf-8")
    for row in ROWS:
        assert f"| {row.kind} | {row.what} |" in doc, row.what


@pytest.mark.parametrize(
    "wrong",
    [
        ["--area", "Harlow\udcff"],  # bytes that are not UTF-8, as Python keeps them
        ["--bogus"],
        ["--level", "bogus", "--theme"],
        ["--at"],
    ],
    ids=["not-text", "unknown-flag", "missing-value", "missing-at"],
)
def test_threat_to_life_shows_999_whatever_else_is_wrong(wrong, run):
    result = run("triage", "--threat-to-life", *wrong, "--plain")
    assert result.code == 0
    assert result.out.startswith("EMERGENCY: Call 999 now") and "Phone: 999" in result.out
    assert result.err or "was not used" in result.out  # what was wrong is still said
