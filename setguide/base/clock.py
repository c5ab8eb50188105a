"""UK time. `now()` is the only place setguide reads the clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from setguide.base.errors import UsageError

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    # Read in UTC, then converted: the fold of the autumn hour that repeats is then always right.
    return datetime.now(UTC).astimezone(LONDON)


def to_london(moment: datetime) -> datetime:
    """An aware datetime in UK local time; a naive one is taken as UK local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    # The round trip through UTC puts a wall time that falls in the spring-forward
    # gap onto a real instant, and fixes fold for the autumn hour that repeats.
    return moment.astimezone(UTC).astimezone(LONDON)


def parse_when(text: str | None) -> datetime:
    """`--at WHEN`: ISO 8601; without an offset it is UK local time; default now."""
    if text is None:
        return now()
    raw = text.strip()
    if not raw:
        raise UsageError("--at: empty date", "give an ISO 8601 date or time, e.g. 2026-12-17T09:30")
    try:
        return to_london(datetime.fromisoformat(raw))
    except (ValueError, OverflowError):
        raise UsageError(
            f"--at: not an ISO 8601 date or time: {text!r}",
            "e.g. 2026-12-17, 2026-12-17T09:30, or 2026-12-17T09:30:00Z",
        ) from None
