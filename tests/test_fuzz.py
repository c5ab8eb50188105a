"""Whatever is typed, whatever files are lying around: setguide answers with an
exit code of 0, 1, 2 or 130 and a message, never a traceback and never its own
"internal error" (the net that catches a bug).

Hypothesis drives the real CLI in-process. Arguments are drawn from the real
command and flag names mixed with arbitrary text; files are arbitrary bytes or
near-valid calendars and TOML. Runs are derandomized so CI sees the same
examples every time, and bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setguide import cli
from setguide.model import corrections as local
from setguide.model import data as data_module
from setguide.model.data import get, read_raw

EXIT_CODES = {0, 1, 2, 130}
BASE = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def fuzz(examples: int) -> settings:
    return settings(BASE, max_examples=examples)


_DATA = get()
AUTHORITIES = [*_DATA.authorities, "essex-police", "police", "set", "ESSEX", "thu", "e"]
FORUMS = [*_DATA.forums, "thurrock mace", "southend task force", "Essex MACE Part 1 - North", "mace", "censor"]
THEMES = [*_DATA.themes, "not-sure", "County Lines"]
LEVELS = ["operational", "potential", "strategic", "op", "pot"]
SECTIONS = [*_DATA.sections, "§2.1", "2.", "4"]
PLACES = ["Harlow", "Grays", "Southend", "Thurrock", "Debden", "Victoria", "outside SET", "Basildon", "Essex", "London"]
KEYS = [k for k, _ in local.keys(read_raw())][::9] + ["contacts.thurrock", "x.y.z", "facts.triage_line.id", "..."]
WHENS = [
    "2026-12-01T10:00",
    "2026-03-29T01:30",
    "2026-10-25T01:30",
    "2026-12-01T10:00Z",
    "2026-12-01T10:00+05:30",
    "2026-02-30",
    "2026-12-01",
    "25:00",
    "now",
    "9999-12-31T23:59",
    "0001-01-01",
    "2026-12-01T10:00:00.123456+14:00",
]
EMAILS = ["x@nhs.net", "someone@essex.pnn.police.uk", "a@b.gsi.gov.uk", "@", "a@@b", "x@nhs.net.evil.com", "a b@c"]

# Arbitrary text as a shell could pass it: no NUL (argv cannot hold one), but
# anything else, including the surrogate escapes Python uses for bytes that are
# not UTF-8 (a Latin-1 file name, say).
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        st.sampled_from(["\udce9", "\udcff", "-", "=", "@", ".", ":", "T", "Z", "+", "§", "…", " "]),
    ),
    max_size=40,
)


def value(real: list[str]) -> st.SearchStrategy[str]:
    """Usually a real value, sometimes one a finger slipped on, sometimes anything."""
    return st.one_of(
        st.sampled_from(real),
        st.sampled_from(real).map(lambda s: s.upper()),
        st.sampled_from(real).map(lambda s: s[: max(1, len(s) // 2)]),
        TEXT,
    )


COMMON = {"--json": None, "--plain": None, "--help": None}
# command -> (positional value strategies, {flag: value strategy or None for a switch})
COMMANDS: dict[tuple[str, ...], tuple[list, dict]] = {
    ("contacts",): ([value(AUTHORITIES)], COMMON),
    ("quadrant",): ([value(PLACES)], COMMON),
    ("protocol",): ([value(SECTIONS)], COMMON),
    ("triage",): (
        [],
        {
            **COMMON,
            "--threat-to-life": None,
            "--no-threat-to-life": None,
            "--offence": None,
            "--no-offence": None,
            "--urgent": None,
            "--not-urgent": None,
            "--level": value(LEVELS),
            "--area": value(PLACES),
            "--theme": value(THEMES),
            "--at": value(WHENS),
        },
    ),
    ("tree",): ([], {"--format": value(["rich", "mermaid"]), "--plain": None}),
    ("search",): ([value(PLACES + THEMES + FORUMS + ["NRM", "blue car"])], {**COMMON, "--limit": value(["1", "8"])}),
    ("email-check",): ([value(EMAILS)], COMMON),
    ("forums",): (
        [],
        {
            **COMMON,
            "--authority": value(AUTHORITIES),
            "-a": value(AUTHORITIES),
            "--theme": value(THEMES),
            "--next": None,
            "--at": value(WHENS),
            "--days": value(["0", "30", "3660", "3661", "-1"]),
        },
    ),
    ("forums", "add-date"): (
        [value(FORUMS), value(WHENS)],
        {**COMMON, "--time": value(["10:00", "9:30", "25:00", "10:60", "1000", ""])},
    ),
    ("forums", "remove-date"): ([value(FORUMS)], COMMON),
    ("data", "set"): ([value(KEYS), TEXT], {"--source": value(["an email from the SPOC", " "])}),
    ("data", "diff"): ([], {"--json": None}),
    ("data", "verify"): ([], {}),
    ("data", "reset"): ([value(KEYS)], {"--all": None}),
    ("data", "keys"): ([value(["contacts", "contacts.thurrock", "facts"])], {}),
}
EVERY_WORD = sorted({w for cmd in COMMANDS for w in cmd} | {f for _, flags in COMMANDS.values() for f in flags})


@st.composite
def command_line(draw) -> list[str]:
    """A command, some of its own flags in any order, its positionals (or not)."""
    cmd = draw(st.sampled_from(sorted(COMMANDS)))
    positionals, flags = COMMANDS[cmd]
    args = [draw(s) for s in positionals[: draw(st.integers(0, len(positionals)))]]
    if flags:
        chosen = draw(st.lists(st.sampled_from(sorted(flags)), max_size=5))
        for flag in chosen:
            args.append(flag)
            if flags[flag] is not None and draw(st.integers(0, 9)):  # now and then the value is missing
                args.append(draw(flags[flag]))
    args = draw(st.permutations(args)) if draw(st.booleans()) else args
    return [*cmd, *args]


CHAOS = st.lists(st.one_of(st.sampled_from(EVERY_WORD + ["--version", "-h", "-"]), TEXT), max_size=8)


@contextlib.contextmanager
def fresh_config():
    """A config folder of its own for one example; the data cache is dropped when
    the example leaves a file in it, so no correction leaks into the next."""
    saved = os.environ.get("SETGUIDE_CONFIG_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SETGUIDE_CONFIG_DIR"] = folder
        data_module.get.cache_clear()
        try:
            yield Path(folder)
        finally:
            data_module.get.cache_clear()
            if saved is None:
                os.environ.pop("SETGUIDE_CONFIG_DIR", None)
            else:
                os.environ["SETGUIDE_CONFIG_DIR"] = saved


def run(argv: list[str]) -> tuple[int, str]:
    """The CLI in-process with streams like a pipe's: stdout strict UTF-8 with a byte
    buffer beneath (as `forums --ics -` needs), stderr forgiving, stdin empty and not
    a terminal, so the wizard never reads."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    streams = (sys.stdin, sys.stdout, sys.stderr)
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
    try:
        code = cli.run(list(argv))
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
    text = ""
    for stream in (out, err):
        stream.flush()
        text += stream.buffer.getvalue().decode("utf-8", "replace")
    return code, text


