"""Documents and JSON for `forums` and its meeting dates. Pure: data in, blocks and dicts out."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from setguide.base import phone
from setguide.base.facts import Val, facts_in, fill, join, keyed
from setguide.base.names import match
from setguide.base.text import one_line
from setguide.forums import schedule as sched
from setguide.forums.cadence import (
    cadence_words,
    held_per_quadrant_is_a_reading,
    projection_words,
    readings,
    said,
)
from setguide.forums.meetings import add_command
from setguide.model.contact_json import contact_json
from setguide.model.data import SET_WIDE, Contact, Data, Forum, cite
from setguide.model.marks import source_json
from setguide.output.blocks import Block, Bullets, Caution, Command, Field, Gap, Heading, Para, Reading, Source, Table

AUTHORITY_ORDER = ("essex", "southend", "thurrock", SET_WIDE)
GOVERNANCE = {"thurrock": "thurrock_governance", "southend": "southend_governance"}

# --- choosing forums ----------------------------------------------------------


def forum_line(f: Forum) -> Val:
    return fill("{} ({}) [{}]", f.name, cadence_words(f), cite(f.section))


def authority_names(data: Data) -> dict[str, list[str]]:
    names = {a.id: [a.name, a.council, *a.aliases] for a in data.authorities.values()}
    names[SET_WIDE] = ["SET", "SET-wide", "strategic", "Southend, Essex and Thurrock"]
    return names


def theme_names(data: Data) -> dict[str, list[str]]:
    return {t.id: [t.label] for t in data.themes.values()}


def pick(data: Data, authority: str | None = None, theme: str | None = None) -> list[Forum]:
    """The forums for --authority and --theme (unique prefixes, any case), in protocol order."""
    aid = match("authority", authority, authority_names(data)) if authority is not None else None
    tid = match("theme", theme, theme_names(data)) if theme is not None else None
    chosen = [
        f for f in data.forums.values() if (aid is None or f.authority == aid) and (tid is None or tid in f.themes)
    ]
    return sorted(chosen, key=lambda f: AUTHORITY_ORDER.index(f.authority) if f.authority in AUTHORITY_ORDER else 9)


def authority_label(data: Data, authority_id: str) -> str:
    if authority_id == SET_WIDE:
        return "SET-wide (Southend, Essex and Thurrock)"
    return data.authorities[authority_id].name


# --- the listing --------------------------------------------------------------


def forums_doc(
    data: Data,
    forums: list[Forum],
    schedules: dict[str, sched.Schedule] | None = None,
    now: datetime | None = None,
    authority: str | None = None,
    theme: str | None = None,
    commands: bool = True,
) -> list[Block]:
    """Every forum chosen; with `schedules` and `now`, each one's recorded date and its
    next meeting (projected by setguide from the forum's stated frequency where the date
    recorded is past). With `authority` (as given to --authority), that area's SPOC
    first; with `theme`, that the theme map is setguide's reading. `commands`: how to
    list and record dates at a terminal, at the end (a page gives its own meeting table)."""
    schedules = schedules or {}
    dates = _DateLines(schedules, now)
    blocks: list[Block] = [Heading("Multi-agency forums (§2) and the SET CSE Strategic Group (§3)")]
    if theme is not None:
        blocks += theme_blocks(data, theme)
    if not forums:
        return [*blocks, Para("No forum matches these filters."), Para("See them all: setguide forums")]
    aid = match("authority", authority, authority_names(data)) if authority is not None else None
    done_parts: set[str] = set()
    last_authority = None
    for f in forums:
        if f.authority != last_authority:
            last_authority = f.authority
            blocks += [Gap(), Heading(authority_label(data, f.authority), level=1)]
            note = GOVERNANCE.get(f.authority)
            if note:
                blocks.append(Para(fill("{} [{}]", data.notes[note]["text"], cite(data.notes[note].section))))
            if f.authority == aid and aid in data.authorities:
                blocks += spoc_blocks(data.contacts[data.authorities[aid].contact], data.authorities[aid].contact)
        if f.quadrant is not None:
            part = f.data_id
            if part in done_parts:
                continue
            done_parts.add(part)
            blocks += _quadrant_forum(data, [g for g in forums if g.data_id == part and g.quadrant], dates)
        else:
            blocks += _forum_blocks(f, f.name, f.long_name, [Field("Id", f.id), *dates.fields(f)])
    if any(f.authority == "essex" for f in forums):
        channel = data.notes["essex_mace_channel"]
        blocks += [
            Gap(),
            Para("What partners share through the Essex MACE meetings:"),
            Bullets(tuple(channel["items"])),
            Source(cite(channel.section)),
        ]
    if any((m := dates.next_meeting(f.id)) is not None and m.basis == "cadence" for f in forums):
        blocks += [Gap(), Caution(PROJECTED)]
    if not commands:
        return blocks
    blocks += [Gap(), Para("Meeting dates in order:"), Command("setguide forums --next")]
    without = [f for f in forums if f.id not in schedules]
    if without:
        blocks += add_hint(without[0], "Record a date from the invite or the chair (day first, UK time)")
    return blocks


# Every projected date is setguide's reading of a forum's stated frequency, never the protocol's date.
PROJECTED = (
    "setguide's reading: projected dates follow each forum's stated frequency (the protocol gives no dates), "
    "counted from the last date you recorded; confirm them with the chair."
)


def theme_blocks(data: Data, theme: str) -> list[Block]:
    """What --theme filters by: setguide's theme map, said as setguide's reading."""
    t = data.themes[match("theme", theme, theme_names(data))]
    return [
        Para(fill("Theme: {} ({}; setguide's words).", t.label, t.description)),
        Para(data.theme_reading),
    ]


def spoc_blocks(c: Contact, named_by: str) -> list[Block]:
    """An area's SPOC as `setguide contacts` shows it: name, role and organisation, email,
    and each number spaced for reading with the protocol's text beside it; the heading
    also carries `named_by`, the authority's choice of SPOC (a correctable fact)."""
    heading = fill("{} SPOC", c.area)
    return [
        Gap(),
        Heading(keyed(heading, *facts_in((heading, named_by))), level=2),
        Para(fill("{} – {}, {}", c.display_name, c.role, c.organisation)),
        Field("Email", c.email),
        *(Field(label, value) for label, value in phone.labelled(c.phone_text)),
        Source(cite(c.section)),
    ]


