"""UK time. `now()` is the only place setguide reads the clock."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from setguide.base.errors import UsageError
from setguide.base.text import echo

LONDON = ZoneInfo("Europe/London")


# Set by the test suite: reading the real clock is then an error, so no test's result can
# depend on the day it runs. A moment set with freezegun is still read.
GUARD = "SETGUIDE_CLOCK_GUARD"


class ClockNotSet(RuntimeError):
    """The real clock was read under the test suite's guard."""


def now() -> datetime:
    # Read in UTC, then converted: the fold of the autumn hour that repeats is then always right.
    moment = datetime.now(UTC)
    if os.environ.get(GUARD) and type(moment).__name__ != "FakeDatetime":
        raise ClockNotSet(f"the real clock was read under {GUARD}: set the moment (--at, or freezegun)")
    return moment.astimezone(LONDON)


def to_london(moment: datetime) -> datetime:
    """An aware datetime in UK local time; a naive one is taken as UK local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    # The round trip through UTC puts a wall time that falls in the spring-forward
    # gap onto a real instant, and fixes fold for the autumn hour that repeats.
    return moment.astimezone(UTC).astimezone(LONDON)


_TIME = re.compile(r"^(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?$")
_UK_DATE = re.compile(r"^(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4})$")
_WEEKDAY = re.compile(r"^(?P<day>[a-z]{3,9})\.?,?\s+(?P<time>\S+(?:\s*[ap]\.?m\.?)?)$", re.IGNORECASE)
# The 12-hour clock as people type it: 5.45pm, 5:45 pm, 5pm, 12.30am.
_TWELVE = re.compile(r"^(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s*(?P<half>[ap])\.?m\.?$", re.IGNORECASE)
_DAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def typed_time(text: str) -> time:
    """A time of day as a person types it after --at: the 24-hour clock (17:45, 17.45)
    or the 12-hour one (5.45pm, 5:45 pm, 5pm; 12pm is noon, 12am midnight); ValueError otherwise."""
    m = _TWELVE.match(text.strip())
    if m:
        return time(int(m["h"]) % 12 + (12 if m["half"].casefold() == "p" else 0), int(m["m"] or 0))
    return parse_hhmm(text)


def parse_hhmm(text: str) -> time:
    """'HH:MM' on the 24-hour clock (9:30, 09:30, 17.45, 17:45:30) -> time; ValueError
    otherwise. The one reader of a time of day: --at, --time, invites and the data's hours."""
    m = _TIME.match(text.strip())
    if not m:
        raise ValueError(text)
    return time(int(m["h"]), int(m["m"]), int(m["s"] or 0))


DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(d: date) -> str:
    """'Thu 17 Dec 2026': the one way setguide writes a day, unambiguous in the UK and to
    a screen reader."""
    return f"{DAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def time_text(t: time | None) -> str:
    return f"{t.hour:02d}:{t.minute:02d}" if t else ""


def moment_text(at: datetime) -> str:
    """'Tue 1 Dec 2026 10:00 GMT': a day as `day_text` writes it, with the time and the clock's zone."""
    return f"{day_text(at.date())} {time_text(at.time())} {at.tzname()}"


def parse_day(text: str) -> date:
    """A calendar day as people in the UK write it: 2026-12-01 (ISO 8601) or 01/12/2026
    (day first: the first of December). `ValueError` when it is neither."""
    raw = text.strip()
    m = _UK_DATE.match(raw)
    if m:
        return date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(raw)
    return date.fromisoformat(raw)


_NUMERIC_DAY = re.compile(r"^(?P<d>\d{1,2})[-./ ](?P<mo>\d{1,2})[-./ ](?P<y>\d{4}|\d{2})$")
_MONTH_WORD = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE)
DATE_FORMS = "14/01/2027, 14-01-2027, 14.01.2027, 14/1/27, 14 Jan 2027 or 2027-01-14"


