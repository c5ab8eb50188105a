"""What a plan's steps show that the answers decide (tree.toml's `part`): the area's council
page and front door for this moment, the three councils' front doors, the area's SPOC and
forums, the Essex MACE quadrant, the strategic group, and the words for a place outside
SET. Pure: data, answers and a moment in, exact values out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from setguide.base import phone
from setguide.base.facts import Val, facts_in, fill, join, keyed
from setguide.forums import schedule as sched
from setguide.forums.cadence import cadence_words
from setguide.forums.meetings import add_command
from setguide.model.data import Data
from setguide.triage.hours import office_open
from setguide.triage.questions import NOT_SURE

NOWHERE = "none"
STRATEGIC_GROUP = "set-cse-strategic-group"
POLICE_CONTACT = "essex-police"


class Item(NamedTuple):
    """An exact value: shown whole, never shortened. `value` carries its fact keys;
    `source` is the named public source it comes from, where not the protocol."""

    label: str
    value: str
    source: Any = None  # a model NamedSource


class Part(NamedTuple):
    text: str = ""
    items: tuple[Item, ...] = ()
    bullets: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    repeat: tuple[Item, ...] | None = None  # None: the items
    note: str | None = None  # setguide's own words, shown beside the step's
    commands: tuple[str, ...] = ()  # as tree.Step.commands
    flags: tuple[str, ...] = ()


class Ctx(NamedTuple):
    data: Data
    area: Any
    authority: str | None
    theme: str | None
    touches: str | None
    schedules: dict[str, Any] | None
    now: datetime
    timeless: bool = False  # as tree.next_step's: for a reader at another moment (the card)


def _spoc_items(data: Data, contact_id: str, label: str, named_by: str = "") -> tuple[Item, ...]:
    """A SPOC as the table gives it (name, role, organisation), with each number spaced for
    reading and labelled in the protocol's own words; `named_by` keys the fact that chose it."""
    c = data.contacts[contact_id]
    who = fill("{} – {}, {}", c.display_name, c.role, c.organisation)
    if named_by:
        who = keyed(who, *facts_in((who, named_by)))
    return (
        Item(label, who),
        Item("Email", c.email),
        *(Item(label, value) for label, value in phone.labelled(c.phone_text, as_written=False)),
    )


def part(part: str, c: Ctx) -> Part | None:
    """What a step shows that the answers decide; None leaves the step out."""
    data, authority = c.data, c.authority
    if part == "authority-page":
        if authority is None:
            return None
        a = data.authorities[authority]
        page = (Item(fill("{} child protection", a.name), a.child_protection_page),)
        return Part(items=page + _newer_home(data, authority), sections=(a.section,))
    if part == "front-doors-all":
        return _front_doors_all(c)
    if part in ("front-door", "front-door-other"):
        door = data.front_doors.get(authority) if authority else None
        if door is None:
            return None
        return _front_door(door, c, other=part == "front-door-other")
    if part == "area-spoc":
        if authority is None:
            return None
        a = data.authorities[authority]
        return Part(items=_spoc_items(data, a.contact, fill("{} SPOC", a.name), a.contact), sections=("spoc",))
    if part == "police-spoc":
        return Part(items=_spoc_items(data, POLICE_CONTACT, "SPOC table, Essex Police entry"), sections=("spoc",))
    if part == "area-forums":
        if authority is None:
            return _outside_words(c)
        return _essex_mace(c) if data.authorities[authority].kind == "county" else _unitary(c)
    if part == "essex-mace":
        return _essex_mace(c)
    if part == "unitary-forums":
        return _unitary(c)
    if part == "outside-place":
        # Where a place outside SET is comes from the gazetteer's named page, not the protocol.
        where = c.area.outside_where if c.area is not None else None
        source = f" ({c.area.source_title})" if where and c.area.source_title else ""
        return Part(note=f"{c.area.name} is in {where}{source}." if where else None)
    if part == "strategic-group":
        g = data.forums[STRATEGIC_GROUP]
        return Part(bullets=(fill("{}.", g.chair), fill("Attended by: {}.", g.attendees)), sections=(g.section,))
    raise AssertionError(f"part {part!r} is validated at load")


# setguide's inference, said as such: the council's current page at the protocol's old address.
NEWER_HOME = "Its newer home (setguide's inference: no page states a redirect)"


def _newer_home(data: Data, authority: str) -> tuple[Item, ...]:
    """Where setguide knows the protocol's page has a newer home: that home, labelled as
    setguide's inference, beside the protocol's link (never instead of it)."""
    door = data.front_doors.get(authority)
    if door is None or not door.moved_to:
        return ()
    return (Item(NEWER_HOME, door.moved_to, data.sources[door.sources["moved_to"]]),)


