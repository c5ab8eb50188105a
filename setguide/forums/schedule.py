"""When forums meet: a known date projected forward by the protocol's cadence.

Pure: no clock, no files. A `Schedule` is one anchor per forum (a known meeting
date, an optional UK wall-clock time, and a recurrence rule); `next_meetings`
lists the occurrences in a window, in date order.

Recurrence is computed on UK *wall-clock* dates and times, never on instants: a
meeting at 10:00 stays at 10:00 across both clock changes, as it does in a diary.

Cadence rules (the protocol's words, made exact):
- weekly +7 days, fortnightly +14, six-weekly +42 (same weekday);
- monthly and bi-monthly keep the weekday-of-month: a 2nd Tuesday stays a 2nd
  Tuesday. A date that is the 5th such weekday of its month (the 29th or later)
  becomes "the last such weekday" (BYDAY=-1), since most months have no 5th one:
  a meeting on the 5th Thursday of April 2026 then falls on the last Thursday of
  each following month.
- a forum whose frequency the protocol does not state has no rule: only the known
  date itself is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from setguide.base import clock
from setguide.base.errors import SetguideError

if TYPE_CHECKING:  # dateutil is imported where dates are projected, not on every start
    from dateutil.rrule import rrule

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}

DEFAULT_DAYS = 90


class RuleError(SetguideError, ValueError):
    """A recurrence rule dateutil cannot use (exit 1 with its message if it reaches the user)."""


class Schedule(NamedTuple):
    forum: str  # forum id
    start: date  # a known meeting date (the first of the series)
    time: time | None  # UK wall-clock time; None = time not known
    rule: str | None  # RFC 5545 RRULE value (no "RRULE:"); None = this date only
    skip: tuple[date, ...] = ()  # EXDATE: cancelled occurrences
    source: str = ""  # where the date came from, in words
    rule_from: str = "cadence"  # "cadence" (the protocol's), "invite" (an imported RRULE) or "none"


class Meeting(NamedTuple):
    forum: str
    date: date
    time: time | None
    source: str
    basis: str  # "recorded" (the date itself), "invite" (the invite's recurrence), "cadence" (projected)
    # The England bank holiday a projected date falls on ("Christmas Day"), or None: the
    # cadence does not know the forum's diary, so such a date is flagged wherever it shows.
    bank_holiday: str | None = None


def week_of_month(day: date) -> int:
    """1..4 for the first to fourth such weekday of the month; -1 for a fifth."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def cadence_rule(cadence: str | None, start: date) -> str | None:
    """The RRULE that carries `start` forward by the protocol's cadence."""
    if cadence is None:
        return None
    wd = WEEKDAYS[start.weekday()]
    weekly = {"weekly": 1, "fortnightly": 2, "six-weekly": 6}
    if cadence in weekly:
        return f"FREQ=WEEKLY{_interval(weekly[cadence])};BYDAY={wd}"
    monthly = {"monthly": 1, "bi-monthly": 2, "quarterly": 3}
    if cadence in monthly:
        return f"FREQ=MONTHLY{_interval(monthly[cadence])};BYDAY={week_of_month(start):+d}{wd}"
    raise RuleError(f"unknown cadence {cadence!r}")


def _interval(n: int) -> str:
    return f";INTERVAL={n}" if n > 1 else ""


def rule_words(rule: str | None, start: date) -> str:
    """A rule in plain words, for the confirmation after a date is added."""
    if rule is None:
        return "this date only (the protocol states no frequency)"
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    interval = int(parts.get("INTERVAL", "1")) if parts.get("INTERVAL", "1").isdigit() else 0
    freq, byday = parts.get("FREQ"), parts.get("BYDAY", "")
    wd = WEEKDAYS[start.weekday()]
    day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[start.weekday()]
    plain = interval > 0 and set(parts) <= {"FREQ", "INTERVAL", "BYDAY", "WKST"}
    if plain and freq == "WEEKLY" and byday in ("", wd):
        return {1: f"every {day}", 2: f"every other {day}"}.get(interval, f"every {interval} weeks on {day}")
    nth = re.fullmatch(r"([+-]?[1-4])" + wd, byday)
    if plain and freq == "MONTHLY" and nth:
        n = int(nth.group(1))
        every = {1: "every month", 2: "every other month", 3: "every third month"}.get(
            interval, f"every {interval} months"
        )
        return f"the {ORDINALS[n]} {day} of {every}"
    return f"RRULE {rule}"


def _start_dt(s: Schedule) -> datetime:
    return datetime.combine(s.start, s.time or time(0, 0))


