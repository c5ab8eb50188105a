"""Calendar invites in and out (RFC 5545), with `icalendar`, imported only here.

Import: every VEVENT is matched by its SUMMARY to a forum; each one that cannot be
used is returned with the reason, never dropped. Start times in any time zone
(Outlook's "GMT Standard Time" with its VTIMEZONE block, UTC, floating) become UK
wall-clock times; an all-day event has no time. The RRULE is kept, with UNTIL
moved to UK wall-clock time so it compares with the start.

Export: one VEVENT per scheduled forum, its start in Europe/London (with a
VTIMEZONE written out as yearly rules, which Outlook, Google Calendar and
Thunderbird all read) and its recurrence as an RRULE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from setguide.base.clock import LONDON, to_london
from setguide.base.errors import DataError, UnknownName, UsageError
from setguide.base.facts import LOCAL_LABEL, Mark, facts_in, fill, join, keyed
from setguide.base.text import one_line
from setguide.forums import schedule as sched
from setguide.forums.cadence import projection_words, readings, said
from setguide.forums.names import match_invite
from setguide.model.data import Data, Forum, cite

NO_MATCH = "it matches no forum"

PRODID = "-//setguide//SET child exploitation forums//EN"


# --- import -----------------------------------------------------------------


@dataclass
class Found:
    forum: str
    summary: str
    start: date
    time: time | None
    rule: str | None  # the invite's RRULE (UNTIL in UK wall time); None = no RRULE
    skip: tuple[date, ...] = ()
    matched: str = ""  # the rule its title matched by (forums.names)


@dataclass
class Skipped:
    summary: str
    when: str  # the event's start, as text, so the user can find it
    reason: str
    candidates: list[str] = field(default_factory=list)


def read_invites(data: Data, path: Path) -> tuple[list[Found], list[Skipped]]:
    """Every event of the file: one `Found` per forum (the latest start wins), and every
    event not used, with the reason."""
    raw = _read_bytes(path)
    events = _events(path, raw)
    found: dict[str, Found] = {}
    skipped: list[Skipped] = []
    for ev in events:
        try:
            result = _one_event(data, ev)
        except Exception as exc:  # one malformed event must not hide the others
            summary = str(ev.get("SUMMARY", "") or "(no summary)")
            result = Skipped(summary, "?", f"it cannot be read ({exc})")
        if isinstance(result, Skipped):
            skipped.append(result)
            continue
        prior = found.get(result.forum)
        if prior is None:
            found[result.forum] = result
            continue
        keep, drop = (result, prior) if result.start >= prior.start else (prior, result)
        found[result.forum] = keep
        skipped.append(
            Skipped(
                drop.summary,
                _when(drop.start, drop.time),
                f"an earlier event of the same forum: the one on {sched.day_text(keep.start)} is kept",
            )
        )
    return list(found.values()), skipped


# An invite is a few KB; an export of a whole calendar some MB. A FIFO or a device is
# refused before it is read: it would block, or never end.
MAX_INVITE_BYTES = 64 * 1024 * 1024


def _read_bytes(path: Path) -> bytes:
    from setguide.base.userfiles import read_user_bytes

    try:
        raw = read_user_bytes(path, limit=MAX_INVITE_BYTES)
    except DataError as exc:
        if exc.problem == "is a folder, not a file":
            raise UsageError(
                f"{one_line(str(path), None)} is a folder", "give the path of a calendar invite (.ics)"
            ) from None
        raise
    if raw is None:
        if path.parent.is_file():
            raise DataError(str(path), "(file)", "cannot be read: Not a directory")
        raise UsageError(f"no such file: {one_line(str(path), None)}", "give the path of a calendar invite (.ics)")
    return raw


def _events(path: Path, raw: bytes) -> list[Any]:
    from icalendar import Calendar

    if not raw.strip():
        raise DataError(str(path), "(file)", "is empty, not a calendar invite")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old Outlook exports are Windows-1252; names survive, dates are ASCII
    if "BEGIN:VCALENDAR" not in text.upper():
        raise DataError(str(path), "(file)", "not an iCalendar file (no BEGIN:VCALENDAR)")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, TypeError... on malformed input
        raise DataError(str(path), "(calendar)", f"cannot be read as iCalendar: {exc}") from None
    events = [ev for cal in calendars for ev in cal.walk("VEVENT")]
    if not events:
        raise DataError(str(path), "VEVENT", "no events in this calendar")
    return events


def _one_event(data: Data, ev: Any) -> Found | Skipped:
    summary = str(ev.get("SUMMARY", "")).strip()
    try:
        start, at = _start(ev)
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        return Skipped(summary or "(no summary)", "?", f"its start date cannot be read ({exc})")
    when = _when(start, at)
    if not 2000 <= start.year <= 2099:
        return Skipped(summary or "(no summary)", when, "its date is outside 2000-2099")
    if not summary:
        return Skipped("(no summary)", when, "it has no SUMMARY to match to a forum")
    if str(ev.get("STATUS", "")).upper() == "CANCELLED":
        return Skipped(summary, when, "it is cancelled")
    if ev.get("RECURRENCE-ID") is not None:
        return Skipped(
            summary, when, "it changes one occurrence of a series; setguide keeps series, not one-off changes"
        )
    try:
        forum, matched = match_invite(data, summary)
    except UnknownName as exc:
        reason = "it matches more than one forum" if exc.ambiguous else NO_MATCH
        return Skipped(summary, when, reason, [] if exc.every else exc.candidates)
    rrule = ev.get("RRULE")
    if isinstance(rrule, list):
        return Skipped(summary, when, "it has several RRULE lines; setguide keeps one rule per forum")
    rule = None
    if rrule is not None:
        try:
            rule = _local_rule(rrule, all_day=at is None)
            sched.build_rule(rule, datetime.combine(start, at or time(0, 0)))
        except (sched.RuleError, ValueError, TypeError) as exc:
            return Skipped(summary, when, f"its RRULE cannot be used ({exc})")
        # Projected once here, bounded: a rule whose days (almost) never come is
        # refused now, not stored to stop every later command that dates the forum.
        fault = sched.rule_fault(sched.Schedule(forum, start, at, rule))
        if fault:
            return Skipped(summary, when, f"its RRULE cannot be used ({fault})")
    try:
        skip = tuple(sorted(_exdates(ev)))
    except (ValueError, TypeError, AttributeError) as exc:
        return Skipped(summary, when, f"its EXDATE cannot be read ({exc})")
    return Found(forum, summary, start, at, rule, skip, matched)


def _start(ev: Any) -> tuple[date, time | None]:
    prop = ev.get("DTSTART")
    if prop is None:
        raise ValueError("no DTSTART")
    _known_zone(prop)
    return _local(prop.dt)


def _known_zone(prop: Any) -> None:
    """A TZID that neither the invite (VTIMEZONE) nor the time zone database defines
    leaves the time floating; taking it as UK time could move a meeting by hours."""
    tzid = getattr(prop, "params", {}).get("TZID")
    value = getattr(prop, "dt", None)
    if tzid and isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(f"its time zone {str(tzid)[:40]!r} is not known")


def _local(value: Any) -> tuple[date, time | None]:
    """A DATE or DATE-TIME (any zone, or floating) -> UK date and wall time."""
    if isinstance(value, datetime):
        local = to_london(value)
        return local.date(), local.time().replace(second=0, microsecond=0)
    if isinstance(value, date):
        return value, None
    raise ValueError(f"not a date: {value!r}")


def _exdates(ev: Any) -> list[date]:
    props = ev.get("EXDATE")
    if props is None:
        return []
    props = props if isinstance(props, list) else [props]
    return [_local(d.dt)[0] for p in props for d in p.dts]


def _local_rule(recur: Any, all_day: bool) -> str:
    """The RRULE text with UNTIL as a UK wall-clock date-time (or a date for all-day events)."""
    from icalendar import vRecur

    parts = {k: list(v) for k, v in recur.items()}
    if "UNTIL" in parts:
        until = parts["UNTIL"][0]
        if isinstance(until, datetime):
            until = to_london(until).replace(tzinfo=None) if until.tzinfo else until
            parts["UNTIL"] = [until.date() if all_day else until]
        elif isinstance(until, date) and not all_day:
            parts["UNTIL"] = [datetime.combine(until, time(23, 59, 59))]
    return vRecur(parts).to_ical().decode()


def _when(start: date, at: time | None) -> str:
    return sched.day_text(start) + (f" {sched.time_text(at)}" if at else "")


# --- export -----------------------------------------------------------------


def london_vtimezone() -> Any:
    """Europe/London as yearly rules (the form calendar programs write themselves):
    BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    tz = Timezone()
    tz.add("TZID", "Europe/London")
    tz.add("X-LIC-LOCATION", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("TZNAME", "BST")
    summer.add("DTSTART", datetime(1970, 3, 29, 1, 0, 0))
    summer.add("TZOFFSETFROM", _offset(0))
    summer.add("TZOFFSETTO", _offset(1))
    summer.add("RRULE", vRecur({"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"}))
    winter = TimezoneStandard()
    winter.add("TZNAME", "GMT")
    winter.add("DTSTART", datetime(1970, 10, 25, 2, 0, 0))
    winter.add("TZOFFSETFROM", _offset(1))
    winter.add("TZOFFSETTO", _offset(0))
    winter.add("RRULE", vRecur({"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"}))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _offset(hours: int):
    from datetime import timedelta

    return timedelta(hours=hours)


Marks = dict[str, list[Mark]]


def export(data: Data, schedules: list[sched.Schedule], stamp: datetime, marks: Marks) -> bytes:
    """An RFC 5545 calendar with one recurring VEVENT per schedule. An event that shows a
    corrected fact (its name, what it says, or dates that follow a corrected cadence)
    says so in its title and first in its description, as every other view does."""
    from icalendar import Calendar, Event, vRecur

    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", "SET child exploitation forums")
    cal.add("X-WR-TIMEZONE", "Europe/London")
    cal.add_component(london_vtimezone())
    for s in schedules:
        forum = data.forums[s.forum]
        ev = Event()
        ev.add("UID", f"{forum.id}@setguide")
        ev.add("DTSTAMP", stamp.astimezone(UTC))
        shown = (forum.name, forum.long_name, forum.cadence_text, forum.chair, forum.purpose)
        if s.rule_from == "cadence":
            shown += (keyed("", f"forums.{forum.data_id}.cadence"),)
        said = [m for key in facts_in(shown) for m in marks.get(key, ())]
        labels = [m.json.get("label", LOCAL_LABEL) for m in said if m.json is not None]
        ev.add("SUMMARY", fill("{} ({})", forum.name, labels[-1]) if labels else forum.name)
        if s.time is None:
            ev.add("DTSTART", s.start)  # all day: VALUE=DATE, no zone applies
            ev.add("DTEND", s.start + timedelta(days=1))  # the day itself (RFC 5545: DTEND is exclusive)
        else:
            ev.add("DTSTART", datetime.combine(s.start, s.time, tzinfo=LONDON))
            # The protocol states no length: setguide's reading, said in the description.
            ev.add("DURATION", MEETING_LENGTH)
        if s.rule is not None:
            ev.add("RRULE", vRecur.from_ical(_utc_rule(s)))
        for d in s.skip:
            ev.add("EXDATE", d if s.time is None else datetime.combine(d, s.time, tzinfo=LONDON))
        notes = list(dict.fromkeys(m.text for m in said))
        ev.add("DESCRIPTION", "\n".join([*notes, _description(forum, s)]))
        ev.add("TRANSP", "OPAQUE")
        cal.add_component(ev)
    return cal.to_ical()


def _utc_rule(s: sched.Schedule) -> str:
    """RFC 5545 wants UNTIL in UTC when DTSTART has a zone, and a DATE when it is all-day."""
    from icalendar import vRecur

    recur = vRecur.from_ical(s.rule)
    if "UNTIL" not in recur:
        return s.rule
    until = recur["UNTIL"][0]
    if s.time is None:
        recur["UNTIL"] = [until.date() if isinstance(until, datetime) else until]
    else:
        if not isinstance(until, datetime):
            until = datetime.combine(until, time(23, 59, 59))
        if until.tzinfo is None:
            until = until.replace(tzinfo=LONDON)
        recur["UNTIL"] = [until.astimezone(UTC)]
    return recur.to_ical().decode()


# How long an exported meeting is shown as: setguide's reading, as the protocol states no length.
MEETING_LENGTH = timedelta(hours=1)
LENGTH_READING = (
    "setguide's reading: the protocol states no length for any meeting, so this event is shown as "
    "one hour from its start; change it in your calendar when the invite says otherwise."
)
ALL_DAY_READING = "setguide: the time of this meeting is not known, so it is shown as all day."


def _description(forum: Forum, s: sched.Schedule) -> str:
    """What the event is, each line saying whose it is: the protocol's words with their
    section, and setguide's readings (a forum listed per quadrant, projected dates) as such."""
    basis = {
        "cadence": fill(
            "Later dates: {}; confirm each with the chair.", projection_words(forum, sched.rule_words(s.rule, s.start))
        ),
        "invite": "Later dates follow the recurrence of the imported invite.",
        "none": "setguide: the protocol states no frequency, so this date only.",
    }[s.rule_from]
    meets = said(forum, "cadence_text")
    meets = meets if forum.kind("cadence_text") == "setguide" else fill("{} [{}]", meets, cite(forum.section))
    lines = [
        forum.long_name,
        *readings([forum]),
        fill("Meets: {}", meets),
        fill("Chair or lead: {}", said(forum, "chair")),
        "For:",
        *(fill("- {}", p) for p in forum.purpose),
        fill("Dates: {}. {}", s.source, basis),
        LENGTH_READING if s.time is not None else ALL_DAY_READING,
        fill(
            "Source: SET child exploitation information sharing protocol, {}; dates and readings: setguide.",
            cite(forum.section),
        ),
    ]
    return join("\n", lines)


def write_export(path: Path, content: bytes, force: bool) -> None:
    """Write a calendar to `path`: never over an existing file unless `force`, and never
    over a link, a device or a pipe (as root, `--ics /dev/null` once replaced the device)."""
    from setguide.base.userfiles import atomic_write, check_export_target

    check_export_target(path, force, "forums.ics")
    atomic_write(path, content)