def _front_doors_all(c: Ctx) -> Part | None:
    """No SET area known: each council's front door in a line, with its number for this
    moment (both, labelled, where the source's hours cannot tell)."""
    data = c.data
    items: list[Item] = []
    for aid in ("southend", "essex", "thurrock"):
        door = data.front_doors.get(aid)
        if door is None:
            continue
        src = {f: data.sources[s] for f, s in door.sources.items()}
        a = data.authorities[aid]
        # For a reader at another moment (the card), both numbers: the page chooses by its clock.
        is_open = None if c.timeless else office_open(door, c.now)[0]
        # What chose the number is a fact too: a corrected hours, weekend or bank-holiday rule is marked.
        decided = decided_by(door)
        office = Item(fill("{}: {}{}", a.name, door.name, " (office hours)" if door.hours else ""), door.office_phone,
                      src["office_phone"])  # fmt: skip
        name = door.out_of_hours_name
        label = fill("{}: {} (out of hours)", a.name, name) if name else fill("{}, out of hours", a.name)
        out = Item(label, door.out_of_hours_phone, src["out_of_hours_phone"])
        chosen = [office] if is_open else [out] if is_open is False else [office, out]
        items += [i._replace(label=keyed(i.label, *facts_in(i.label), *decided)) for i in chosen]
    if not items:
        return None
    return Part(
        items=tuple(items), note="give the area to see its page, referral route and the source's hours.",
        flags=("--area PLACE",),
    )  # fmt: skip


def decided_by(door: Any) -> tuple[str, ...]:
    """The keys of the facts that choose a front door's number for a moment."""
    return tuple(
        f"frontdoors.{door.id}.{f}"
        for f in ("hours", "disputed_hours", "closed_days", "bank_holidays")
        if f in door.sources
    )


def _front_door(door: Any, c: Ctx, other: bool) -> Part | None:
    """The number to phone about a child at this moment, from the council's own page: in
    office hours its front door, outside them its out-of-hours number; both, labelled,
    where the source states no hours. `other`: the one not chosen now (for Then)."""
    data = c.data
    src = {f: data.sources[s] for f, s in door.sources.items()}
    office = (
        Item(fill("{} (office hours)", door.name) if door.hours else door.name, door.office_phone, src["office_phone"]),
        *((Item("Office hours", door.office_hours, src["office_hours"]),) if door.office_hours else ()),
    )
    refer = tuple(
        Item(label, getattr(door, f), src[f])
        for label, f in (("Professionals refer", "refer_url"), ("Referral email", "refer_email"))
        if getattr(door, f)
    )
    out = (
        Item(
            fill("{} (out of hours)", door.out_of_hours_name) if door.out_of_hours_name else "Out of hours",
            door.out_of_hours_phone,
            src["out_of_hours_phone"],
        ),
        *(
            (Item("Out-of-hours times", door.out_of_hours_hours, src["out_of_hours_hours"]),)
            if door.out_of_hours_hours
            else ()
        ),
    )
    moved: tuple[Item, ...] = ()  # the page's newer home is beside the protocol's link (authority-page)
    how = (fill("How professionals refer, in the source's words: {}", door.refer),) if door.refer else ()
    is_open, why = office_open(door, c.now, named=not c.timeless)
    # What chose the number is a fact too: a corrected hours, weekend or bank-holiday rule is marked here.
    decided = decided_by(door)
    why = keyed(why, *decided) if why else why
    reading = door.hours_reading if door.hours else None
    if is_open is None:
        if other:
            return None
        return Part(why, (*office, *out, *refer, *moved), how, repeat=(office[0], out[0]))
    if other:
        if is_open:
            return Part(keyed("out of office hours, its out-of-hours service:", *decided), out, note=reading)
        return Part(keyed("in office hours, its front door:", *decided), (*office, *refer), how, note=reading)
    if is_open:
        text = keyed("phone it now, in office hours:", *decided)
        return Part(text, (*office, *refer, *moved), how, repeat=(office[0],), note=reading)
    text = why or keyed("phone now, out of office hours, its out-of-hours service:", *decided)
    return Part(text, (*out, *moved), repeat=(out[0],), note=reading)


def _outside_words(c: Ctx) -> Part | None:
    # "outside SET" itself names no place: say so without repeating it ("outside SET is outside SET").
    named = c.area is not None and c.area.outside_where is not None
    where = f"{c.area.name} is outside SET" if named else "The concern is outside SET"
    if c.touches == NOWHERE:  # no SET forum applies: the plan says so once (triage.view.outside_words)
        return None
    return Part(
        text=f"({where}.)",
        sections=("purpose",),
        note="give the SET area the concern touches.",
        flags=("--touches essex|southend|thurrock",),
    )


