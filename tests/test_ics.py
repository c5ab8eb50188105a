"""Calendar invites: what real calendar programs send comes in; what goes out parses
back, in Europe/London, with the same dates as `forums --next`."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from freezegun import freeze_time
from icalendar import Calendar

LONDON = ZoneInfo("Europe/London")

OUTLOOK_TZ = """BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16011028T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0100
TZOFFSETTO:-0000
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T010000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:-0000
TZOFFSETTO:+0100
END:DAYLIGHT
END:VTIMEZONE"""


def calendar(*events: str, tz: str = OUTLOOK_TZ) -> str:
    body = "\n".join(events)
    prodid = "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN"
    text = f"BEGIN:VCALENDAR\n{prodid}\nVERSION:2.0\n{tz}\n{body}\nEND:VCALENDAR\n"
    return text.replace("\n", "\r\n")


def event(summary: str, *lines: str, uid: str | None = None) -> str:
    head = [
        "BEGIN:VEVENT",
        f"SUMMARY:{summary}",
        f"UID:{uid or summary.replace(' ', '-')}",
        "DTSTAMP:20260201T120000Z",
    ]
    return "\n".join([*head, *lines, "END:VEVENT"])


@pytest.fixture
def invite(tmp_path):
    def write(text: str | bytes, name: str = "invite.ics"):
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return str(path)

    return write


def at(*args):
    return freeze_time(datetime(*args, tzinfo=LONDON))


def next_json(run, *args):
    r = run("forums", "--next", "--json", *args)
    assert r.code == 0, r.err
    return [(m["id"], m["date"], m["time"]) for m in json.loads(r.out)]


# --- import: the shapes calendar programs send ------------------------------------------


def test_outlook_invite_with_its_own_timezone_block_and_rrule(run, invite):
    path = invite(
        calendar(
            event(
                "Thurrock MACE",
                'DTSTART;TZID="GMT Standard Time":20260303T100000',
                'DTEND;TZID="GMT Standard Time":20260303T120000',
                "RRULE:FREQ=WEEKLY;INTERVAL=6;BYDAY=TU;WKST=MO",
                'EXDATE;TZID="GMT Standard Time":20260414T100000',
            )
        )
    )
    r = run("forums", "import", path)
    assert r.code == 0, r.err
    assert "Thurrock MACE: Tue 3 Mar 2026 10:00" in r.out
    with at(2026, 3, 1, 9, 0):
        # 14 April was cancelled in the invite; 10:00 stays 10:00 after the clocks change.
        assert next_json(run, "--days", "90") == [
            ("thurrock-mace", "2026-03-03", "10:00"),
            ("thurrock-mace", "2026-05-26", "10:00"),
        ]


def test_utc_times_become_uk_wall_clock_times(run, invite):
    path = invite(
        calendar(
            event("Operation Censor", "DTSTART:20260702T090000Z", "RRULE:FREQ=WEEKLY;INTERVAL=2"),
            event("MASE", "DTSTART:20260108T090000Z"),
        )
    )
    assert run("forums", "import", path).code == 0
    with at(2026, 7, 1, 9, 0):
        got = next_json(run, "--days", "14", "--authority", "southend")
    assert got[0] == ("southend-censor", "2026-07-02", "10:00")  # 09:00Z is 10:00 BST
    with at(2026, 1, 1, 9, 0):
        assert ("southend-mase", "2026-01-08", "09:00") in next_json(run, "--days", "10")  # GMT: the same


def test_all_day_event_has_a_date_and_no_time(run, invite):
    path = invite(calendar(event("Risk Management Meeting", "DTSTART;VALUE=DATE:20260302", "RRULE:FREQ=WEEKLY")))
    assert run("forums", "import", path).code == 0
    with at(2026, 3, 1, 9, 0):
        assert next_json(run, "--days", "8") == [
            ("thurrock-rmm", "2026-03-02", None),
            ("thurrock-rmm", "2026-03-09", None),
        ]


def test_an_event_without_rrule_is_a_known_date_the_cadence_carries_forward(run, invite):
    path = invite(calendar(event("Gang Related Violence forum", "DTSTART;TZID=Europe/London:20260113T140000")))
    r = run("forums", "import", path)
    assert r.code == 0 and "the 2nd Tuesday of every month" in r.out
    with at(2026, 1, 1, 9, 0):
        assert next_json(run, "--days", "45") == [
            ("thurrock-grv", "2026-01-13", "14:00"),
            ("thurrock-grv", "2026-02-10", "14:00"),
        ]


def test_several_events_in_one_file_and_every_unmatched_one_is_listed(run, invite, config_dir):
    path = invite(
        calendar(
            event("Essex MACE Part 1 – West Quadrant", "DTSTART;TZID=Europe/London:20260113T093000"),
            event("Thurrock MACE - March meeting", "DTSTART;TZID=Europe/London:20260303T100000"),
            event("Essex MACE Part 2", "DTSTART;TZID=Europe/London:20260114T100000"),  # which quadrant?
            event("Team lunch", "DTSTART;TZID=Europe/London:20260115T120000"),
            event("Operation Censor", "DTSTART:20260108T100000", "STATUS:CANCELLED"),
            event(
                "Risk Management Meeting",
                "DTSTART;TZID=Europe/London:20260309T100000",
                "RECURRENCE-ID;TZID=Europe/London:20260309T100000",
            ),
        )
    )
    r = run("forums", "import", path)
    assert r.code == 0, r.err
    assert "Recorded 2 forums" in r.out
    assert "Not imported (4 events)" in r.out
    assert "'Essex MACE Part 2' (Wed 14 Jan 2026 10:00): it matches more than one forum" in r.out
    assert "essex-mace-2-west" in r.out
    assert "'Team lunch' (Thu 15 Jan 2026 12:00): it matches no forum" in r.out
    assert "'Operation Censor' (Thu 8 Jan 2026 10:00): it is cancelled" in r.out
    assert "changes one occurrence of a series" in r.out
    text = (config_dir / "meetings.toml").read_text()
    assert "[meeting.essex-mace-1-west]" in text and "[meeting.thurrock-mace]" in text


def test_import_json_reports_both_lists(run, invite):
    path = invite(
        calendar(
            event("MASE", "DTSTART;VALUE=DATE:20260108"),
            event("Book club", "DTSTART;VALUE=DATE:20260109"),
        )
    )
    got = json.loads(run("forums", "import", path, "--json").out)
    assert [i["id"] for i in got["imported"]] == ["southend-mase"]
    assert got["not_imported"] == [
        {"summary": "Book club", "when": "Fri 9 Jan 2026", "reason": "it matches no forum", "candidates": []}
    ]


def test_two_events_of_one_forum_keep_the_later_and_list_the_earlier(run, invite):
    path = invite(
        calendar(
            event("MASE", "DTSTART;VALUE=DATE:20260108", uid="a"),
            event("MASE", "DTSTART;VALUE=DATE:20260219", uid="b"),
        )
    )
    r = run("forums", "import", path)
    assert "'MASE' (Thu 8 Jan 2026): an earlier event of the same forum" in r.out
    with at(2026, 1, 1, 9, 0):
        assert next_json(run, "--days", "91") == [
            ("southend-mase", "2026-02-19", None),
            ("southend-mase", "2026-04-02", None),
        ]


def test_rrule_until_in_utc_is_kept(run, invite):
    path = invite(
        calendar(
            event(
                "Operation Censor",
                "DTSTART;TZID=Europe/London:20260108T100000",
                "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20260205T100000Z",
            )
        )
    )
    assert run("forums", "import", path).code == 0
    with at(2026, 1, 1, 9, 0):
        assert [d for _, d, _ in next_json(run, "--days", "90")] == ["2026-01-08", "2026-01-22", "2026-02-05"]


def test_several_calendars_in_one_file(run, invite):
    one = calendar(event("MASE", "DTSTART;VALUE=DATE:20260108"))
    two = calendar(event("Operation Censor", "DTSTART;VALUE=DATE:20260108"))
    r = run("forums", "import", invite(one + two))
    assert r.code == 0 and "Recorded 2 forums" in r.out


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        ("this is not a calendar\n", 1, "not an iCalendar file"),
        ("", 1, "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", 1, "not an iCalendar file"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", 1, "no events"),
        ("BEGIN:VCALENDAR\r\nthis line is broken\r\nEND:VCALENDAR\r\n", 1, "cannot be read as iCalendar"),
        (calendar(event("Team lunch", "DTSTART;VALUE=DATE:20260109")), 1, "nothing imported"),
    ],
)
def test_bad_files_exit_with_a_message_and_no_traceback(run, invite, config_dir, content, code, words):
    path = invite(content)
    r = run("forums", "import", path)
    assert r.code == code
    assert words in r.err
    assert "Traceback" not in r.err + r.out and "internal error" not in r.err
    assert not (config_dir / "meetings.toml").exists()


def test_a_missing_file_is_a_usage_error(run, tmp_path):
    r = run("forums", "import", str(tmp_path / "nope.ics"))
    assert r.code == 2 and "no such file" in r.err


def test_an_event_without_a_start_is_listed(run, invite):
    r = run(
        "forums",
        "import",
        invite(calendar(event("MASE"), event("Operation Censor", "DTSTART;VALUE=DATE:20260108"))),
    )
    assert r.code == 0
    assert "'MASE' (?): its start date cannot be read" in r.out


# --- export -----------------------------------------------------------------------------


def expand(cal: Calendar, first: date, last: date) -> list[tuple[str, str, str | None]]:
    """Every occurrence in the exported calendar, expanded independently with dateutil."""
    out = []
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"]).split("@")[0]
        start = ev["DTSTART"].dt
        timed = isinstance(start, datetime)
        dtstart = start if timed else datetime.combine(start, datetime.min.time())
        skip = {d.dt for p in ([ev["EXDATE"]] if "EXDATE" in ev else []) for d in p.dts}
        rule = ev.get("RRULE")
        if rule is None:
            when = [dtstart]
        else:
            series = rrulestr(rule.to_ical().decode(), dtstart=dtstart)
            lo = datetime.combine(first, datetime.min.time())
            hi = datetime.combine(last, datetime.max.time())
            if timed:
                lo, hi = lo.replace(tzinfo=start.tzinfo), hi.replace(tzinfo=start.tzinfo)
            when = series.between(lo, hi, inc=True) + [dtstart]
        for w in sorted(set(when)):
            if (w if timed else w.date()) in skip or not first <= w.date() <= last:
                continue
            out.append((uid, w.date().isoformat(), w.strftime("%H:%M") if timed else None))
    return sorted(out, key=lambda o: (o[1], o[2] or "", o[0]))


def record_every_cadence(run, invite):
    for args in (
        ("thurrock-rmm", "2026-01-05", "--time", "10:00"),  # no frequency: this date only
        ("southend-censor", "2026-01-08", "--time", "13:30"),  # fortnightly
        ("southend-mase", "2026-01-06"),  # six-weekly, all day
        ("essex-mace-1-west", "2026-01-13", "--time", "09:30"),  # monthly, 2nd Tuesday
        ("essex-mace-2-north", "2026-01-29", "--time", "14:00"),  # bi-monthly, 5th Thursday -> last
        ("thurrock-tracker", "2026-06-30", "--time", "11:00"),  # no frequency
    ):
        assert run("forums", "add-date", *args).code == 0
    path = invite(
        calendar(
            event(
                "Gang Related Violence forum",
                'DTSTART;TZID="GMT Standard Time":20260120T100000',
                "RRULE:FREQ=MONTHLY;BYDAY=3TU;UNTIL=20261231T235959Z",
                'EXDATE;TZID="GMT Standard Time":20260818T100000',
            )
        )
    )
    assert run("forums", "import", path).code == 0


def test_export_parses_back_and_recurs_exactly_as_next_says(run, invite, tmp_path):
    record_every_cadence(run, invite)
    out = tmp_path / "forums.ics"
    with at(2026, 1, 1, 9, 0):
        r = run("forums", "--ics", str(out))
        assert r.code == 0, r.err
        expected = next_json(run, "--days", "730")  # two years: four clock changes
    cal = Calendar.from_ical(out.read_bytes())
    assert len(cal.walk("VEVENT")) == 7
    assert expand(cal, date(2026, 1, 1), date(2027, 12, 31)) == expected
    assert {("essex-mace-2-north", "2026-03-26", "14:00"), ("thurrock-grv", "2026-09-15", "10:00")} <= set(expected)
    assert ("thurrock-grv", "2026-08-18", "10:00") not in expected


def test_export_is_rfc5545_with_europe_london(run, invite, tmp_path):
    record_every_cadence(run, invite)
    out = tmp_path / "forums.ics"
    assert run("forums", "--ics", str(out)).code == 0
    raw = out.read_bytes()
    cal = Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded lines, CRLF
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/London"
    for ev in cal.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(ev)
        start = ev["DTSTART"]
        if isinstance(start.dt, datetime):
            assert start.params["TZID"] == "Europe/London"
        until = ev["RRULE"].get("UNTIL") if "RRULE" in ev else None
        if until:  # RFC 5545: UNTIL is UTC when DTSTART has a zone
            assert until[0].utcoffset() == timedelta(0)
    assert "RRULE" not in next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("thurrock-tracker"))


def test_exported_vtimezone_agrees_with_the_tz_database():
    from setguide.forums.calendar import london_vtimezone

    tz = london_vtimezone().to_tz()
    moment = datetime(2026, 1, 1, 12, 0)
    for _ in range(0, 365 * 10, 5):
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=LONDON).utcoffset(), moment
        moment += timedelta(days=5, hours=7)


def test_export_then_import_gives_the_same_meetings(run, invite, tmp_path, monkeypatch):
    record_every_cadence(run, invite)
    out = tmp_path / "forums.ics"
    with at(2026, 1, 1, 9, 0):
        run("forums", "--ics", str(out))
        before = next_json(run, "--days", "400")
        monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(tmp_path / "elsewhere"))
        r = run("forums", "import", str(out))
        assert r.code == 0 and "Recorded 7 forums" in r.out
        assert next_json(run, "--days", "400") == before


def test_export_with_no_dates_is_an_error_not_an_empty_calendar(run, tmp_path):
    r = run("forums", "--ics", str(tmp_path / "x.ics"))
    assert r.code == 1 and "add-date" in r.err
    assert not (tmp_path / "x.ics").exists()


def test_export_honours_filters_and_can_go_to_stdout(capsysbinary):
    from setguide import cli

    with at(2026, 1, 2, 10):
        assert cli.run(["forums", "add-date", "thurrock-rmm", "2026-01-05"]) == 0
        assert cli.run(["forums", "add-date", "censor", "2026-01-08"]) == 0
        capsysbinary.readouterr()
        assert cli.run(["forums", "--authority", "southend", "--ics", "-"]) == 0
    cal = Calendar.from_ical(capsysbinary.readouterr().out)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Operation Censor"]


def test_a_broken_event_is_listed_and_the_good_ones_still_come_in(run, invite):
    path = invite(
        calendar(
            event("Risk Management Meeting", "DTSTART:20260708T100000", "RRULE:FREQ=WEEKLY;BYDAY=XX"),
            event("Gang Related Violence forum", "DTSTART:2026070"),
            event("MASE", "DTSTART;VALUE=DATE:18990108"),
            event("Operation Censor", "DTSTART;VALUE=DATE:20260108"),
        )
    )
    r = run("forums", "import", path)
    assert r.code == 0, r.err
    assert "Recorded 1 forum:" in r.out and "Not imported (3 events)" in r.out
    assert "'Risk Management Meeting' (Wed 8 Jul 2026 10:00): its RRULE cannot be used" in r.out
    assert "'Gang Related Violence forum' (?): its start date cannot be read" in r.out
    assert "'MASE' (Sun 8 Jan 1899): its date is outside 2000-2099" in r.out


# --- the titles chairs give their invites ------------------------------------------


@pytest.mark.parametrize(
    ("title", "forum", "rule"),
    [
        ("South Quadrant MACE Part 1 - January", "essex-mace-1-south", "quadrant and part"),
        ("MACE Pt 2 North", "essex-mace-2-north", "quadrant and part"),
        ("West MACE part two", "essex-mace-2-west", "quadrant and part"),
        ("Operation Censor meeting", "southend-censor", "name within the title"),
        ("Thurrock MACE – March", "thurrock-mace", "name within the title"),
        ("MACE Thurrock", "thurrock-mace", "or its area"),
        ("Essex MACE Part 2 – West Quadrant", "essex-mace-2-west", "name or id"),
    ],
)
def test_a_chairs_invite_is_matched_and_says_by_which_rule(run, invite, title, forum, rule):
    path = invite(calendar(event(title, 'DTSTART;TZID="GMT Standard Time":20270112T100000')))
    r = run("forums", "import", path, "--json")
    assert r.code == 0, r.err
    (item,) = json.loads(r.out)["imported"]
    assert item["id"] == forum and rule in item["matched"]
    said = run("forums", "import", path)
    assert "matched by" in said.out and rule in " ".join(said.out.split())


@pytest.mark.parametrize(
    ("title", "candidates"),
    [
        ("MACE North", ["essex-mace-1-north", "essex-mace-2-north"]),  # a quadrant without its part
        (
            "MACE Part 1 - January",
            ["essex-mace-1-mid", "essex-mace-1-north", "essex-mace-1-south", "essex-mace-1-west"],
        ),
    ],
)
def test_a_title_two_forums_could_match_is_asked_about_with_the_candidates(run, invite, title, candidates):
    path = invite(calendar(event(title, 'DTSTART;TZID="GMT Standard Time":20270112T100000')))
    r = run("forums", "import", path, "--json")
    (skipped,) = json.loads(r.out)["not_imported"]
    assert skipped["reason"] == "it matches more than one forum" and skipped["candidates"] == candidates
    assert r.code != 0  # nothing was imported: never a guess


def test_every_exported_event_has_a_length_and_says_whose_reading_it_is(run, invite, tmp_path):
    """A calendar shows a meeting, not a zero-length mark: every event has DTEND or
    DURATION, and its description says the length is setguide's reading."""
    record_every_cadence(run, invite)
    out = tmp_path / "forums.ics"
    assert run("forums", "--ics", str(out)).code == 0
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert events
    for ev in events:
        assert "DTEND" in ev or "DURATION" in ev, ev["SUMMARY"]
        # icalendar computes the end from either: a real span, after the start.
        assert ev.end > ev.start and ev.duration > timedelta(0), ev["SUMMARY"]
        text = str(ev["DESCRIPTION"])
        if isinstance(ev.start, datetime):
            assert ev.duration == timedelta(hours=1)
            assert "setguide's reading: the protocol states no length" in text
        else:
            assert ev.duration == timedelta(days=1) and "shown as all day" in text
