"""UK time for triage: whether the Essex Police Triage Team line is open at a moment, England's
bank holidays, and whether a council's front door is open by the hours its source states.
Pure: a moment and data in, an answer out; no clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

# England's bank holidays: the one rule setguide has (`clock`), held equal to the `holidays`
# package's GB/ENG list by a test, without that package's import on the way from a key to 999.
from setguide.base.clock import bank_holiday, parse_hhmm, to_london
from setguide.model.data import Data

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def check_hours(now: datetime, data: Data, closing_minutes: int) -> tuple[str, dict[str, str]]:
    """in-hours, closing-soon, bank-holiday or out-of-hours, with the words the cautions need."""
    line = data.facts["triage_line"]
    now = to_london(now)
    opens, closes = _hhmm(line["opens"]), _hhmm(line["closes"])
    days = [DAY_NAMES.index(d) for d in line["days"]]
    minute = now.hour * 60 + now.minute + now.second / 60
    if now.weekday() not in days or not (opens <= minute < closes):
        return "out-of-hours", {}
    holiday = bank_holiday(now.date())
    left = closes - minute
    ctx = {"closes_in": f" ({_minutes_words(left)})"}
    if holiday:
        return "bank-holiday", {**ctx, "holiday": f" ({holiday})"}
    if left <= closing_minutes:
        return "closing-soon", ctx
    return "in-hours", ctx


def _hhmm(text: str) -> int:
    t = parse_hhmm(text)
    return t.hour * 60 + t.minute


def _minutes_words(left: float) -> str:
    whole = max(1, int(left + 0.999))
    return f"in {whole} minute{'s' if whole != 1 else ''}"


def office_open(door: Any, now: datetime, named: bool = True) -> tuple[bool | None, str]:
    """Whether the front door's office is open at `now` (UK time) by the hours its source
    states, and why: None where that cannot be told (no hours stated, or a bank holiday the
    source says nothing of). A bank holiday is out of hours only where the source says so.
    `named`: the bank holiday named in why (not for a reader at another moment)."""
    now = to_london(now)
    holiday = bank_holiday(now.date())
    name = f" ({holiday})" if named else ""
    day = DAY_NAMES[now.weekday()]
    if holiday and door.bank_holidays == "out-of-hours":
        return False, f"today is a bank holiday{name}, which the source counts as out of hours:"
    if day in door.closed_days:
        days = "weekends" if day in ("sat", "sun") else "this day of the week"
        return False, f"the source counts {days} as out of hours:"
    if not door.hours:
        return None, "its office hours are not stated in the source, so both numbers are shown:"
    minute = now.hour * 60 + now.minute
    is_open = any(day in h.days and _hhmm(h.opens) <= minute < _hhmm(h.closes) for h in door.hours)
    if any(day in h.days and _hhmm(h.opens) <= minute < _hhmm(h.closes) for h in door.disputed_hours):
        return None, "the sources disagree whether the office is open at this time, so both numbers are shown:"
    if holiday and is_open:
        return None, (
            f"today is a bank holiday{name} and the source does not say whether the office is open, "
            "so both numbers are shown, with the source's own words on its hours:"
        )
    return is_open, ""