def parse_date(text: str, flag: str = "DATE", today: date | None = None) -> tuple[date, time | None]:
    """A calendar day as people in the UK write it, with an optional time after it:
    day first with `/`, `-` or `.` (14/01/2027, 14-1-27, 14.01.2027: a two-digit year
    is 20YY), the month in words (14 Jan 2027, 14th January 2027, Thu 14 Jan; no year:
    the next such day), or ISO 8601 (2027-01-14, 2027-01-14T10:00). Ambiguous input
    (01/02/27) is read day first: 1 February. A `UsageError` about dates otherwise."""
    raw = " ".join(text.split())
    hint = f"give the day first (01/02/27 is 1 February), e.g. {DATE_FORMS}; a time may follow (10:00)"
    if not raw:
        raise UsageError(f"{flag}: not a date: {echo(text.strip())} (nothing was given)", hint)
    if re.match(r"^\d{4}-\d{2}-\d{2}", raw):
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise UsageError(f"{flag}: not a date: {echo(text.strip())}", hint) from None
        if moment.tzinfo is not None:
            moment = to_london(moment)
        has_time = len(raw) > 10
        return moment.date(), (moment.time().replace(second=0, microsecond=0) if has_time else None)
    day_part, at = raw, None
    head, _, last = raw.rpartition(" ")
    if head and _TIME.match(last):
        day_part, at = head, parse_hhmm(last)
    try:
        return _day_words(day_part, today or now().date()), at
    except (ValueError, OverflowError):
        raise UsageError(f"{flag}: not a date: {echo(text.strip())}", hint) from None


def _day_words(text: str, today: date) -> date:
    m = _NUMERIC_DAY.match(text)
    if m:
        year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        return date(year, int(m["mo"]), int(m["d"]))
    if not _MONTH_WORD.search(text) or re.search(r"\d{3,}:|\d+:\d+", text):
        raise ValueError(text)
    from dateutil import parser

    words = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    has_year = re.search(r"\b\d{4}\b|'\d{2}\b|\b\d{1,2}\s+\D+\s+\d{2}\b", words) is not None
    base = datetime(today.year, 1, 1)
    parsed = parser.parse(words.replace("'", ""), dayfirst=True, default=base).date()
    if not re.search(r"\b\d{1,2}\b", words):
        raise ValueError(text)  # a month alone is no day
    if not has_year and parsed < today:
        parsed = parsed.replace(year=parsed.year + 1)
    return parsed


def parse_at(text: str | None, now_: datetime | None = None, need_time: bool = True, flag: str = "--at") -> datetime:
    """A moment as typed after `--at`, in UK time. `now_` (default: the clock) is what a
    missing part means:

    - None: now;
    - a time alone, 17:45 (or 17.45, 17:45:30, 5.45pm, 5:45pm): that time today, UK date;
    - a weekday and a time, Fri 17:45 or Fri 5.45pm: the next such moment;
    - a date and time: 2026-12-17T17:45, 2026-12-17 17:45, 17/12/2026 17:45 (day first),
      ISO 8601 with Z or an offset converted to UK time; without one it is UK time;
    - a date alone, 2026-12-17 or 17/12/2026: refused when `need_time` (triage: the hours
      decide the route), else the start of that day.
    """

    def moment() -> datetime:  # the clock is read only when the text leaves a part to it
        return to_london(now_) if now_ is not None else now()

    if text is None:
        return moment()
    raw = text.strip()
    example = (
        "e.g. 17:45 or 5.45pm (today), Fri 5.45pm (the next Friday), 2026-12-17T09:30 (ISO 8601) "
        "or 17/12/2026 09:30 (day first)"
    )
    if not raw:
        raise UsageError(f"{flag}: empty", f"give a time, or a date and time: {example}")
    if _TIME.match(raw) or _TWELVE.match(raw):
        return to_london(datetime.combine(moment().date(), typed_time(raw)))
    weekday = _WEEKDAY.match(raw)
    if weekday and _day_number(weekday["day"]) is not None:
        try:
            return next_weekday_at(moment(), _day_number(weekday["day"]), typed_time(weekday["time"]))
        except ValueError:
            raise UsageError(f"{flag}: not a time of day: {echo(weekday['time'])}", example) from None
    day_part, _, time_part = raw.replace("T", " ", 1).partition(" ") if "/" in raw else (raw, "", "")
    try:
        if "/" in raw:
            day = parse_day(day_part)
            if not time_part.strip():
                return _date_only(day, need_time, flag, text)
            return to_london(datetime.combine(day, typed_time(time_part)))
        moment = datetime.fromisoformat(raw)
        if not re.search(r"[T ]", raw, re.IGNORECASE):  # 2026-12-17, 20261217: a day, no time
            return _date_only(moment.date(), need_time, flag, text)
        return to_london(moment)
    except (ValueError, OverflowError):
        raise UsageError(f"{flag}: not a date and time: {echo(text)}", example) from None