class _DateLines:
    """What the listing says of each forum's dates."""

    def __init__(self, schedules: dict[str, sched.Schedule], now: datetime | None) -> None:
        self.schedules = schedules
        self.now = now

    def next_meeting(self, forum_id: str) -> sched.Meeting | None:
        s = self.schedules.get(forum_id)
        if s is None or self.now is None:
            return None
        found = sched.next_meetings([s], self.now, 3660)
        return found[0] if found else None

    def fields(self, f: Forum) -> list[Block]:
        s = self.schedules.get(f.id)
        if s is None:
            return [Field("Dates", "none recorded")]
        m = self.next_meeting(f.id)
        return [
            Field("Date recorded", when_text(s.start, s.time)),
            Field("Next meeting", meeting_text(m) if m else "none known"),
        ]

    def short(self, f: Forum) -> str:
        s = self.schedules.get(f.id)
        if s is None:
            return "no date recorded"
        m = self.next_meeting(f.id)
        text = f"recorded {when_text(s.start, s.time)}"
        return text + (f"; next {meeting_text(m)}" if m else "; no next meeting known")


def meeting_text(m: sched.Meeting) -> str:
    """'Tue 3 Mar 2026 10:00 (projected)': a meeting's day, time and how it is known."""
    text = when_text(m.date, m.time) + {"cadence": " (projected)", "recorded": " (the date recorded)"}.get(m.basis, "")
    return text + holiday_words(m)


def holiday_words(m: sched.Meeting) -> str:
    """' (Christmas Day: a bank holiday; confirm with the chair)' for a date projected onto one."""
    return f" ({m.bank_holiday}: a bank holiday; confirm with the chair)" if m.bank_holiday else ""


def _quadrant_forum(data: Data, forums: list[Forum], dates: _DateLines) -> list[Block]:
    """A forum held in each Essex quadrant, once, with one id per quadrant."""
    first = forums[0]
    held = tuple(fill("{} (id {}): {}", f.name, f.id, data.quadrants[f.quadrant].text) for f in forums)
    # Part 1 runs in the four quadrants [§2.1]; Part 2 is listed per quadrant by setguide's reading.
    if held_per_quadrant_is_a_reading(first):
        lead = "Listed once for each quadrant (setguide's reading, see below):"
    else:
        lead = fill("Held in each quadrant [{}]:", cite(first.section))
    extra: list[Block] = [Para(lead), Bullets(held)]
    if any(f.id in dates.schedules for f in forums):
        extra += [Para("Dates:"), Bullets(tuple(fill("{}: {}", f.name, dates.short(f)) for f in forums))]
    else:
        extra.append(Field("Dates", "none recorded"))
    # The forum's own name, without the quadrant: still keyed to the forum's fields.
    return _forum_blocks(first, first.base_name, first.base_long_name, extra)