def check(argv: list[str]) -> tuple[int, str]:
    code, text = run(argv)
    assert code in EXIT_CODES, (argv, code, text)
    assert "Traceback" not in text, (argv, text)
    assert "internal error" not in text, (argv, text)
    return code, text


@fuzz(700)
@given(argv=command_line())
def test_any_command_line_gets_an_answer_or_a_message(argv):
    with fresh_config():
        check(argv)


@fuzz(300)
@given(argv=CHAOS)
def test_any_jumble_of_words_gets_an_answer_or_a_message(argv):
    with fresh_config():
        check(argv)


# --- files ------------------------------------------------------------------

ICS_WHEN = st.one_of(
    st.sampled_from(["20261201T100000", "20260303T100000Z", ";VALUE=DATE:20261201"]),
    st.sampled_from(
        [
            "20261201T100000",
            "20261201T100000Z",
            "20261201",
            ";VALUE=DATE:20261201",
            ";TZID=GMT Standard Time:20260303T100000",
            ";TZID=Nowhere/Else:20260303T100000",
            "19000101T000000",
            "99991231T235959Z",
            "20260230T100000",
            "20261301",
            "",
            "T",
        ]
    ),
    TEXT,
)
RRULES = st.one_of(
    st.sampled_from(
        [
            "FREQ=WEEKLY;INTERVAL=6",
            "FREQ=MONTHLY;BYDAY=2TU",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
            "FREQ=WEEKLY;UNTIL=20270101T000000Z",
            "FREQ=WEEKLY;UNTIL=20250101",
            "FREQ=YEARLY;BYMONTH=13",
            "FREQ=DAILY;COUNT=0",
            "FREQ=SECONDLY",
            "FREQ=",
            "INTERVAL=2",
        ]
    ),
    TEXT,
)