def _essex_mace(c: Ctx) -> Part:
    data, area = c.data, c.area
    if area is None or area.quadrant is None:
        quads = list(data.quadrants.values())
        items = tuple(Item(q.name, q.text) for q in quads)
        # No quadrant known: what each Part is for, with no one quadrant's dates or commands.
        bullets = tuple(
            _what_for(f, f.base_name, c, when="dates by quadrant") for f in data.forums_of("essex", quads[0].id)
        )
        forums = Item("Forums", Val("Essex MACE Part 1 and Part 2 of the district's quadrant"))
        return Part(
            "Which quadrant depends on the district:",
            items,
            bullets,
            ("2.1",),
            (forums,),
            _readings(data.forums_of("essex", quads[0].id)),
        )
    q = data.quadrants[area.quadrant]
    district = data.districts[area.district].name
    where = district if area.name == district else fill("{} is in {}", area.name, district)
    # The quadrant shown is the district's fact as much as the quadrant's own.
    quadrant = keyed(q.name, *facts_in((q.name, area.quadrant)))
    picked = data.forums_of("essex", q.id)
    bullets = tuple(_what_for(f, f.name, c) for f in picked)
    forums = Item("Forums", join(" and ", [f.name for f in picked]))
    return Part(
        fill("{}: {} ({}).", where, quadrant, q.text),
        (),
        bullets,
        (q.section,),
        (forums,),
        _readings(picked),
        _add_commands(picked, c),
    )


def _readings(forums: list[Any]) -> str | None:
    """setguide's readings of the protocol about the forums shown (Part 2 per quadrant, and
    "bi-monthly" projected as every two months), said beside them, once each."""
    said = dict.fromkeys(r for f in forums for r in f.readings)
    return join(" ", said) or None  # keeps the readings' keys: a corrected reading is marked


def _unitary(c: Ctx) -> Part:
    data = c.data
    forums = data.forums_of(c.authority)
    name = data.authorities[c.authority].name
    if c.theme and c.theme != NOT_SURE and c.theme in data.themes:
        picked = [f for f in forums if c.theme in f.themes]
        text = fill(
            "for {} in {} (which forum fits a theme is setguide's reading of each forum's stated focus):",
            data.themes[c.theme].label.lower(),
            name,
        )
    else:
        picked = forums
        text = fill("all of {}'s forums, with what each is for (setguide: choose the one that fits):", name)
    bullets = tuple(_what_for(f, f.name, c) for f in picked)
    repeat = (Item("Forums" if len(picked) > 1 else "Forum", join(", ", [f.name for f in picked])),)
    return Part(
        text, (), bullets, tuple(dict.fromkeys(f.section for f in picked)), repeat, None, _add_commands(picked, c)
    )


def _what_for(f: Any, name: str, c: Ctx, when: str | None = None) -> Val:
    """A forum in one line: its name, how often, when it next meets (or `when`), and its first
    two purposes (the second often carries what the first leaves out, as MASE's sexual exploitation)."""
    purposes = join("; ", [keyed(p.rstrip("."), *getattr(p, "facts", ())) for p in f.purpose[:2]])
    cadence = cadence_words(f)
    return fill("{} ({}; {}): {}.", name, cadence, when or _meets(f, c), purposes)


def _meets(f: Any, c: Ctx) -> str:
    """The next known meeting (recorded, from an invite, or projected); the command that
    adds one, where none is known, is the step's (`_add_commands`)."""
    m = _next_meeting(f, c)
    if m is None:
        return "no date known"
    at = f" {sched.time_text(m.time)}" if m.time else ""
    basis = {"recorded": "recorded", "invite": "from the invite", "cadence": "projected"}[m.basis]
    if getattr(m, "bank_holiday", None):
        basis += f"; {m.bank_holiday}, a bank holiday: confirm with the chair"
    return f"next {sched.day_text(m.date)}{at}, {basis}"


def _next_meeting(f: Any, c: Ctx) -> Any:
    s = (c.schedules or {}).get(f.id)
    found = sched.next_meetings([s], c.now, days=400) if s is not None else []
    return found[0] if found else None


def _add_commands(forums: list[Any], c: Ctx) -> tuple[str, ...]:
    """The command that records a date, for each forum shown with none known."""
    return tuple(add_command(f.id) for f in forums if _next_meeting(f, c) is None)