def _forum_blocks(f: Forum, title: str, long_title: str, extra: list[Block]) -> list[Block]:
    return [
        Gap(),
        Heading(title, level=2),
        *([Para(long_title)] if long_title != title else []),
        *extra,
        # Quote marks only around the protocol's own words; where it states no frequency, setguide says so.
        Field(
            "Meets",
            fill("{} (the protocol: “{}”)", cadence_words(f), f.cadence_text) if f.cadence else said(f, "cadence_text"),
        ),
        *(Para(r) for r in readings([f])),
        Field("Chair or lead", said(f, "chair")),
        Field("Who attends", said(f, "attendees")),
        Para("What it is for:"),
        Bullets(f.purpose),
        Source(cite(f.section) + ("; setguide" if f.readings or "setguide" in f.said.values() else "")),
    ]


def forum_json(
    data: Data, f: Forum, schedules: dict[str, sched.Schedule] | None = None, now: datetime | None = None
) -> dict[str, Any]:
    s = (schedules or {}).get(f.id)
    m = _DateLines(schedules or {}, now).next_meeting(f.id)
    return {
        "id": f.id,
        "name": f.name,
        "long_name": f.long_name,
        "authority": f.authority,
        "quadrant": f.quadrant,
        "cadence": f.cadence,
        "cadence_text": f.cadence_text,
        "chair": f.chair,
        "attendees": f.attendees,
        "purpose": list(f.purpose),
        "themes": list(f.themes),
        "themes_source": "setguide",  # the theme map is setguide's reading of each forum's stated focus
        "readings": list(readings([f])),
        "source": cite(f.section),
        # `named_by`: which SPOC the authority names, itself a correctable fact.
        "spoc": contact_json(
            data, data.contacts[data.authorities[f.authority].contact], now.date() if now else data.read_on
        )
        | {"named_by": data.authorities[f.authority].contact}
        if f.authority in data.authorities
        else None,
        "recorded_date": s.start.isoformat() if s else None,
        "recorded_time": (sched.time_text(s.time) or None) if s else None,
        "next": meeting_json(data, m) if m else None,
    }


# --- meetings -------------------------------------------------------------------


BASIS_WORDS = {"recorded": "recorded date", "invite": "from the invite", "cadence": "projected"}


def add_example(forum_id: str) -> str:
    """A whole add-date command to copy, with the day first as UK dates are written."""
    return f"setguide forums add-date {forum_id} 01/12/2026 --time 10:00"


def add_hint(f: Forum, intro: str, quadrant_known: bool = False) -> list[Block]:
    """`intro` and the add-date command for a forum. A forum held per Essex quadrant, with
    no quadrant known, names none: the user picks theirs, and is told how to find it."""
    if f.quadrant is None or quadrant_known:
        return [Para(f"{intro}:"), Command(add_example(f.id))]
    return [
        Para(f"{intro}; QUADRANT is mid, north, west or south:"),
        Command(add_example(f"{f.data_id}-QUADRANT")),
        Field("Your quadrant", "setguide quadrant PLACE"),
    ]


def per_forum(meetings: list[sched.Meeting], limit: int) -> list[sched.Meeting]:
    """The first `limit` meetings of each forum (0: all), in the order given."""
    if limit <= 0:
        return list(meetings)
    seen: dict[str, int] = {}
    kept = []
    for m in meetings:
        seen[m.forum] = seen.get(m.forum, 0) + 1
        if seen[m.forum] <= limit:
            kept.append(m)
    return kept


def _forum_groups(data: Data, forums: list[Forum]) -> list[str]:
    """Forum names for a compact list: a forum held in each quadrant is named once,
    with its quadrants ("Essex MACE Part 1 (North, Mid, South, West)")."""
    names: list[str] = []
    held: dict[str, list[str]] = {}
    reading: set[str] = set()
    for f in forums:
        if f.quadrant is not None:
            if f.base_name not in held:
                held[f.base_name] = []
                names.append(f.base_name)
            held[f.base_name].append(data.quadrants[f.quadrant].name)
            if held_per_quadrant_is_a_reading(f):
                reading.add(f.base_name)
        else:
            names.append(f.name)
    said = {n: "; listed per quadrant: setguide's reading" if n in reading else "" for n in held}
    return [fill("{} ({}{})", n, join(", ", held[n]), said[n]) if n in held else n for n in names]


