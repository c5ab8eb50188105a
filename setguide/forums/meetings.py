"""The meeting dates a user recorded: `meetings.toml` in the user config folder.

One anchor per forum: the latest date recorded for it (by `forums add-date` or
`forums import`). Recording a new date for a forum replaces its anchor, and the
command shows the old one with the exact command that puts it back, so nothing
typed is lost without the user seeing it. A date recorded by hand keeps no rule:
the protocol's cadence (from the packaged data) carries it forward. An imported
invite keeps its own RRULE and cancelled dates (EXDATE).

    [meeting.thurrock-mace]
    date = 2026-03-03
    time = "10:00"                        # optional, UK time
    rrule = "FREQ=WEEKLY;INTERVAL=6"      # optional, from an invite
    skip = [2026-04-14]                   # optional, from an invite
    source = "imported from mace.ics"

Entries for forums this edition of the data does not know are kept in the file
untouched and reported, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from setguide.base.clock import parse_hhmm
from setguide.base.errors import DataError
from setguide.base.facts import fill
from setguide.base.text import text_fault
from setguide.base.userfiles import read_user_toml, update_user_toml, user_path
from setguide.forums import schedule as sched
from setguide.model.data import Data

FILE = "meetings.toml"
HEADER = (
    "Meeting dates recorded with setguide (forums add-date / forums import).\n"
    "One entry per forum id; later dates are projected by setguide from the forum's stated frequency\n"
    "(its reading of the protocol's words), or follow the invite's RRULE.\n"
    "Times are UK local time."
)


@dataclass
class Stored:
    doc: dict[str, Any]  # the file as read, to write back with changes
    schedules: dict[str, sched.Schedule] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # forum ids not in this data edition
    # Recurrences kept that give no usable date, each said as a caution: the recorded date stands alone.
    faults: list[str] = field(default_factory=list)
    # What this command changed, by forum id (None: removed). Saving applies only these to
    # the file as it is then, so a date another command recorded meanwhile is kept.
    changes: dict[str, dict[str, Any] | None] = field(default_factory=dict)


def load(data: Data, check: bool = True) -> Stored:
    """The recorded dates; `check=False` reads the file without checking its entries, so
    that `remove-date` can remove the one entry that is wrong."""
    doc = read_user_toml(FILE)
    stored = Stored(doc)
    name = str(user_path(FILE))
    table = doc.get("meeting", {})
    if not isinstance(table, dict):
        raise DataError(name, "meeting", "expected a table of forum ids")
    for forum_id, entry in table.items():
        if forum_id not in data.forums:
            stored.unknown.append(forum_id)
            continue
        if check:
            s = _schedule(data, name, forum_id, entry)
            fault = sched.rule_fault(s) if s.rule_from == "invite" else None
            if fault:
                s = s._replace(rule=None, rule_from="none")
                stored.faults.append(
                    fill(
                        "setguide: the recurrence recorded for {} is not used ({}); "
                        "only its recorded date is shown. Remove it with: setguide forums remove-date {}",
                        data.forums[forum_id].name,
                        fault,
                        forum_id,
                    )
                )
            stored.schedules[forum_id] = s
    return stored


def unread_text(exc: BaseException) -> str:
    """The one caution for recorded meeting dates that could not be read (a file an older
    version stored, a hand edit, a rule that yields no date): the terminal, triage and the
    card all say it in these words, and show the forums without the dates."""
    message = getattr(exc, "message", None) or type(exc).__name__
    return f"The recorded meeting dates were not read ({message}); the forums are shown without them."


def load_or_caution(data: Data) -> tuple[dict[str, sched.Schedule], list[str]]:
    """The recorded meeting dates and the cautions to show beside them: a fault in the file
    is a caution beside the forums (`unread_text`), never an error, and a recurrence that
    gives no date is a caution of its own while the other dates stand."""
    try:
        stored = load(data)
        return dict(stored.schedules), list(stored.faults)
    except Exception as exc:  # any fault of the user's file; MemoryError and RecursionError included
        return {}, [unread_text(exc)]


def _schedule(data: Data, file: str, forum_id: str, entry: Any) -> sched.Schedule:
    where = f"meeting.{forum_id}"
    if not isinstance(entry, dict):
        raise DataError(file, where, "expected a table with a date")
    start = entry.get("date")
    if isinstance(start, datetime) or not isinstance(start, date):
        raise DataError(file, f"{where}.date", f"expected a date like 2026-03-03, found {start!r}")
    at = None
    if "time" in entry:
        try:
            at = parse_hhmm(entry["time"]) if isinstance(entry["time"], str) else None
        except ValueError:
            at = None
        if at is None:
            raise DataError(file, f"{where}.time", f"expected a time HH:MM, found {entry['time']!r}")
    rule, rule_from = entry.get("rrule"), "invite"
    if rule is None:
        rule, rule_from = sched.cadence_rule(data.forums[forum_id].cadence, start), "cadence"
    elif not isinstance(rule, str):  # a rule that cannot be used is the caller's caution, not a stop
        raise DataError(file, f"{where}.rrule", f"expected an RRULE string, found {rule!r}")
    skip = entry.get("skip", [])
    if not isinstance(skip, list) or any(isinstance(d, datetime) or not isinstance(d, date) for d in skip):
        raise DataError(file, f"{where}.skip", "expected a list of dates")
    source = entry.get("source", "")
    if not isinstance(source, str):
        raise DataError(file, f"{where}.source", "expected a string")
    fault = text_fault(source)  # shown beside the date: held to the rule a correction's source is
    if fault:
        raise DataError(file, f"{where}.source", f"{fault} (remove it with: setguide forums remove-date {forum_id})")
    return sched.Schedule(
        forum=forum_id,
        start=start,
        time=at,
        rule=rule if rule is not None else None,
        skip=tuple(skip),
        source=source,
        rule_from=rule_from if rule is not None else "none",
    )


def entry(start: date, at: time | None, source: str, rule: str | None = None, skip: tuple[date, ...] = ()) -> dict:
    out: dict[str, Any] = {"date": start}
    if at is not None:
        out["time"] = at.strftime("%H:%M")
    if rule is not None:
        out["rrule"] = rule
    if skip:
        out["skip"] = sorted(skip)
    out["source"] = source
    return out


def put(stored: Stored, forum_id: str, new: dict[str, Any]) -> dict[str, Any] | None:
    """Set a forum's anchor in the document; returns the entry it replaced, if any."""
    table = stored.doc.setdefault("meeting", {})
    old = table.get(forum_id)
    table[forum_id] = new
    stored.changes[forum_id] = new
    if isinstance(old, dict) and _same(old, new):
        return None  # the same meeting recorded again: nothing the user would miss
    return old


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("date", "time", "rrule", "skip")
    return all(a.get(k) == b.get(k) for k in keys)


