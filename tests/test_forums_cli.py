"""`setguide forums`: the listing, add-date / remove-date, and --next at the moments
that break naive code (month ends, year ends, both clock changes)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from setguide.model.data import cite

LONDON = ZoneInfo("Europe/London")


def at(*args):
    """freezegun reads naive values as UTC: always freeze with an aware UK time."""
    return freeze_time(datetime(*args, tzinfo=LONDON))


def add(run, *args):
    r = run("forums", "add-date", *args)
    assert r.code == 0, r.err
    return r


def next_json(run, *args):
    r = run("forums", "--next", "--json", *args)
    assert r.code == 0, r.err
    return [(m["id"], m["date"], m["time"]) for m in json.loads(r.out)]


# --- the listing -------------------------------------------------------------------


def test_every_forum_is_listed_with_cadence_chair_attendees_purpose_and_citation(run, data):
    r = run("forums")
    assert r.code == 0, r.err
    for f in data.forums.values():
        assert f.name in r.out
        assert f.id in r.out
        assert f.chair in r.out
        assert f.attendees in r.out
        assert f.cadence_text in r.out
        for p in f.purpose:
            assert p in r.out
        assert f"Source: {cite(f.section)!s}" in r.out
    assert "SET CSE Strategic Group" in r.out and "Source: §3" in r.out


def test_json_lists_every_forum_with_its_facts(run, data):
    got = json.loads(run("forums", "--json").out)
    assert sorted(f["id"] for f in got) == sorted(data.forums)
    order = ["essex", "southend", "thurrock", "set"]
    ranks = [order.index(f["authority"]) for f in got]
    assert ranks == sorted(ranks)  # grouped by authority, §3 last
    mase = next(f for f in got if f["id"] == "southend-mase")
    assert mase["cadence"] == "six-weekly" and mase["source"] == "§2.3" and mase["authority"] == "southend"
    assert mase["purpose"] and mase["chair"] and mase["attendees"]


@pytest.mark.parametrize(
    ("authority", "expected"),
    [
        ("thur", {"thurrock-mace", "thurrock-rmm", "thurrock-tracker", "thurrock-grv"}),
        ("SOUTHEND", {"southend-censor", "southend-task-force", "southend-mase"}),
        ("set", {"set-cse-strategic-group"}),
    ],
)
def test_authority_filter_takes_any_case_and_prefixes(run, authority, expected):
    got = json.loads(run("forums", "--authority", authority, "--json").out)
    assert {f["id"] for f in got} == expected


def test_essex_lists_both_parts_in_all_four_quadrants(run):
    got = {f["id"] for f in json.loads(run("forums", "--authority", "essex", "--json").out)}
    assert got == {f"essex-mace-{p}-{q}" for p in (1, 2) for q in ("mid", "north", "west", "south")}


def test_theme_filter(run, data):
    got = {f["id"] for f in json.loads(run("forums", "--authority", "southend", "--theme", "missing", "--json").out)}
    assert got == {"southend-mase"}
    both = {f["id"] for f in json.loads(run("forums", "--theme", "gangs", "--json").out)}
    assert both == {f.id for f in data.forums.values() if "gangs" in f.themes}


@pytest.mark.parametrize("args", [("--authority", "kent"), ("--theme", "burglary")])
def test_unknown_filters_exit_2(run, args):
    r = run("forums", *args)
    assert r.code == 2
    assert "unknown" in r.err and "Traceback" not in r.err


def test_at_without_next_is_a_usage_error(run):
    r = run("forums", "--at", "2026-01-01")
    assert r.code == 2 and "--next" in r.err


# --- add-date and remove-date -------------------------------------------------------


def test_forum_matches_id_or_name_by_unique_substring_any_case(run):
    assert run("forums", "add-date", "THURROCK MACE", "2026-03-03").code == 0
    assert run("forums", "add-date", "essex-mace-1-west", "2026-01-13").code == 0
    assert run("forums", "add-date", "operation cens", "2026-01-08").code == 0
    assert run("forums", "add-date", "essex mace part 2 - north", "2026-01-08").code == 0
    assert run("forums", "add-date", "Southend Task Force", "2026-01-27").code == 0
    with at(2026, 1, 1, 9, 0):
        got = {i for i, _, _ in next_json(run, "--days", "365")}
    assert got == {"thurrock-mace", "essex-mace-1-west", "southend-censor", "essex-mace-2-north", "southend-task-force"}


def test_an_ambiguous_forum_exits_2_listing_the_candidates(run):
    r = run("forums", "add-date", "mace part 1", "2026-03-03")
    assert r.code == 2
    for q in ("mid", "north", "west", "south"):
        assert f"essex-mace-1-{q}" in r.err
    assert "thurrock-mace" not in r.err


def test_an_unknown_forum_exits_2_with_suggestions(run, config_dir):
    r = run("forums", "add-date", "thurock-mase", "2026-03-03")
    assert r.code == 2 and "unknown forum" in r.err and "thurrock-mace" in r.err
    assert not (config_dir / "meetings.toml").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("2026-02-30",), "not a date"),
        (("12/17/2026",), "not a date"),  # month first: there is no month 17
        (("tomorrow",), "not a date"),
        (("2026-03-03", "--time", "25:00"), "--time"),
        (("2026-03-03", "--time", "10am"), "--time"),
        (("2026-03-03T10:00", "--time", "11:00"), "two start times"),
    ],
)
def test_bad_dates_and_times_exit_2_and_record_nothing(run, config_dir, args, words):
    r = run("forums", "add-date", "thurrock-mace", *args)
    assert r.code == 2
    assert words in r.err and "Traceback" not in r.err + r.out
    assert not (config_dir / "meetings.toml").exists()


def test_add_date_confirms_the_rule_and_the_next_dates(run):
    with at(2026, 1, 1, 12, 0):
        r = run("forums", "add-date", "essex mace part 2 – north", "2026-01-13", "--time", "14:00")
    assert r.code == 0, r.err
    assert "Tue 13 Jan 2026 14:00" in r.out
    assert "the 2nd Tuesday of every other month" in r.out
    assert "Tue 10 Mar 2026, Tue 12 May 2026, Tue 14 Jul 2026" in r.out


def test_a_new_date_replaces_the_old_one_and_shows_how_to_put_it_back(run, config_dir):
    add(run, "thurrock-grv", "2026-01-13", "--time", "10:00")
    r = run("forums", "add-date", "thurrock-grv", "2026-01-20")
    assert r.code == 0
    assert "Tue 13 Jan 2026 10:00" in r.out
    restore = "setguide forums add-date thurrock-grv 2026-01-13 --time 10:00"
    assert restore in r.out
    assert run(*restore.split()[1:]).code == 0
    with at(2026, 1, 1, 9, 0):
        assert next_json(run, "--authority", "thurrock", "--days", "40") == [
            ("thurrock-grv", "2026-01-13", "10:00"),
            ("thurrock-grv", "2026-02-10", "10:00"),
        ]


def test_remove_date_forgets_it_and_says_how_to_put_it_back(run):
    add(run, "MASE", "2026-02-02", "--time", "09:30")
    r = run("forums", "remove-date", "mase")
    assert r.code == 0 and "setguide forums add-date southend-mase 2026-02-02 --time 09:30" in r.out
    with at(2026, 2, 1, 9, 0):
        assert next_json(run) == []
    again = run("forums", "remove-date", "mase")
    assert again.code == 0 and "nothing changed" in again.out


def test_both_subcommand_and_listing_options_parse(run):
    assert run("forums", "add-date", "--help").code == 0
    assert run("forums", "--next", "--days", "7").code == 0
    assert run("forums", "--days", "-1", "--next").code == 2


# --- --next --------------------------------------------------------------------------


def test_next_with_no_dates_names_every_forum_once_with_one_command_that_adds_a_date(run, data):
    r = run("forums", "--next")
    assert r.code == 0
    listed = r.out.split("No known date: ", 1)[1].split("\n", 1)[0]
    for f in data.forums.values():
        assert f.name.rsplit(" – ", 1)[0] in listed
    assert r.out.count("setguide forums add-date ") == 1
    # No quadrant is known: the hint names none, and says how to find one's own.
    assert "Run: setguide forums add-date essex-mace-1-QUADRANT 01/12/2026 --time 10:00" in r.out
    assert "QUADRANT is mid, north, west or south" in r.out and "essex-mace-1-mid" not in r.out
    # Part 2 per quadrant is setguide's reading, said in the one line that lists it.
    assert "Essex MACE Part 2 (Mid Quadrant, North Quadrant, West Quadrant, South Quadrant; " in listed
    assert "listed per quadrant: setguide's reading" in listed


def test_next_text_shows_uk_dates_and_marks_projections(run):
    add(run, "operation censor", "2026-12-14", "--time", "11:00")  # fortnightly: next Mon 28 Dec
    with at(2026, 12, 14, 8, 0):
        r = run("forums", "--next", "--days", "14", "--authority", "southend")
    assert "Mon 14 Dec 2026 11:00  Operation Censor\n" in r.out
    assert "Mon 28 Dec 2026 11:00  Operation Censor (projected)" in r.out
    assert "confirm them with the chair" in r.out
    # the other Southend forums, with no date, are listed apart
    assert "MASE" in r.out.split("No known date: ", 1)[1]


def test_next_json_objects_carry_forum_name_and_iso_date(run):
    with at(2026, 12, 1, 9, 0):
        add(run, "censor", "2026-12-10", "--time", "13:00")
        got = json.loads(run("forums", "--next", "--json", "--days", "23").out)
    assert got == [
        {
            "forum": "Operation Censor",
            "id": "southend-censor",
            "date": "2026-12-10",
            "time": "13:00",
            "basis": "recorded",
            "projected_by": None,
            "bank_holiday": None,
            "source": "added on 2026-12-01",
            "authority": "southend",
            "readings": [],
            "other_cadence": None,  # no named source gives Operation Censor another frequency
            "local_corrections": [],
        },
        {
            "forum": "Operation Censor",
            "id": "southend-censor",
            "date": "2026-12-24",
            "time": "13:00",
            "basis": "cadence",
            # a date projected from "fortnightly" is setguide's reading, never the protocol's date
            "projected_by": "setguide",
            "bank_holiday": None,
            "source": "added on 2026-12-01",
            "authority": "southend",
            "readings": [],
            "other_cadence": None,  # no named source gives Operation Censor another frequency
            "local_corrections": [],
        },
    ]


def test_next_across_a_month_end(run):
    add(run, "southend task force", "2026-01-27", "--time", "10:00")  # 4th Tuesday
    add(run, "southend-censor", "2026-01-19")  # fortnightly: 2 Feb, 16 Feb, then 2 Mar
    with at(2026, 1, 31, 23, 59):
        got = next_json(run, "--days", "28")  # to Sat 28 Feb, the last day of the month
    assert got == [
        ("southend-censor", "2026-02-02", None),
        ("southend-censor", "2026-02-16", None),
        ("southend-task-force", "2026-02-24", "10:00"),
    ]


def test_next_across_a_year_end(run):
    add(run, "essex-mace-2-south", "2026-11-11", "--time", "09:00")  # 2nd Wednesday, bi-monthly
    add(run, "southend-mase", "2026-12-03")  # every six weeks
    with at(2026, 12, 31, 23, 30):
        got = next_json(run, "--days", "60")
    assert got == [
        ("essex-mace-2-south", "2027-01-13", "09:00"),
        ("southend-mase", "2027-01-14", None),
        ("southend-mase", "2027-02-25", None),
    ]
    with at(2027, 1, 1, 0, 0):  # one minute later on the wall clock: nothing changes but the window
        assert next_json(run, "--days", "59") == got


def test_next_uses_the_uk_date_just_after_midnight_in_summer_time(run):
    # 00:30 BST on Mon 30 Mar 2026 is still Sunday 29 March in UTC: the Censor of the 29th is past.
    add(run, "censor", "2026-03-15", "--time", "10:00")  # fortnightly Sundays: 29 Mar, 12 Apr
    add(run, "mase", "2026-03-30", "--time", "10:00")
    with at(2026, 3, 30, 0, 30):
        got = next_json(run, "--days", "14")
    assert got == [("southend-mase", "2026-03-30", "10:00"), ("southend-censor", "2026-04-12", "10:00")]


def test_next_across_the_spring_clock_change_keeps_the_wall_clock_time(run):
    # Recorded in GMT; clocks go forward on Sun 29 Mar. Fortnightly: 29 Mar, 12 Apr, 26 Apr.
    add(run, "censor", "2026-03-15", "--time", "10:00")
    with at(2026, 3, 28, 23, 30):
        before = next_json(run, "--days", "28")
    with at(2026, 3, 29, 3, 0):  # after 01:00 GMT became 02:00 BST
        after = next_json(run, "--days", "28")
    assert before == [("southend-censor", "2026-03-29", "10:00"), ("southend-censor", "2026-04-12", "10:00")]
    assert after == [*before, ("southend-censor", "2026-04-26", "10:00")]


def test_next_across_the_autumn_clock_change(run):
    # Clocks go back at 02:00 BST on Sun 25 Oct 2026. 00:30 BST that day is 23:30 UTC on the 24th,
    # so the MASE of Saturday the 24th is past; the window runs to Sat 28 Nov.
    add(run, "censor", "2026-10-11", "--time", "10:00")  # recorded in BST; fortnightly: 25 Oct, 8 Nov, 22 Nov
    add(run, "mase", "2026-09-12", "--time", "09:30")  # six-weekly: 24 Oct, then 5 Dec
    add(run, "essex-mace-1-north", "2026-09-24", "--time", "09:30")  # 4th Thursday
    with at(2026, 10, 25, 0, 30):
        got = next_json(run, "--days", "34")
    assert got == [
        ("southend-censor", "2026-10-25", "10:00"),
        ("southend-censor", "2026-11-08", "10:00"),
        ("southend-censor", "2026-11-22", "10:00"),
        ("essex-mace-1-north", "2026-11-26", "09:30"),
    ]
    with freeze_time(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)):  # the repeated hour, in GMT
        assert next_json(run, "--days", "34") == got


def test_at_sets_the_moment_and_offsets_are_converted_to_uk_time(run):
    add(run, "thurrock-rmm", "2026-06-06")  # a Saturday
    # 23:30Z on Fri 5 June is 00:30 BST on Saturday 6 June
    assert next_json(run, "--at", "2026-06-05T23:30:00Z", "--days", "0") == [("thurrock-rmm", "2026-06-06", None)]
    assert next_json(run, "--at", "2026-06-05T23:30", "--days", "0") == []
    bad = run("forums", "--next", "--at", "next tuesday")
    assert bad.code == 2 and "ISO 8601" in bad.err


def test_a_forum_without_a_stated_frequency_shows_only_its_recorded_date(run):
    add(run, "tracker", "2026-05-05", "--time", "13:00")
    with at(2026, 5, 1, 9, 0):
        assert next_json(run, "--days", "365") == [("thurrock-tracker", "2026-05-05", "13:00")]
    with at(2026, 5, 6, 9, 0):
        r = run("forums", "--next", "--authority", "thurrock")
        assert next_json(run, "--days", "365") == []
    assert "last recorded Tue 5 May 2026 13:00" in r.out


def test_the_risk_management_meeting_states_no_frequency_so_only_its_recorded_date_is_shown(run):
    r = add(run, "thurrock-rmm", "2026-01-26", "--time", "10:00")  # a Monday
    assert "Repeats: this date only (the protocol states no frequency)" in r.out
    with at(2026, 1, 1, 9, 0):
        got = json.loads(run("forums", "--next", "--json", "--days", "365").out)
        text = run("forums", "--next", "--days", "365", "--per-forum", "0", "--authority", "thurrock").out
    assert [(m["id"], m["date"], m["time"], m["basis"]) for m in got] == [
        ("thurrock-rmm", "2026-01-26", "10:00", "recorded")
    ]
    assert "- Mon 26 Jan 2026 10:00  Risk Management Meeting\n" in text
    assert text.count("Risk Management Meeting") == 1 and "(projected)" not in text
    with at(2026, 1, 27, 9, 0):  # the day after: nothing is carried forward, however far ahead
        assert next_json(run, "--days", "3660") == []
        after = run("forums", "--next", "--authority", "thurrock").out
    assert "last recorded Mon 26 Jan 2026 10:00; the protocol states no frequency" in after


def test_next_flags_a_projection_onto_a_bank_holiday(run):
    assert run("forums", "add-date", "operation censor", "27/11/2026").code == 0
    with at(2026, 11, 30, 9, 0):
        r = run("forums", "--next", "--days", "60")
        assert "Fri 25 Dec 2026  Operation Censor (projected) (Christmas Day: a bank holiday)" in r.out
        assert "setguide: projected onto an England bank holiday" in r.out
        rows = json.loads(run("forums", "--next", "--days", "60", "--json").out)
    assert {row["date"]: row["bank_holiday"] for row in rows}["2026-12-25"] == "Christmas Day"


UNREAD = "The recorded meeting dates were not read ("
UNREAD_END = "); the forums are shown without them."


def test_unreadable_meeting_dates_are_one_caution_in_the_same_words_everywhere(run, config_dir):
    """forums, forums --json, triage and the card say the same sentence, and still show the forums."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "meetings.toml").write_text("this is not toml [[[\n", encoding="utf-8")
    with at(2026, 12, 1, 10, 0):
        shown = {
            "forums": run("forums", "--authority", "southend"),
            "forums --json": run("forums", "--authority", "southend", "--json"),
            "triage": run(
                "triage", "--no-threat-to-life", "--no-offence", "--level", "strategic", "--area", "Southend"
            ),
            "card": run("card", "--html", "-"),
        }
    for name, r in shown.items():
        assert r.code == 0, (name, r.err)
        text = r.out + r.err
        assert UNREAD in text and UNREAD_END in text, name
        if name in ("forums", "forums --json", "card"):
            assert "Operation Censor" in r.out, name  # the forums, without the dates