def next_doc(
    data: Data,
    meetings: list[sched.Meeting],
    forums: list[Forum],
    schedules: dict[str, sched.Schedule],
    now: datetime,
    days: int,
    unknown: list[str] = (),
    limit: int = 2,
    commands: bool = True,
    lead: str | None = None,
) -> list[Block]:
    """The meetings in the window, at most `limit` per forum (0: all), then the forums
    with no meeting in it and those with no date at all. Without `commands` (paper), without
    what to type at a terminal (how to see the rest, how to add a date). `lead`: setguide's
    line under the heading (what a page shows of the list)."""
    shown = per_forum(meetings, limit)
    today = now.date()
    last = sched.window_end(today, days)
    blocks: list[Block] = [Heading(f"Meetings from {sched.day_text(today)} to {sched.day_text(last)} (UK time)")]
    if lead:
        blocks.append(Reading(lead))
    if shown:
        blocks += _meeting_blocks(data, shown, schedules, today)
        hidden = len(meetings) - len(shown)
        if hidden and commands:
            blocks.append(
                Para(
                    f"{hidden} later meeting{'s' if hidden != 1 else ''} in this window not shown "
                    f"(at most {limit} per forum); to see them all:"
                )
            )
            blocks.append(Command("setguide forums --next --per-forum 0"))
    else:
        blocks.append(Para("No known meeting in this window."))
    scheduled = {m.forum for m in shown}
    quiet = [f for f in forums if f.id in schedules and f.id not in scheduled]
    if quiet:
        blocks += [Gap(), Para("Recorded, but no meeting in this window:")]
        blocks.append(Bullets(tuple(_quiet_line(f, schedules[f.id]) for f in quiet)))
    blocks += _undated_blocks(data, [f for f in forums if f.id not in schedules], commands)
    for fid in unknown:
        blocks.append(Caution(f"meetings file: forum {fid!r} is not in this edition of the data; kept, not shown"))
    # The forums with no date carry their per-quadrant reading in their line (`_forum_groups`).
    listed = [data.forums[m.forum] for m in shown] + quiet
    if readings(listed):
        blocks += [Gap(), *(Para(r) for r in readings(listed))]
    # Only the sections that state a frequency (§3 states none for the Strategic Group).
    sections = sorted({cite(f.section) for f in forums if f.cadence})
    blocks.append(Source(f"dates recorded on this computer, projected by setguide; frequencies: {', '.join(sections)}"))
    return blocks


def _meeting_blocks(data: Data, meetings: list[sched.Meeting], schedules, today) -> list[Block]:
    """The meetings shown, as a table (a list where it does not fit), and what the
    projected ones rest on."""
    rows = tuple(
        (
            meeting_day(data, m),
            sched.time_text(m.time) or "time not known",
            data.forums[m.forum].name,
            BASIS_WORDS[m.basis] + (f"; {m.bank_holiday}: bank holiday" if m.bank_holiday else ""),
        )
        for m in meetings
    )
    lines = tuple(
        fill(
            "{}{}  {}{}{}",
            d,
            " " + t if t != "time not known" else "",
            name,
            " (projected)" if m.basis == "cadence" else "",
            f" ({m.bank_holiday}: a bank holiday)" if m.bank_holiday else "",
        )
        for (d, t, name, _), m in zip(rows, meetings, strict=True)
    )
    blocks: list[Block] = [Table(("Date", "Time", "Forum", "Basis"), rows, (Bullets(lines),))]
    holidays = sorted({f"{m.bank_holiday}, {sched.day_text(m.date)}" for m in meetings if m.bank_holiday})
    if holidays:
        blocks.append(
            Caution(
                f"setguide: projected onto an England bank holiday ({'; '.join(holidays)}); "
                "the cadence does not say whether the forum meets then: ask the chair."
            )
        )
    if any(m.basis == "cadence" for m in meetings):
        blocks.append(Caution(PROJECTED))
    for fid in dict.fromkeys(m.forum for m in meetings if m.basis == "cadence"):
        other = other_cadence_line(data, data.forums[fid], schedules.get(fid), today, sched.window_end(today, 400))
        if other is not None:
            blocks.append(Para(other))
    return blocks