@st.composite
def calendar(draw) -> bytes:
    """A calendar invite close enough to real that icalendar reads it, with any field wrong."""
    events = []
    for _ in range(draw(st.integers(0, 3))):
        lines = ["BEGIN:VEVENT"]
        if draw(st.integers(0, 5)):
            lines.append("SUMMARY:" + draw(value(FORUMS)))
        when = draw(ICS_WHEN)
        lines.append("DTSTART" + (when if when.startswith(";") else ":" + when))
        if draw(st.booleans()):
            lines.append("RRULE:" + draw(RRULES))
        if draw(st.integers(0, 4)) == 0:
            lines.append("RRULE:FREQ=WEEKLY")
        if draw(st.integers(0, 3)) == 0:
            lines.append("EXDATE:" + draw(ICS_WHEN).lstrip(";"))
        if draw(st.integers(0, 5)) == 0:
            lines.append("STATUS:CANCELLED")
        if draw(st.integers(0, 5)) == 0:
            lines.append("RECURRENCE-ID:20261201T100000")
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(TEXT))
        if draw(st.integers(0, 7)):
            lines.append("END:VEVENT")
        events.extend(lines)
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *events, "END:VCALENDAR", ""])
    return text.encode("utf-8", "surrogateescape")


FILE_BYTES = st.one_of(
    calendar(),
    calendar(),
    calendar(),
    st.binary(max_size=300),
    TEXT.map(lambda t: t.encode("utf-8", "surrogateescape")),
)
# A name under the example's own folder; never absolute, never "~", never "..".
FILE_NAME = st.text(
    alphabet=st.characters(blacklist_characters="\x00/~", blacklist_categories=("Cs",)), min_size=1, max_size=20
).filter(lambda n: n not in (".", ".."))


@st.composite
def file_argument(draw, folder: Path) -> str:
    """A path a user might give: a file with contents, a folder, a path through a
    file, a missing file, or '-'."""
    kind = draw(st.sampled_from(["file"] * 6 + ["folder", "through-a-file", "missing", "dash", "empty-name"]))
    name = draw(FILE_NAME)
    path = folder / name
    if kind == "file":
        path.write_bytes(draw(FILE_BYTES))
    elif kind == "folder":
        path.mkdir(exist_ok=True)
    elif kind == "through-a-file":
        path.write_bytes(b"x")
        path = path / "invite.ics"
    elif kind == "dash":
        return "-"
    elif kind == "empty-name":
        return ""
    return str(path)


@fuzz(400)
@given(st.data())
def test_any_file_given_to_forums_import(tmp_path, data):
    with fresh_config():
        target = data.draw(file_argument(Path(tempfile.mkdtemp(dir=tmp_path))))
        extra = data.draw(st.lists(st.sampled_from(["--json", "--plain"]), max_size=2))
        code, _ = check(["forums", "import", target, *extra])
        if code == 0:  # what was imported must also be projected and exported without a fault
            check(["forums", "--next", "--json", "--at", "2026-12-01T10:00", "--days", "3660"])
            check(["forums", "--ics", "-"])


@fuzz(150)
@given(st.data())
def test_any_path_given_to_forums_ics(tmp_path, data):
    with fresh_config() as config:
        # A recorded date first, so there is a calendar to write.
        if data.draw(st.booleans()):
            assert run(["forums", "add-date", "thurrock mace", "2026-03-03", "--time", "10:00"])[0] == 0
        target = data.draw(file_argument(Path(tempfile.mkdtemp(dir=tmp_path))))
        if config in Path(target).parents:  # the fuzzer must not write over the user files under test
            return
        extra = data.draw(st.lists(st.sampled_from(["--json", "--plain", "--next", "-a", "thurrock"]), max_size=2))
        check(["forums", "--ics", target, *extra])


