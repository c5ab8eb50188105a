"""forums and forums --next: dates beside each forum, a short list, commands never broken."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from setguide.base import clock

SETGUIDE = str(Path(sys.executable).parent / "setguide")


@pytest.fixture
def at(monkeypatch):
    def _at(*wall):
        monkeypatch.setattr(clock, "now", lambda: clock.to_london(clock.datetime(*wall)))

    return _at


def test_forums_shows_the_recorded_date_and_the_next_one(run, at):
    at(2026, 12, 1, 9, 0)
    assert run("forums", "add-date", "thurrock mace", "03/11/2026", "--time", "10:00").code == 0
    out = run("forums", "--authority", "thurrock").out
    assert "Date recorded: Tue 3 Nov 2026 10:00" in out
    assert "Next meeting: Tue 15 Dec 2026 10:00 (projected)" in out  # six weeks on
    got = {f["id"]: f for f in json.loads(run("forums", "--authority", "thurrock", "--json").out)}
    assert got["thurrock-mace"]["recorded_date"] == "2026-11-03"
    assert got["thurrock-mace"]["next"]["date"] == "2026-12-15"
    assert got["thurrock-rmm"]["recorded_date"] is None


def test_next_shows_at_most_two_meetings_of_a_forum_unless_asked(run, at):
    at(2026, 12, 1, 9, 0)
    run("forums", "add-date", "censor", "2026-12-03")  # several in 90 days
    out = run("forums", "--next", "--authority", "southend").out
    assert out.count("Operation Censor") - out.split("No known date", 1)[1].count("Operation Censor") == 2
    assert "Run: setguide forums --next --per-forum 0" in out
    more = run("forums", "--next", "--authority", "southend", "--per-forum", "0").out
    every = more.count("  Operation Censor")
    assert every > 2
    assert len(json.loads(run("forums", "--next", "--json", "--authority", "southend").out)) == every


def test_next_with_no_dates_is_compact(run):
    out = run("forums", "--next").out
    assert len(out.splitlines()) <= 12
    assert out.count("setguide forums add-date") == 1


@pytest.mark.slow  # a pty
@pytest.mark.parametrize("columns", [40, 80])
def test_a_command_is_never_broken_across_lines_on_a_terminal(columns, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", SETGUIDE_CONFIG_DIR=str(tmp_path / "config"))
    child = pexpect.spawn(SETGUIDE, ["forums", "--next"], env=env, dimensions=(60, columns), encoding="utf-8")
    child.expect(pexpect.EOF)
    child.close()
    lines = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before).replace("\r\n", "\n").splitlines()
    command = "setguide forums add-date essex-mace-1-QUADRANT 01/12/2026 --time 10:00"
    assert any(line.rstrip().endswith(command) for line in lines)
    assert "setguide forums import FILE.ics" in " ".join(lines)
    # no command cut after its first word ("... setguide" / "forums add-date ...")
    assert not any(
        a.rstrip().endswith("setguide") and b.lstrip().startswith("forums")
        for a, b in zip(lines, lines[1:], strict=False)
    )


# --- the area's SPOC, and setguide's readings said as such ----------------------------


@pytest.mark.parametrize(
    ("authority", "lines"),
    [
        (
            "thurrock",
            [
                "Thurrock SPOC",
                "Seema Moules – Child Exploitation & Missing Team Manager, Thurrock Council",
                "Email: SMoules@thurrock.gov.uk",
                "Phone: 01375 652973",
            ],
        ),
        (
            "southend",
            [
                "Alex Bridge – Service Manager – Adolescent Intervention & Prevention Team/Early Help/Edge of Care, "
                "Southend-On-Sea Borough Council",
                "Email: alexbridge@southend.gov.uk",
                "Phone: 01702 534300",
                "Or extension: 4050",
                "As written: 01702 534300 or extension 4050",
            ],
        ),
        (
            "ess",
            [
                "Sally-Ann Millar – Child Exploitation Project Manager, Essex Safeguarding Children Board",
                "Email: sally-ann.millar@essex.gov.uk",
                "Phone: 07788 303718",
                "Or phone: 0333 013 4258",
            ],
        ),
    ],
)
def test_forums_for_an_authority_show_its_spoc_as_contacts_does(run, authority, lines):
    out = run("forums", "--authority", authority).out.splitlines()
    for line in lines:
        assert line in out, line
    contacts = run("contacts", authority).out.splitlines()
    assert [line for line in out if line in contacts and line.startswith(("Email", "Phone", "Or "))] == [
        line for line in contacts if line.startswith(("Email", "Phone", "Or "))
    ]
    assert "named contacts are as the protocol gives them" in "\n".join(out)  # the trust pass's caution
    # the SPOC comes first, before the forums
    spoc = next(i for i, line in enumerate(out) if line.endswith(" SPOC"))
    assert spoc < next(i for i, line in enumerate(out) if line.startswith("Meets:"))


def test_forums_json_carries_each_forums_spoc(run):
    got = {f["id"]: f for f in json.loads(run("forums", "--authority", "thurrock", "--json").out)}
    spoc = got["thurrock-mace"]["spoc"]
    assert (spoc["name"], spoc["email"], spoc["phone_text"]) == (
        "Seema Moules",
        "SMoules@thurrock.gov.uk",
        "01375 652973",
    )
    assert spoc["role"] and spoc["organisation"] == "Thurrock Council" and spoc["source"] == "SPOC table"
    strategic = json.loads(run("forums", "--authority", "set", "--json").out)
    assert [f["spoc"] for f in strategic] == [None]


def test_forums_for_the_set_group_and_all_forums_name_no_spoc(run):
    assert " SPOC\n" not in run("forums", "--authority", "set").out
    assert " SPOC\n" not in run("forums").out


def test_a_theme_filter_says_it_is_setguides_reading(run):
    out = run("forums", "--theme", "county").out
    assert "Theme: County lines (drug lines run into the area, cuckooing; setguide's words)." in out
    assert "Which forum suits which theme is setguide's reading of each forum's stated focus" in out
    assert "setguide's reading" not in run("forums").out.split("Essex MACE Part 2", 1)[0]
    got = json.loads(run("forums", "--theme", "county", "--json").out)
    assert {f["themes_source"] for f in got} == {"setguide"}


def test_part_2_is_listed_per_quadrant_as_setguides_reading_part_1_as_the_protocols(run):
    out = run("forums", "--authority", "essex").out
    part1, part2 = out.split("Essex MACE Part 2\n", 1)
    assert "Held in each quadrant [§2.1]:" in part1
    assert "Held in each quadrant" not in part2
    assert "Listed once for each quadrant (setguide's reading, see below):" in part2
    assert "setguide's reading: Part 2 is listed once for each quadrant" in part2
    assert "setguide's reading: later dates are projected every other month." in part2
    assert "Source: §2.1; setguide" in part2


def test_add_date_and_next_say_projections_are_setguides_reading_never_the_protocols_cadence(run, at):
    at(2026, 12, 1, 9, 0)
    added = run("forums", "add-date", "essex-mace-2-north", "14/01/2027").out
    assert (
        "Repeats: the 2nd Thursday of every other month (setguide's reading of the protocol's "
        "“Part 2 of the meeting is run bi-monthly” [§2.1])" in added
    )
    assert "setguide's reading: later dates are projected every other month." in added
    following = run("forums", "add-date", "censor", "03/12/2026").out
    assert (
        "every other Thursday (setguide's reading of the protocol's “This takes place fortnightly” [§2.3])" in following
    )
    nxt = run("forums", "--next", "--days", "120").out
    assert "Caution: setguide's reading: projected dates follow each forum's stated frequency" in nxt
    assert "setguide's reading: later dates are projected every other month." in nxt
    for out in (added, following, nxt, run("forums").out, run("forums", "--ics", "-").out):
        assert "protocol's cadence" not in out
    got = json.loads(run("forums", "--next", "--json", "--days", "120").out)
    assert {m["projected_by"] for m in got if m["basis"] == "cadence"} == {"setguide"}
    assert all(m["readings"] for m in got if m["id"].startswith("essex-mace-2"))


def test_the_calendar_says_whose_words_each_line_is(run, at):
    at(2026, 12, 1, 9, 0)
    run("forums", "add-date", "essex-mace-2-south", "14/01/2027")
    ics = run("forums", "--ics", "-").out.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
    assert "setguide's reading: Part 2 is listed once for each quadrant" in ics
    assert "Later dates: the 2nd Thursday of every other month (setguide's reading of the protocol's" in ics
    assert "Source: SET child exploitation information sharing protocol, §2.1; dates and readings: setguide." in ics


def test_the_add_date_hint_names_no_quadrant_when_none_is_known(run):
    for argv in (("forums",), ("forums", "--next"), ("forums", "--authority", "essex")):
        out = run(*argv).out
        assert "add-date essex-mace-1-QUADRANT" in out and "QUADRANT is mid, north, west or south" in out
        assert "essex-mace-1-mid 01/12/2026" not in out
    assert "add-date southend-censor 01/12/2026" in run("forums", "--authority", "southend").out


def test_where_the_protocol_is_silent_the_listing_says_so_as_setguide(run):
    out = run("forums", "--authority", "thurrock").out
    rmm = out.split("Risk Management Meeting\n", 1)[1].split("Source:", 1)[0]
    assert "Meets: setguide: The protocol states no frequency." in rmm
    assert "Chair or lead: setguide: The protocol names no chair." in rmm
    assert "Who attends: The RMM is a multi-agency forum" in rmm  # the protocol's own words, unlabelled


def test_the_spoc_beside_the_forums_is_the_same_json_as_contacts_gives(run):
    """One contact JSON: `forums --json` carries the SPOC exactly as `contacts --json` does."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from freezegun import freeze_time

    with freeze_time(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))):
        forum = {f["id"]: f for f in json.loads(run("forums", "--authority", "thurrock", "--json").out)}
        (contact,) = json.loads(run("contacts", "thurrock", "--json").out)
    spoc = dict(forum["thurrock-mace"]["spoc"])
    assert spoc.pop("named_by") == "thurrock"
    contact.pop("local_corrections")
    contact.pop("named_sources", None)
    assert spoc == contact