def _undated_blocks(data: Data, missing: list[Forum], commands: bool) -> list[Block]:
    """The forums with no recorded date, and (at a terminal) how to add one."""
    if not missing:
        return []
    names = fill("No known date: {}.", join("; ", _forum_groups(data, missing)))
    blocks: list[Block] = [Gap(), Para(keyed(names, *facts_in((names, [f.name for f in missing]))))]
    if commands:
        blocks += add_hint(missing[0], "Add one from the invite or the chair (day first, UK time)")
        blocks.append(Para("Or take dates from a calendar invite:"))
        blocks.append(Command("setguide forums import FILE.ics"))
    return blocks


def _quiet_line(f: Forum, s: sched.Schedule) -> Val:
    when = sched.day_text(s.start) + (f" {sched.time_text(s.time)}" if s.time else "")
    if s.rule is None:
        return fill(
            "{}: last recorded {}; the protocol states no frequency: record the next date when known", f.name, when
        )
    rule = sched.rule_words(s.rule, s.start)
    if s.rule_from == "cadence":  # projected from the forum's frequency: a corrected one is marked
        rule = projection_words(f, rule)
    return fill("{}: recorded {}, {}", f.name, when, rule)


def meeting_day(data: Data, m: sched.Meeting, text: str | None = None) -> Val:
    """A meeting's date; a date projected from a forum's stated frequency shows that cadence,
    so a corrected cadence is marked on every date it projects."""
    text = sched.day_text(m.date) if text is None else text
    if m.basis != "cadence":
        return Val(text)
    return keyed(text, f"forums.{data.forums[m.forum].data_id}.cadence")


def meeting_json(data: Data, m: sched.Meeting, s: sched.Schedule | None = None) -> dict[str, Any]:
    f = data.forums[m.forum]
    # A projected date where a named source gives another frequency: which one it follows,
    # and the next date the other would give (None where there is none).
    other = other_cadence_json(data, f, s, m.date, sched.window_end(m.date, 200)) if m.basis == "cadence" else None
    if other is not None:
        other["other_dates"] = other["other_dates"][:1]
    return {
        "forum": f.name,
        "id": m.forum,
        "date": meeting_day(data, m, m.date.isoformat()),
        "time": sched.time_text(m.time) or None,
        "basis": m.basis,
        # A projected date is setguide's reading of the forum's stated frequency, not the protocol's.
        "projected_by": "setguide" if m.basis == "cadence" else None,
        "bank_holiday": m.bank_holiday,
        "source": m.source,
        "authority": f.authority,
        "readings": list(readings([f])),
        "other_cadence": other,
    }


# --- add-date / remove-date / import -------------------------------------------


def when_text(d: date, t: time | None) -> str:
    return sched.day_text(d) + (f" {sched.time_text(t)}" if t else "")


def rule_text(data: Data, s: sched.Schedule) -> Val:
    """How a recorded date repeats, keyed by the cadence when it is the protocol's (a
    corrected cadence changes it), not when an invite's own RRULE gave it."""
    words = sched.rule_words(s.rule, s.start)
    if s.rule_from == "cadence":
        return keyed(words, f"forums.{data.forums[s.forum].data_id}.cadence")
    return Val(words)


def rule_value(data: Data, s: sched.Schedule) -> Val | None:
    """The RRULE as --json gives it, keyed as `rule_text` is."""
    if s.rule is None:
        return None
    return keyed(s.rule, *facts_in(rule_text(data, s)))


def added_doc(
    data: Data, s: sched.Schedule, following: list[date], old_line: str | None, restore: str | None, path: str
) -> list[Block]:
    f = data.forums[s.forum]
    repeats = rule_text(data, s)
    blocks: list[Block] = [
        Para(fill("Recorded: {} on {}.", f.name, when_text(s.start, s.time))),
        Field("Repeats", projection_words(f, repeats) if s.rule_from == "cadence" and s.rule else repeats),
    ]
    if following:
        # A projected date on a bank holiday is flagged here as in --next and on the card.
        days = [sched.day_text(d) + _holiday_note(d) for d in following]
        blocks.append(Field("Next", keyed(", ".join(days), *facts_in(repeats))))
        if s.rule_from == "cadence":
            blocks.append(Caution(PROJECTED))
        other = other_cadence_line(data, f, s, following[0], following[-1])
        if other is not None:
            blocks.append(Para(other))
    blocks += [Para(r) for r in readings([f])]
    if old_line:
        blocks.append(Caution(f"This replaces the date recorded before: {old_line}. To put it back: {restore}"))
    blocks.append(Source(f"saved in {path}"))
    return blocks


