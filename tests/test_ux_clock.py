"""--at as people type it: a time alone is today in UK time; a date alone is refused
where the hours decide the route; UK dates are day first."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from setguide.base.clock import LONDON, day_text, parse_at, parse_day
from setguide.base.errors import UsageError

SUMMER_MORNING = datetime(2026, 6, 30, 9, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "wall"),
    [
        ("17:45", (2026, 6, 30, 17, 45)),
        ("9.05", (2026, 6, 30, 9, 5)),
        ("2026-12-17T09:30", (2026, 12, 17, 9, 30)),
        ("2026-12-17 09:30", (2026, 12, 17, 9, 30)),
        ("17/12/2026 09:30", (2026, 12, 17, 9, 30)),
        ("2026-06-17T09:30Z", (2026, 6, 17, 10, 30)),  # UTC to British Summer Time
    ],
)
def test_parse_at_gives_uk_wall_time(text, wall):
    moment = parse_at(text, SUMMER_MORNING)
    assert moment.tzinfo is not None
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == wall


def test_a_time_alone_is_today_by_the_uk_date_not_utc():
    just_after_midnight_bst = datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)  # still 30 June in UTC
    assert parse_at("17:45", just_after_midnight_bst).date() == date(2026, 7, 1)


@pytest.mark.parametrize("text", ["2026-12-17", "17/12/2026", "20261217"])
def test_a_date_without_a_time_is_refused_when_hours_decide_the_route(text):
    with pytest.raises(UsageError) as err:
        parse_at(text, SUMMER_MORNING)
    assert "without a time" in err.value.message and "hours decide the route" in err.value.message
    assert "17:45" in err.value.hint


def test_a_date_alone_is_the_start_of_that_day_where_time_does_not_matter():
    assert parse_at("01/12/2026", SUMMER_MORNING, need_time=False).date() == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["25:00", "tomorrow", "31/02/2026 10:00", "12/17/2026 10:00", ""])
def test_what_is_not_a_moment_is_a_usage_error(text):
    with pytest.raises(UsageError):
        parse_at(text, SUMMER_MORNING)


def test_none_is_now():
    assert parse_at(None, SUMMER_MORNING) == SUMMER_MORNING


def test_uk_dates_are_day_first():
    assert parse_day("01/12/2026") == date(2026, 12, 1)
    assert parse_day("2026-12-01") == date(2026, 12, 1)
    with pytest.raises(ValueError):
        parse_day("12/31/2026")


def test_add_date_takes_the_uk_form(run):
    r = run("forums", "add-date", "thurrock mace", "01/12/2026", "--time", "10:00", "--json")
    assert r.code == 0, r.err
    import json

    assert json.loads(r.out)["date"] == "2026-12-01"


FRIDAY_18 = datetime(2026, 12, 4, 18, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "wall"),
    [
        ("Fri 17:45", datetime(2026, 12, 11, 17, 45)),  # Friday 18:00 now: 17:45 has passed, so next week's
        ("Friday 17:45", datetime(2026, 12, 11, 17, 45)),
        ("fri 18:30", datetime(2026, 12, 4, 18, 30)),  # still to come today
        ("Tue 09:30", datetime(2026, 12, 8, 9, 30)),
        ("Thurs 9:00", datetime(2026, 12, 10, 9, 0)),
    ],
)
def test_a_weekday_and_a_time_is_the_next_such_moment_uk_time(text, wall):
    moment = parse_at(text, FRIDAY_18)
    assert moment.replace(tzinfo=None) == wall and moment.tzinfo is not None


@pytest.mark.parametrize("text", ["Fri", "Fry 17:45", "Friday 25:00"])
def test_a_weekday_without_a_time_or_misspelt_is_a_usage_error(text):
    with pytest.raises(UsageError):
        parse_at(text, FRIDAY_18)


def test_a_weekday_is_said_back_in_full(run):
    r = run("triage", "--at", "Fri 17:45", "--no-threat-to-life", "--offence", "--urgent")
    assert r.code == 0
    assert re.search(r"Routing as at Fri \d{1,2} \w{3} \d{4} 17:45 (GMT|BST)", r.err)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("14 Jan 2027", date(2027, 1, 14)),
        ("14 January 2027", date(2027, 1, 14)),
        ("14th January 2027", date(2027, 1, 14)),
        ("Thu 14 Jan 2027", date(2027, 1, 14)),
        ("14-01-2027", date(2027, 1, 14)),
        ("14.01.2027", date(2027, 1, 14)),
        ("14/1/27", date(2027, 1, 14)),
        ("14 Jan 27", date(2027, 1, 14)),
        ("01/02/27", date(2027, 2, 1)),  # ambiguous: read day first
        ("2027-01-14", date(2027, 1, 14)),
    ],
)
def test_add_date_takes_dates_as_people_in_the_uk_write_them(run, text, day):
    r = run("forums", "add-date", "thurrock mace", text)
    assert r.code == 0, r.err
    assert f"on {day_text(day)}" in r.out  # said back in words: Mon 1 Feb 2027, not 01/02/27


@pytest.mark.parametrize("text", ["14 Jam 2027", "32/01/2027", "14/13/2027", "tomorrow", "10:00"])
def test_a_date_that_is_not_one_is_an_error_about_dates(run, text):
    r = run("forums", "add-date", "thurrock mace", text)
    assert r.code == 2
    assert "not a date" in r.err and "14 Jan 2027" in r.err
    assert "--at" not in r.err and "17:45" not in r.err


def test_a_date_with_a_time_after_it_keeps_the_time(run):
    import json

    r = run("forums", "add-date", "thurrock mace", "14 Jan 2027 10:00", "--json")
    assert r.code == 0 and json.loads(r.out)["time"] == "10:00"


@pytest.mark.parametrize(
    ("text", "wall"),
    [
        ("5.45pm", (2026, 6, 30, 17, 45)),
        ("5:45pm", (2026, 6, 30, 17, 45)),
        ("5:45 PM", (2026, 6, 30, 17, 45)),
        ("17.45", (2026, 6, 30, 17, 45)),
        ("9am", (2026, 6, 30, 9, 0)),
        ("12.30am", (2026, 6, 30, 0, 30)),
        ("12pm", (2026, 6, 30, 12, 0)),
        ("Fri 5.45pm", (2026, 7, 3, 17, 45)),  # SUMMER_MORNING is a Tuesday: the coming Friday
        ("Friday 5:45 pm", (2026, 7, 3, 17, 45)),
        ("17/12/2026 5.45pm", (2026, 12, 17, 17, 45)),
    ],
)
def test_the_twelve_hour_clock_and_a_dot_are_understood(text, wall):
    moment = parse_at(text, SUMMER_MORNING)
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == wall


@pytest.mark.parametrize("text", ["13pm", "0am", "5.60pm", "Fri 25.00"])
def test_a_time_that_is_no_time_of_day_is_refused_with_an_example(text):
    with pytest.raises(UsageError) as err:
        parse_at(text, SUMMER_MORNING)
    assert "5.45pm" in err.value.hint


def test_triage_routes_at_fri_5_45pm_and_says_the_moment_back(run):
    # Whichever Friday comes next (a bank holiday or not), the moment is said back in UK time.
    r = run("triage", "--no-threat-to-life", "--offence", "--urgent", "--at", "Fri 5.45pm", "--plain")
    assert r.code == 0 and re.search(r"Routing as at Fri \d+ \w+ \d{4} 17:45", r.err)