def remove(stored: Stored, forum_id: str) -> dict[str, Any] | None:
    old = stored.doc.get("meeting", {}).pop(forum_id, None)
    if old is not None:
        stored.changes[forum_id] = None
    return old


def save(stored: Stored) -> str:
    """Write this command's changes into the file as it is now, under its lock."""

    def merge(doc: dict[str, Any]) -> None:
        table = doc.get("meeting", {})
        if not isinstance(table, dict):
            raise DataError(str(user_path(FILE)), "meeting", "expected a table of forum ids")
        for forum_id, new in stored.changes.items():
            if new is None:
                table.pop(forum_id, None)
            else:
                table[forum_id] = new
        doc["meeting"] = dict(sorted(table.items()))
        stored.doc = doc

    _, path = update_user_toml(FILE, merge, HEADER)
    return str(path)


def restore_command(forum_id: str, old: dict[str, Any]) -> str:
    """The command that records `old` again (an invite's own RRULE needs the invite)."""
    cmd = f"setguide forums add-date {forum_id} {old.get('date')}"
    if old.get("time"):
        cmd += f" --time {old['time']}"
    return cmd


def add_command(forum_id: str) -> str:
    """The command that records a forum's first known date."""
    return f"setguide forums add-date {forum_id} YYYY-MM-DD"