# --- user files ---------------------------------------------------------------

TOML_SCALAR = st.one_of(
    TEXT,
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=True),
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(),
    st.times(),
    st.lists(st.one_of(TEXT, st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 1, 1))), max_size=3),
)


@st.composite
def meetings_doc(draw) -> dict:
    entries = {}
    for forum in draw(st.lists(value(FORUMS), max_size=3)):
        entry = {}
        if draw(st.integers(0, 4)):
            entry["date"] = draw(
                st.one_of(st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 1, 1)), TOML_SCALAR)
            )
        if draw(st.booleans()):
            entry["time"] = draw(st.one_of(st.sampled_from(["10:00", "9:30", "24:00", "x"]), TOML_SCALAR))
        if draw(st.booleans()):
            entry["rrule"] = draw(st.one_of(RRULES, TOML_SCALAR))
        if draw(st.booleans()):
            entry["skip"] = draw(TOML_SCALAR)
        if draw(st.booleans()):
            entry["source"] = draw(TOML_SCALAR)
        entries[forum] = entry if draw(st.integers(0, 9)) else draw(TOML_SCALAR)
    return {"meeting": entries if draw(st.integers(0, 9)) else draw(TOML_SCALAR)}


@st.composite
def overrides_doc(draw) -> dict:
    table = {}
    for key in draw(
        st.lists(st.one_of(st.sampled_from([k for k, _ in local.keys(read_raw())]), value(KEYS)), max_size=3)
    ):
        entry = {}
        if draw(st.integers(0, 5)):
            entry["value"] = draw(TOML_SCALAR)
        if draw(st.integers(0, 5)):
            entry["source"] = draw(st.one_of(st.just("an email"), TOML_SCALAR))
        if draw(st.integers(0, 5)):
            entry["set_on"] = draw(st.one_of(st.just(date(2026, 11, 1)), TOML_SCALAR))
        table[key] = entry if draw(st.integers(0, 9)) else draw(TOML_SCALAR)
    return {"override": table if draw(st.integers(0, 9)) else draw(TOML_SCALAR)}


def toml_bytes(doc: dict) -> bytes:
    import tomli_w

    try:
        return tomli_w.dumps(doc).encode("utf-8", "surrogateescape")
    except (TypeError, ValueError):  # tomli-w refuses some values (a lone surrogate, a time with a zone)
        return b"# tomli-w could not write this example\n"


def user_file(doc: st.SearchStrategy[dict]) -> st.SearchStrategy[bytes | None]:
    return st.one_of(st.none(), doc.map(toml_bytes), st.binary(max_size=200), st.just(b"[meeting\n"))


READERS = [
    ["contacts"],
    ["contacts", "thurrock"],
    ["quadrant", "Harlow"],
    ["forums", "--next", "--at", "2026-12-01T10:00"],
    ["forums", "--next", "--json", "--days", "3660"],
    ["forums", "--ics", "-"],
    ["forums", "add-date", "southend mase", "2026-12-03"],
    ["forums", "remove-date", "thurrock mace"],
    ["triage", "--no-threat-to-life", "--offence", "--urgent", "--at", "2026-12-01T10:00"],
    ["triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Grays", "--theme", "gangs"],
    ["data", "verify"],
    ["data", "diff", "--json"],
    ["data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "an email"],
    ["data", "reset", "--all"],
    ["search", "mace"],
    ["--version"],
]


@fuzz(500)
@given(meetings=user_file(meetings_doc()), overrides=user_file(overrides_doc()), argv=st.sampled_from(READERS))
def test_any_user_files(meetings, overrides, argv):
    with fresh_config() as config:
        config.mkdir(exist_ok=True)
        for name, content in (("meetings.toml", meetings), ("overrides.toml", overrides)):
            if content is not None:
                (config / name).write_bytes(content)
        check(argv)


def test_the_fuzz_harness_sees_an_internal_error(monkeypatch):
    # The control: a bug deep in a command is caught by cli.run's net, and `check` notices it.
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("setguide.contacts.view.contacts_doc", broken)
    with pytest.raises(AssertionError, match="internal error"):
        check(["contacts"])
