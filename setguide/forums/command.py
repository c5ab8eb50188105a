"""Commands: forums, forums add-date/import/remove-date."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import Optional

import typer

from setguide.base import clock
from setguide.base.clock import now, parse_hhmm
from setguide.base.errors import SetguideError, UsageError
from setguide.base.facts import fill, join
from setguide.base.text import one_line, text_fault
from setguide.base.userfiles import shown_path
from setguide.forums import calendar as ics
from setguide.forums import meetings, schedule
from setguide.forums import view as forums_view
from setguide.forums.names import match_forum
from setguide.model.data import get
from setguide.model.marks import marks_for
from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console as out
from setguide.output.blocks import Caution, Para, Source


def _marks(data):
    return marks_for(data, now().date())


FORUM_ARG = typer.Argument(
    ..., help="A forum id or name; any case, a unique part of it will do (e.g. 'thurrock mace')."
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    forums_app = typer.Typer(
        invoke_without_command=True,
        no_args_is_help=False,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    forums_app.callback()(forums)
    forums_app.command("add-date")(add_date)
    forums_app.command("import")(import_)
    forums_app.command("remove-date")(remove_date)
    app.add_typer(forums_app, name="forums")


AUTHORITY_OPT = typer.Option(
    None,
    "--authority",
    "-a",
    metavar="AUTHORITY",
    help="essex, southend, thurrock or set (the §3 group); a prefix will do. Shows the area's SPOC first.",
)
THEME_OPT = typer.Option(
    None,
    "--theme",
    "-t",
    metavar="THEME",
    help="county-lines, criminal-exploitation, gangs, missing, sexual-exploitation, trafficking: "
    "by setguide's theme map, its reading of each forum's stated focus.",
)
NEXT_OPT = typer.Option(False, "--next", help="Upcoming meetings in date order, from the dates you recorded.")
AT_OPT = typer.Option(
    None,
    "--at",
    metavar="WHEN",
    help="With --next: count from this day or moment (2026-12-01, 01/12/2026 day first, 17:45 today; UK time). "
    "Default: now.",
)
DAYS_OPT = typer.Option(90, "--days", metavar="N", min=0, max=3660, help="With --next: how many days ahead.")
PER_FORUM_OPT = typer.Option(
    None,
    "--per-forum",
    metavar="N",
    min=0,
    help="With --next: at most N meetings of each forum (0: all). Default: 2 on screen, all with --json.",
)
ICS_OPT = typer.Option(
    None, "--ics", metavar="FILE", help="Write the forums with a known date to FILE as a calendar (- = stdout)."
)
FORCE_OPT = typer.Option(False, "--force", help="With --ics: replace FILE if it exists.")


def forums(
    ctx: typer.Context,
    authority: Optional[str] = AUTHORITY_OPT,
    theme: Optional[str] = THEME_OPT,
    next_: bool = NEXT_OPT,
    at: Optional[str] = AT_OPT,
    days: int = DAYS_OPT,
    per_forum: Optional[int] = PER_FORUM_OPT,
    ics: Optional[str] = ICS_OPT,
    force: bool = FORCE_OPT,
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """The forums of §2 and the SET CSE Strategic Group (§3): what each is for, who
    attends, how often it meets, and when (the date you recorded and the next one).

    --next lists the meetings ahead in date order, at most two of each forum unless
    --per-forum says more.

    Examples: setguide forums --authority thurrock · setguide forums --next --days 30 ·
    setguide forums --ics forums.ics
    """
    if ctx.invoked_subcommand is not None:
        return
    data = get()
    chosen = forums_view.pick(data, authority, theme)
    if ics is not None:
        _export(data, chosen, ics, force)
    elif next_:
        _next(data, chosen, clock.parse_at(at, need_time=False), days, per_forum, json_, plain)
    elif at is not None or days != 90 or per_forum is not None:
        raise UsageError("--at, --days and --per-forum go with --next", "e.g. setguide forums --next --days 30")
    else:
        _listing(data, chosen, authority, theme, json_, plain)


def _listing(data, chosen, authority, theme, json_: bool, plain: bool) -> None:
    """The forums chosen, each with its recorded date and the next one."""
    moment = clock.now()
    if json_:
        shown, fault = _dated(lambda s: [forums_view.forum_json(data, f, s, moment) for f in chosen], data)
        if fault:
            out.note(fault)
        out.show_json(shown, marks=_marks(data))
        return
    doc, fault = _dated(
        lambda s: forums_view.forums_doc(data, chosen, s, moment, authority=authority, theme=theme), data
    )
    out.show([Caution(fault), *doc] if fault else doc, plain, marks=_marks(data), page=True)


def _next(data, chosen, moment, days: int, per_forum: Optional[int], json_: bool, plain: bool) -> None:
    """The meetings ahead in date order (--next)."""
    stored = meetings.load(data)
    wanted = {f.id for f in chosen}
    schedules = {fid: s for fid, s in stored.schedules.items() if fid in wanted}
    found = schedule.next_meetings(schedules.values(), moment, days)
    if json_:
        for fault in stored.faults:
            out.note(fault)
        shown = forums_view.per_forum(found, per_forum or 0)
        out.show_json([forums_view.meeting_json(data, m, schedules.get(m.forum)) for m in shown], marks=_marks(data))
        return
    limit = 2 if per_forum is None else per_forum
    doc = forums_view.next_doc(data, found, chosen, schedules, moment, days, stored.unknown, limit)
    out.show([*map(Caution, stored.faults), *doc], plain, marks=_marks(data))


def _dated(build, data):
    """What `build` makes of the recorded dates; a fault in that file (one an older
    version stored, or a hand edit) is a caution beside the forums, never no forums."""
    try:
        stored = meetings.load(data)
        return build(stored.schedules), join(" ", stored.faults) or None
    except SetguideError as exc:
        return build({}), meetings.unread_text(exc)


def _export(data, chosen, target: str, force: bool = False) -> None:

    stored = meetings.load(data)
    schedules = [stored.schedules[f.id] for f in chosen if f.id in stored.schedules]
    if not schedules:
        raise SetguideError(
            "no forum has a known meeting date, so there is nothing to put in a calendar",
            "record one first: setguide forums add-date FORUM YYYY-MM-DD [--time HH:MM], "
            "or setguide forums import FILE.ics",
        )
    for fault in stored.faults:
        out.note(fault)
    content = ics.export(data, schedules, clock.now(), _marks(data))
    if target == "-":
        out.write_bytes(content)
        return
    path = Path(target).expanduser()
    ics.write_export(path, content, force)
    names = join(", ", [data.forums[s.forum].name for s in schedules])
    shown = one_line(str(shown_path(path)), None)
    wrote = fill("Wrote {} recurring event(s) to {}: {}.", len(schedules), shown, names)
    out.show([Para(wrote), Source("Europe/London time")], marks=_marks(data))


def _parse_date(text: str) -> tuple[date, Optional[time]]:
    """DATE as people in the UK write it (clock.parse_date): day first, any separator."""
    return clock.parse_date(text, flag="DATE")


def _plausible(day: date, text: str) -> date:

    if not 2000 <= day.year <= 2099:
        raise UsageError(
            f"not a plausible meeting date: {text!r}", "give a date between 2000 and 2099, e.g. 17/12/2026"
        )
    return day


def _parse_time(text: str) -> time:

    try:
        return parse_hhmm(text)
    except ValueError:
        raise UsageError(f"--time: not a time: {text!r}", "give it as HH:MM on the 24-hour clock, e.g. 09:30") from None


def add_date(
    forum: str = FORUM_ARG,
    when: str = typer.Argument(
        ...,
        metavar="DATE",
        help="A known meeting date, day first (01/12/26 is 1 December): 14/01/2027, 14-1-27, 14.01.2027, "
        "14 Jan 2027 or 2027-01-14; a time may follow.",
    ),
    time_: Optional[str] = typer.Option(None, "--time", metavar="HH:MM", help="Its start, 24-hour clock, UK time."),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """Record a known meeting date; later ones are projected from the forum's frequency (setguide's reading).

    One date is kept per forum: a new one replaces the old, which is shown with
    the command that puts it back.

    Example: setguide forums add-date "thurrock mace" 03/03/2026 --time 10:00
    """
    data = get()
    forum_id = match_forum(data, forum)
    start, at = _parse_date(when)
    start = _plausible(start, when)
    if time_ is not None:
        given = _parse_time(time_)
        if at is not None and given != at:
            raise UsageError(f"two start times: {when!r} and --time {time_}", "give the time once")
        at = given
    stored = meetings.load(data)
    entry = meetings.entry(start, at, f"added on {clock.now().date().isoformat()}")
    old = meetings.put(stored, forum_id, entry)
    path = meetings.save(stored)
    s = meetings.load(data).schedules[forum_id]
    today = clock.now().date()
    following = [d for d in schedule.occurrences(s, max(today, start + timedelta(days=1)), today + timedelta(3660))]
    following = following[:3]
    old_text = forums_view.old_line(old) if old else None
    restore = meetings.restore_command(forum_id, old) if old else None
    if json_:
        out.show_json(_added_json(data, forum_id, s, start, at, following, old, path), marks=_marks(data))
    else:
        out.show(forums_view.added_doc(data, s, following, old_text, restore, path), plain, marks=_marks(data))


def _added_json(data, forum_id: str, s, start: date, at, following: list[date], old, path) -> dict:
    """What add-date recorded, and the dates it projects from it."""
    return {
        "forum": data.forums[forum_id].name,
        "id": forum_id,
        "date": start.isoformat(),
        "time": schedule.time_text(at) or None,
        "rule": forums_view.rule_value(data, s),
        "next": [d.isoformat() for d in following],
        # A projected date on an England bank holiday, by date, as --next flags it.
        "bank_holidays": {d.isoformat(): clock.bank_holiday(d) for d in following if clock.bank_holiday(d)},
        "other_cadence": forums_view.other_cadence_json(data, data.forums[forum_id], s, following[0], following[-1])
        if following
        else None,
        "replaced": {k: str(v) for k, v in old.items()} if old else None,
        "file": path,
    }


def remove_date(forum: str = FORUM_ARG, json_: bool = JSON_OPT, plain: bool = PLAIN_OPT) -> None:
    """Forget the date recorded for a forum (shows it, with the command that puts it back).

    Example: setguide forums remove-date "thurrock mace"
    """
    data = get()
    forum_id = match_forum(data, forum)
    stored = meetings.load(data, check=False)  # an entry that is wrong is the one to remove
    old = meetings.remove(stored, forum_id)
    path = meetings.save(stored) if old else None
    old_text = forums_view.old_line(old) if old else None
    restore = meetings.restore_command(forum_id, old) if old else None
    if json_:
        out.show_json(
            {
                "forum": data.forums[forum_id].name,
                "id": forum_id,
                "removed": {k: str(v) for k, v in old.items()} if old else None,
                "restore": restore,
            },
            marks=_marks(data),
        )
    else:
        out.show(forums_view.removed_doc(data, forum_id, old_text, restore, path), plain, marks=_marks(data))


def import_(
    file: Path = typer.Argument(..., metavar="FILE.ics", help="A calendar invite or calendar export (.ics)."),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """Take meeting dates, and their recurrence, from calendar invites.

    Each event's title is matched to a forum (as FORUM is); its RRULE is kept.
    Every event that cannot be used is listed with the reason.

    Example: setguide forums import ~/Downloads/invite.ics
    """
    data = get()
    file = file.expanduser()  # `~` as every other path setguide reads (a shell in quotes, or cmd, leaves it)
    found, skipped = ics.read_invites(data, file)
    stored = meetings.load(data)
    added = []
    name = one_line(file.name)  # echoed and stored: one line, nothing hidden in it
    source = f"imported from {name} on {clock.now().date().isoformat()}"
    if text_fault(source):  # stored, it must pass the check every stored source passes
        source = f"imported from a calendar file on {clock.now().date().isoformat()}"
    for item in found:
        old = meetings.put(stored, item.forum, meetings.entry(item.start, item.time, source, item.rule, item.skip))
        added.append((item, old))
    path = meetings.save(stored) if found else None
    fresh = meetings.load(data).schedules if found else {}
    rows = [(item, fresh[item.forum], forums_view.old_line(old) if old else None) for item, old in added]
    if json_:
        out.show_json(
            {
                "imported": [
                    {
                        "forum": data.forums[s.forum].name,
                        "id": s.forum,
                        "date": s.start.isoformat(),
                        "time": schedule.time_text(s.time) or None,
                        "rule": forums_view.rule_value(data, s),
                        "summary": item.summary,
                        "matched": item.matched,
                        "replaced": old,
                    }
                    for item, s, old in rows
                ],
                "not_imported": [forums_view.skipped_json(sk) for sk in skipped],
                "file": path,
            },
            marks=_marks(data),
        )
    else:
        out.show(forums_view.imported_doc(data, rows, skipped, name, path), plain, marks=_marks(data))
    if not found:
        if skipped and all(sk.reason == ics.NO_MATCH for sk in skipped):
            raise SetguideError(
                f"nothing imported from {name}: no event could be matched to a forum",
                "rename the events after the forum (setguide forums lists them), or use forums add-date",
            )
        raise SetguideError(
            f"nothing imported from {name}: no event could be used (the reasons are listed above)",
            "record a date by hand with: setguide forums add-date FORUM YYYY-MM-DD",
        )