# The parts of an RRULE a meeting series can use. Forums meet on days: a part that
# repeats within a day (BYHOUR, BYMINUTE, BYSECOND) would make a year of "meetings"
# millions long, and one that sets the start (DTSTART) would override the invite's own.
RULE_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# Projecting further than this past a recorded date says nothing about real meetings.
HORIZON_YEARS = 100


def build_rule(rule: str, start: datetime) -> rrule:
    """Parse an RRULE value against a naive wall-clock start; RuleError if unusable."""
    from dateutil.rrule import rrule, rrulestr

    _check_parts(rule)
    try:
        parsed = rrulestr(rule, dtstart=start)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise RuleError(f"not a usable RRULE: {rule!r} ({exc})") from None
    if not isinstance(parsed, rrule):
        raise RuleError(f"not a single RRULE: {rule!r}")
    return parsed


def _check_parts(rule: str) -> None:
    if not rule.isascii() or not rule.isprintable() or ":" in rule:
        raise RuleError(f"not a single RRULE value: {rule!r}")
    parts: dict[str, str] = {}
    for part in rule.upper().split(";"):
        name, sep, value = part.partition("=")
        if not sep or name in parts:
            raise RuleError(f"not a usable RRULE: {rule!r}")
        parts[name] = value
    extra = [name for name in parts if name not in RULE_PARTS]
    if extra:
        raise RuleError(
            f"{', '.join(extra)} cannot be used in a meeting's RRULE (meetings recur at most daily): {rule!r}"
        )
    if parts.get("FREQ") not in FREQUENCIES:
        raise RuleError(f"repeats more often than daily, or has no FREQ: {rule!r}")
    interval = parts.get("INTERVAL", "1")
    if not (interval.isdigit() and 1 <= int(interval) <= 1000):
        raise RuleError(f"INTERVAL must be a whole number from 1: {rule!r}")
    count = parts.get("COUNT", "1")
    if not (count.isdigit() and 1 <= int(count) <= 100_000):
        raise RuleError(f"COUNT must be a whole number from 1: {rule!r}")
    if _no_such_day(parts):
        raise RuleError(f"its days never come (no month has them): {rule!r}")
    fault = _range_fault(parts)
    if fault:
        raise RuleError(f"{fault}: {rule!r}")


# How far a BYDAY ordinal may count within each period ("5MO": the fifth Monday of a month).
BYDAY_ORDINALS = {"MONTHLY": 5, "YEARLY": 53}
BYDAY = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")


def _range_fault(parts: dict[str, str]) -> str | None:
    """A BYMONTH, BYMONTHDAY or BYDAY outside the calendar: no date would ever come."""
    for name, low, high in (("BYMONTH", 1, 12), ("BYMONTHDAY", 1, 31)):
        for value in parts.get(name, "").split(",") if name in parts else ():
            if not re.fullmatch(r"[+-]?[0-9]{1,3}", value) or not low <= abs(int(value)) <= high:
                return f"{name} must be from {low} to {high}"
            if name == "BYMONTH" and int(value) < 0:
                return f"{name} must be from {low} to {high}"
    for value in parts["BYDAY"].split(",") if "BYDAY" in parts else ():
        m = BYDAY.fullmatch(value)
        if m is None:
            return f"BYDAY {value[:10]!r} is not a day like MO or 2TU"
        if m.group(1) is not None:
            limit = BYDAY_ORDINALS.get(parts.get("FREQ", ""), 0)
            if not 1 <= abs(int(m.group(1))) <= limit:
                return f"BYDAY {value!r}: no {parts.get('FREQ', '').lower() or 'such'} period has that day"
    return None


def rule_fault(s: Schedule, years: int = 10) -> str | None:
    """Why the recurrence of `s` gives no usable dates (none after the recorded one in
    `years` years, or not projected in time), or None: checked once, at import and load,
    so that one such rule stops no listing of the others."""
    if s.rule is None:
        return None
    try:
        dates = occurrences(s, s.start + timedelta(days=1), _years_after(s.start, years))
    except RuleError as exc:
        return str(exc)
    ends = any(part.startswith(("COUNT=", "UNTIL=")) for part in s.rule.upper().split(";"))
    if not dates and not ends:  # a series that has ended is a rule that ran out, not one that never runs
        return f"the recurrence {s.rule!r} gives no date after {s.start.isoformat()} in {years} years"
    return None


MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _no_such_day(parts: dict[str, str]) -> bool:
    """BYMONTHDAY and BYMONTH that no calendar holds (the 30th of February): dateutil
    would look for one until the year 9999."""
    try:
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
        months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else list(range(1, 13))
    except ValueError:
        return False  # dateutil says what is wrong with it
    if not days or not all(1 <= m <= 12 for m in months):
        return False
    return not any(0 < abs(d) <= MONTH_DAYS[m - 1] for d in days for m in months)


