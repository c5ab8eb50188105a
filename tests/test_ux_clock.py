"""--at as people type it: a time alone is today in UK time; a date alone is refused
where the hours decide the route; UK dates are day first."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from setguide.base.clock import LONDON, parse_at, parse_day
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