def _day_number(word: str) -> int | None:
    """Monday = 0 for 'Fri', 'Friday', 'fri', 'Thurs'; None for a word that is no weekday."""
    word = word.casefold().rstrip(".")
    found = [i for i, name in enumerate(_DAY_WORDS) if len(word) >= 3 and name.startswith(word)]
    return found[0] if len(found) == 1 else None


def next_weekday_at(current: datetime, weekday: int, at: time) -> datetime:
    """The next moment at `at` on `weekday` (UK wall clock), from `current` on: today
    if it is that day and the time is still to come, else the coming one."""
    days = (weekday - current.weekday()) % 7
    moment = to_london(datetime.combine(current.date(), at) + timedelta(days=days))
    if moment < current:
        moment = to_london(datetime.combine(current.date() + timedelta(days=days + 7), at))
    return moment


def _date_only(day: date, need_time: bool, flag: str, text: str) -> datetime:
    if need_time:
        raise UsageError(
            f"{flag}: {echo(text.strip())} is a date without a time, and the hours decide the route",
            f"add the time (UK): e.g. {day.isoformat()}T09:30, or a time alone (17:45) for today",
        )
    return to_london(datetime.combine(day, time(0, 0)))


def bank_holiday(day: date) -> str | None:
    """The name of the England bank holiday on `day` ("Christmas Day"), or None: the
    standing rules of the Banking and Financial Dealings Act 1971 as GOV.UK lists them
    (the same names as the `holidays` package, whose import would cost a listing more
    time than the rest of it). One-off days a proclamation adds are not known ahead."""
    return england_bank_holidays(day.year).get(day)


_YEARS: dict[int, dict[date, str]] = {}


def england_bank_holidays(year: int) -> dict[date, str]:
    if year in _YEARS:
        return _YEARS[year]
    from dateutil.easter import easter

    days: dict[date, str] = {}
    new_year = date(year, 1, 1)
    days[new_year] = "New Year's Day"
    if new_year.weekday() >= 5:
        days[new_year + timedelta(days=7 - new_year.weekday())] = "New Year's Day (observed)"
    sunday = easter(year)
    days[sunday - timedelta(days=2)] = "Good Friday"
    days[sunday + timedelta(days=1)] = "Easter Monday"
    days[_nth_monday(year, 5, 1)] = "May Day"
    days[_nth_monday(year, 5, -1)] = "Spring Bank Holiday"
    days[_nth_monday(year, 8, -1)] = "Late Summer Bank Holiday"
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    days[christmas], days[boxing] = "Christmas Day", "Boxing Day"
    # A day on a weekend is observed on the next weekday that is not already one.
    taken = {christmas, boxing}
    for day, name in ((christmas, "Christmas Day"), (boxing, "Boxing Day")):
        if day.weekday() >= 5:
            moved = day + timedelta(days=1)
            while moved.weekday() >= 5 or moved in taken:
                moved += timedelta(days=1)
            taken.add(moved)
            days[moved] = f"{name} (observed)"
    _YEARS[year] = days
    return days


def _nth_monday(year: int, month: int, n: int) -> date:
    """The first (n=1) or last (n=-1) Monday of a month."""
    if n == 1:
        first = date(year, month, 1)
        return first + timedelta(days=(7 - first.weekday()) % 7)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())
