"""Cadence projection: the dates a diary would show, for every cadence, any start."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setguide.forums import schedule as sched

LONDON = ZoneInfo("Europe/London")


def dates(cadence, start, first, last, at=None):
    s = sched.Schedule("f", start, at, sched.cadence_rule(cadence, start))
    return sched.occurrences(s, first, last)


@pytest.mark.parametrize(
    ("cadence", "start", "expected"),
    [
        ("weekly", date(2026, 1, 5), [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26)]),
        ("fortnightly", date(2026, 1, 8), [date(2026, 1, 8), date(2026, 1, 22), date(2026, 2, 5), date(2026, 2, 19)]),
        ("six-weekly", date(2026, 1, 6), [date(2026, 1, 6), date(2026, 2, 17), date(2026, 3, 31), date(2026, 5, 12)]),
        # 2nd Tuesday of the month
        ("monthly", date(2026, 1, 13), [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]),
        # 1st Thursday, every other month
        ("bi-monthly", date(2026, 1, 1), [date(2026, 1, 1), date(2026, 3, 5), date(2026, 5, 7), date(2026, 7, 2)]),
    ],
)
def test_each_cadence_gives_the_diary_dates(cadence, start, expected):
    assert dates(cadence, start, start, expected[-1]) == expected


def test_a_fifth_weekday_becomes_the_last_such_weekday_of_later_months():
    # Thu 30 Apr 2026 is the 5th Thursday of April; May has only four, July has five.
    got = dates("monthly", date(2026, 4, 30), date(2026, 4, 30), date(2026, 8, 31))
    assert got == [date(2026, 4, 30), date(2026, 5, 28), date(2026, 6, 25), date(2026, 7, 30), date(2026, 8, 27)]


def test_a_fourth_weekday_stays_the_fourth_even_when_a_fifth_follows():
    # Tue 24 Mar 2026 is the 4th Tuesday (the 31st is a 5th): April's 4th Tuesday is the 28th.
    assert dates("monthly", date(2026, 3, 24), date(2026, 4, 1), date(2026, 4, 30)) == [date(2026, 4, 28)]


def test_no_stated_frequency_means_the_known_date_only():
    s = sched.Schedule("f", date(2026, 5, 5), None, sched.cadence_rule(None, date(2026, 5, 5)), rule_from="none")
    assert sched.occurrences(s, date(2026, 1, 1), date(2027, 12, 31)) == [date(2026, 5, 5)]
    assert sched.occurrences(s, date(2026, 5, 6), date(2027, 12, 31)) == []


@settings(deadline=None)  # the first projection loads the bank holidays
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    st.sampled_from(["monthly", "bi-monthly"]),
)
def test_monthly_cadences_keep_the_weekday_of_month(start, cadence):
    got = dates(cadence, start, start, start + timedelta(days=800))
    step = 1 if cadence == "monthly" else 2
    assert got[0] == start
    for d in got:
        assert d.weekday() == start.weekday()
        assert sched.week_of_month(d) == sched.week_of_month(start) or (
            sched.week_of_month(start) == -1 and d.month != (d + timedelta(days=7)).month
        )
    months = [(d.year * 12 + d.month) for d in got]
    assert all(b - a == step for a, b in zip(months, months[1:], strict=False))


@settings(deadline=None)  # the first projection loads the bank holidays
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    st.sampled_from([("weekly", 7), ("fortnightly", 14), ("six-weekly", 42)]),
)
def test_weekly_cadences_step_by_a_fixed_number_of_days(start, cadence_step):
    cadence, step = cadence_step
    got = dates(cadence, start, start, start + timedelta(days=400))
    assert got == [start + timedelta(days=step * i) for i in range(len(got))]
    assert len(got) == 400 // step + 1


def test_next_meetings_are_in_date_then_time_order_and_today_counts():
    schedules = [
        sched.Schedule("b", date(2026, 6, 1), time(14, 0), sched.cadence_rule("weekly", date(2026, 6, 1))),
        sched.Schedule("a", date(2026, 6, 1), time(9, 30), sched.cadence_rule("fortnightly", date(2026, 6, 1))),
        sched.Schedule("c", date(2026, 6, 3), None, None, rule_from="none"),
    ]
    now = datetime(2026, 6, 8, 20, 0, tzinfo=LONDON)  # a Monday evening: today's meetings still listed
    got = [(m.forum, m.date, m.time) for m in sched.next_meetings(schedules, now, days=14)]
    assert got == [
        ("b", date(2026, 6, 8), time(14, 0)),
        ("a", date(2026, 6, 15), time(9, 30)),
        ("b", date(2026, 6, 15), time(14, 0)),
        ("b", date(2026, 6, 22), time(14, 0)),  # the last day of the window is included
    ]


def test_basis_says_which_date_was_recorded_and_which_projected():
    s = sched.Schedule("x", date(2026, 6, 1), None, sched.cadence_rule("weekly", date(2026, 6, 1)))
    got = sched.next_meetings([s], datetime(2026, 6, 1, 9, tzinfo=LONDON), days=7)
    assert [m.basis for m in got] == ["recorded", "cadence"]


def test_an_invite_rule_keeps_count_until_and_cancelled_dates():
    start = date(2026, 3, 3)
    s = sched.Schedule(
        "x", start, time(10), "FREQ=WEEKLY;COUNT=4;INTERVAL=6;BYDAY=TU", skip=(date(2026, 4, 14),), rule_from="invite"
    )
    assert sched.occurrences(s, start, date(2027, 1, 1)) == [date(2026, 3, 3), date(2026, 5, 26), date(2026, 7, 7)]
    until = sched.Schedule("x", start, None, "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20260601T000000", rule_from="invite")
    assert sched.occurrences(until, start, date(2027, 1, 1))[-1] == date(2026, 5, 5)


def test_the_start_is_a_meeting_even_when_the_invite_rule_would_not_produce_it():
    # RFC 5545: DTSTART is the first instance. A Wednesday start with a Tuesday rule.
    s = sched.Schedule("x", date(2026, 3, 4), None, "FREQ=WEEKLY;BYDAY=TU", rule_from="invite")
    assert sched.occurrences(s, date(2026, 3, 1), date(2026, 3, 12)) == [date(2026, 3, 4), date(2026, 3, 10)]


def test_an_unusable_rule_is_a_rule_error():
    with pytest.raises(sched.RuleError):
        sched.build_rule("FREQ=SOMETIMES", datetime(2026, 1, 1))


@pytest.mark.parametrize("freq", ["HOURLY", "MINUTELY", "SECONDLY", "secondly"])
def test_a_rule_faster_than_daily_is_refused(freq):
    # A meeting every second would take minutes to list, and is never a forum's cadence.
    with pytest.raises(sched.RuleError, match="more often than daily"):
        sched.build_rule(f"FREQ={freq};INTERVAL=1", datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("rule", "start", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=MO", date(2026, 6, 1), "every Monday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", date(2026, 6, 1), "every other Monday"),
        ("FREQ=WEEKLY;INTERVAL=6;BYDAY=TU", date(2026, 3, 3), "every 6 weeks on Tuesday"),
        ("FREQ=MONTHLY;BYDAY=+2TU", date(2026, 1, 13), "the 2nd Tuesday of every month"),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1TH", date(2026, 4, 30), "the last Thursday of every other month"),
        ("FREQ=MONTHLY;BYDAY=TU,TH", date(2026, 1, 13), "RRULE FREQ=MONTHLY;BYDAY=TU,TH"),
    ],
)
def test_rules_in_plain_words(rule, start, words):
    assert sched.rule_words(rule, start) == words


def test_dates_are_written_the_uk_way():
    assert sched.day_text(date(2026, 12, 17)) == "Thu 17 Dec 2026"


def test_a_date_projected_onto_a_bank_holiday_carries_its_name():
    # Operation Censor fortnightly from Fri 27 Nov 2026: the projection lands on Christmas Day.
    s = sched.Schedule("southend-censor", date(2026, 11, 27), None, "FREQ=WEEKLY;INTERVAL=2")
    found = sched.next_meetings([s], datetime(2026, 11, 30, 9, 0, tzinfo=LONDON), days=60)
    flagged = {m.date: m.bank_holiday for m in found}
    assert flagged[date(2026, 12, 25)] == "Christmas Day"
    assert flagged[date(2026, 12, 11)] is None


def test_a_date_the_user_recorded_is_not_flagged():
    s = sched.Schedule("southend-censor", date(2026, 12, 25), None, "FREQ=WEEKLY;INTERVAL=2")
    (m, *_) = sched.next_meetings([s], datetime(2026, 12, 24, 9, 0, tzinfo=LONDON), days=20)
    assert m.basis == "recorded" and m.bank_holiday is None