def occurrences(s: Schedule, first: date, last: date) -> list[date]:
    """The meeting dates of `s` from `first` to `last`, both included.

    Bounded whatever the rule: at most one occurrence a day (build_rule), the series is
    cut at `last`, and nothing is projected beyond HORIZON_YEARS after the recorded date."""
    if last < first:
        return []
    start = _start_dt(s)
    if s.rule is None:
        dates = [s.start]
    else:
        if first.year - s.start.year > HORIZON_YEARS:
            return []
        last = min(last, _years_after(s.start, HORIZON_YEARS))
        import warnings

        from dateutil.rrule import rruleset

        hi = datetime.combine(last, time(23, 59, 59))
        rule = build_rule(s.rule, start)
        rule = _near(rule, start, first)
        if rule._until is None or rule._until > hi:  # no rule iterates past the window
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # COUNT and UNTIL together: dateutil warns, and honours both
                rule = rule.replace(until=hi)
        series = rruleset()
        series.rrule(rule)
        # RFC 5545: DTSTART is the first instance even when the rule would not produce it.
        series.rdate(start)
        for d in s.skip:
            series.exdate(datetime.combine(d, start.time()))
        lo = datetime.combine(first, time(0, 0))
        dates = [dt.date() for dt in _bounded(lambda: series.between(lo, hi, inc=True), s.rule)]
    return sorted({d for d in dates if first <= d <= last and d not in s.skip})


# dateutil looks for a rule's next day until the year 9999 when none comes (the 30th of
# February), seconds of work; no projection may keep a user waiting longer than this.
PROJECT_SECONDS = 2.0


def _bounded(work, rule: str) -> list[datetime]:
    import threading

    done: list = []

    def run() -> None:
        try:
            done.append(work())
        except Exception as exc:  # dateutil's own faults (IndexError on "53MO") included: never a traceback
            done.append(exc)

    thread = threading.Thread(target=run, daemon=True)  # abandoned, not waited for, if it runs on
    thread.start()
    thread.join(PROJECT_SECONDS)
    if not done:
        raise RuleError(f"the recurrence {rule!r} cannot be projected: its days never or almost never come")
    if isinstance(done[0], Exception):
        raise RuleError(f"the recurrence {rule!r} cannot be projected ({done[0]})")
    return done[0]


def _near(rule: rrule, start: datetime, first: date) -> rrule:
    """The same daily or weekly series, begun a whole number of its periods later, just
    before `first`: a rule whose days rarely or never come would otherwise be walked
    day by day from a date decades back. A COUNT is counted from the real start, so a
    rule with one is left as it is (COUNT is at most 100,000)."""
    from dateutil.rrule import DAILY, WEEKLY

    if rule._count is not None or rule._freq not in (DAILY, WEEKLY):
        return rule
    period = timedelta(days=rule._interval * (1 if rule._freq == DAILY else 7))
    periods = (datetime.combine(first, start.time()) - start) // period - 1
    if periods <= 0:
        return rule
    return rule.replace(dtstart=start + periods * period)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years, day=min(day.day, 28))
    except ValueError:
        return date.max


def next_meetings(schedules: Iterable[Schedule], now: datetime, days: int = DEFAULT_DAYS) -> list[Meeting]:
    """Meetings from today to today + `days` (both included, UK dates), in date and
    time order. A meeting today is listed all day: its duration is not known.

    `now` must already be UK local time (`clock.now()` or `clock.parse_when`)."""
    today = now.date()
    last = window_end(today, days)
    found = [
        flag_bank_holiday(Meeting(s.forum, d, s.time, s.source, "recorded" if d == s.start else s.rule_from))
        for s in schedules
        for d in occurrences(s, today, last)
    ]
    return sorted(found, key=lambda m: (m.date, m.time or time(0, 0), m.forum))


def flag_bank_holiday(m: Meeting) -> Meeting:
    """A date projected (by the cadence or an invite's rule) onto an England bank holiday
    carries its name; a date the user recorded is theirs and is not second-guessed."""
    if m.basis == "recorded":
        return m
    return m._replace(bank_holiday=clock.bank_holiday(m.date))


def window_end(today: date, days: int) -> date:
    """The last day of a window of `days` days after today (today + days, at most the calendar's end)."""
    try:
        return today + timedelta(days=max(days, 0))
    except OverflowError:
        return date.max


# One way of writing a day and a time, shared with triage and the records.
day_text = clock.day_text
time_text = clock.time_text