def _holiday_note(d: date) -> str:
    from setguide.base import clock

    holiday = clock.bank_holiday(d)
    return f" ({holiday}: a bank holiday; confirm with the chair)" if holiday else ""


def other_dates(f: Forum, s: sched.Schedule | None, first: date, last: date) -> list[date] | None:
    """Where a named source gives the forum another frequency (ESCB: MACE Part 2
    quarterly), the dates that frequency gives from the same recorded date, in the window;
    None where there is none, or the dates are not projected from the protocol's frequency
    (a date the user recorded, or an invite's rule, always wins)."""
    if not f.other_cadence or s is None or s.rule_from != "cadence" or s.rule is None:
        return None
    other = s._replace(rule=sched.cadence_rule(f.other_cadence, s.start))
    return [d for d in sched.occurrences(other, first, last) if d != s.start]


def other_cadence_line(data: Data, f: Forum, s: sched.Schedule | None, first: date, last: date) -> Val | None:
    """setguide's line beside projected dates: which frequency they follow, and the dates
    the named source's frequency would give instead."""
    dates = other_dates(f, s, first, last)
    if dates is None:
        return None
    src = data.sources[f.other_cadence_source]
    days = ", ".join(sched.day_text(d) for d in dates[:2]) or "none"
    return fill(
        "setguide: projected dates of {} follow the protocol's frequency ({}); {} gives {} instead: "
        "from the same recorded date, the next would be {}.",
        f.name,
        cadence_words(f),
        src.publisher,
        keyed(f.other_cadence, f"forums.{f.data_id}.other_cadence", f"forums.{f.data_id}.cadence"),
        days,
    )


def other_cadence_json(data: Data, f: Forum, s: sched.Schedule | None, first: date, last: date) -> dict | None:
    dates = other_dates(f, s, first, last)
    if dates is None:
        return None
    return {
        "follows": f.cadence,
        "other_cadence": f.other_cadence,
        "other_source": source_json(data.sources[f.other_cadence_source]),
        "other_dates": [d.isoformat() for d in dates],
    }


def removed_doc(data: Data, forum_id: str, old_line: str | None, restore: str | None, path: str | None) -> list[Block]:
    name = data.forums[forum_id].name
    if old_line is None:
        return [Para(fill("No date was recorded for {}; nothing changed.", name))]
    return [
        Para(fill("Forgot the date of {}: {}.", name, old_line)),
        Field("To put it back", restore),
        Source(f"saved in {path}"),
    ]


def old_line(old: dict[str, Any]) -> str:
    d = old.get("date")
    text = sched.day_text(d) if isinstance(d, date) else str(d)
    if old.get("time"):
        text += f" {old['time']}"
    if old.get("rrule"):
        text += f" (RRULE {old['rrule']})"
    if old.get("source"):
        text += f", {old['source']}"
    return one_line(text, None)  # as the file holds it, which may be hand-edited


def imported_doc(
    data: Data,
    added: list[tuple[Any, sched.Schedule, str | None]],
    skipped: list[Any],
    file: str,
    path: str | None,
) -> list[Block]:
    blocks: list[Block] = [Heading(f"From {file}")]
    if added:
        blocks.append(Para(f"Recorded {len(added)} forum{'s' if len(added) != 1 else ''}:"))
        blocks.append(
            Bullets(
                tuple(
                    fill(
                        "{}: {}, {}{}{}",
                        data.forums[s.forum].name,
                        when_text(s.start, s.time),
                        rule_text(data, s),
                        f" (replaces {old})" if old else "",
                        f"; title {one_line(item.summary)!r} matched by {item.matched}"
                        if getattr(item, "matched", "")
                        else "",
                    )
                    for item, s, old in added
                )
            )
        )
    if skipped:
        blocks += [Gap(), Para(f"Not imported ({len(skipped)} event{'s' if len(skipped) != 1 else ''}):")]
        items = []
        for sk in skipped:
            line = f"{sk.summary!r} ({sk.when}): {sk.reason}"
            if sk.candidates:
                line += f"; candidates: {', '.join(sk.candidates)}"
            items.append(line)
        blocks.append(Bullets(tuple(items)))
        blocks.append(Para("Record one by hand: " + add_command("FORUM")))
    if path:
        blocks.append(Source(f"saved in {path}"))
    return blocks


def skipped_json(sk: Any) -> dict[str, Any]:
    return {"summary": sk.summary, "when": sk.when, "reason": sk.reason, "candidates": sk.candidates}
