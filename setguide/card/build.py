"""The desk card: one self-contained HTML page composed of the documents the commands
build. Pure: data, tree, recorded dates and a moment in, a string of HTML out.

Every plan on the card is the document `setguide triage` shows for the same answers
(`outcome_doc`, with its notes and cautions), for every path through the tree; the
contacts, quadrants, forums and meeting dates are the documents of `contacts`,
`quadrant` and `forums`. Each goes through the same trust pass (`output.trust.mark`)
and is drawn by the HTML renderer (`output.html`), so the card says what the
terminal says, marks what it marks, and adds only the page around them.

A card is read at every hour: nothing on it depends on the hour it was built. Each
plan is routed at an example moment of its hours case, or at the start of the build's
day, without the words true only then (`route(timeless=True)`); a step whose number
depends on a front door's hours is a `Choice` of every answer of the door's rule, which
the page's script chooses by its reader's clock. Views are asked for what the card
needs (`paper=`, `commands=`, `moment=`), never cut by their words."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from html import escape
from typing import Any

from setguide import __version__
from setguide.base.clock import bank_holiday, parse_hhmm, to_london
from setguide.base.facts import Val, facts_in, fill, join, keyed
from setguide.base.names import CUTOFF
from setguide.card.page import PAGE, SCRIPT, STYLE, script_hash
from setguide.contacts.view import contact_blocks, front_door_blocks
from setguide.forums import meetings, schedule
from setguide.forums.cadence import cadence_words
from setguide.forums.view import AUTHORITY_ORDER, authority_label, forums_doc, next_doc, pick
from setguide.model.data import SET_WIDE, Data, cite
from setguide.model.marks import correction_text, labelled, marks_for, team_fault_text
from setguide.output import trust
from setguide.output.blocks import Block, Caution, Choice, Field, Heading, Option, Para, Source, Table
from setguide.output.html import Renderer, caution
from setguide.places.resolve import (
    OUTSIDE_WORDS,
    POSTCODE_HINT,
    POSTCODE_MESSAGE,
    area_names,
    lookup,
    names_for_completion,
    normalise,
    resolve,
)
from setguide.places.view import quadrant_doc
from setguide.sources import view as sources_view
from setguide.triage import tree as routing
from setguide.triage.tree import DAY_NAMES, check_hours, tree_for
from setguide.triage.view import TIMING_WORDS, also_doc, outcome_doc, step_blocks

TITLE = "SET child exploitation information sharing: who to contact"
SETGUIDE = "setguide"  # the provenance label of the card's own words: never a § of the protocol
URL = re.compile(r"^https?://\S+$")
HOURS_CASES = ("in-hours", "closing-soon", "bank-holiday", "out-of-hours")
# §1: a concern about a child follows the SET Child Protection Procedures as well as the police route.
ALSO_COUNCIL = "; a concern about a child also goes to the council's child-protection front door (rows below)"
DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
MEETING_DAYS = 90  # the meeting table's window, as `forums --next --days 90`
# Said once, where the card's one hours question is: how the card decides which case holds.
HOURS_RULE = (
    "Which of these holds is decided by the clock of the computer showing this page, in UK time, "
    "by the rule setguide applies in the terminal; on paper, choose the one that holds now."
)


# --- answers for every path -------------------------------------------------------


def area_answer(data: Data, value: str) -> str:
    """The --area text that gives a place branch: an authority by name, or 'outside SET'."""
    return "outside SET" if value not in data.authorities else data.authorities[value].name


def example_moments(data: Data, start: datetime, closing_minutes: int) -> dict[str, datetime]:
    """A moment on or after `start` for each hours case, found by asking the same check the tree asks."""
    found: dict[str, datetime] = {}
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    line = data.facts["triage_line"]
    # By the line's own hours (a local correction can move them): 10:00 or an hour after
    # it opens, just before it closes, and 21:00 or three hours after it closes.
    opens, closes = (parse_hhmm(line[k]) for k in ("opens", "closes"))
    open_at, close_at = opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute
    closing = close_at - max(closing_minutes // 2, 1)
    morning = 600 if open_at <= 600 < close_at - closing_minutes else min(open_at + 60, 1439)
    evening = 1260 if close_at <= 1260 else min(close_at + 180, 1439)
    times = [divmod(morning, 60), divmod(closing, 60), divmod(evening, 60)]
    for _ in range(800):  # every year has a weekday bank holiday; this ends long before
        for hour, minute in times:
            moment = day.replace(hour=hour, minute=minute)
            case, _ = check_hours(moment, data, closing_minutes)
            found.setdefault(case, moment)
        if len(found) == len(HOURS_CASES):
            return found
        day = day + timedelta(days=1)
    raise AssertionError("no moment found for every hours case")  # a broken holidays table


class PlanPath:
    """One path through the tree: the answers a reader gives, the moment it is routed at, the trail."""

    def __init__(self, answers: dict[str, Any], at: datetime, trail: tuple[tuple[str, str], ...]) -> None:
        self.answers = answers
        self.at = at
        self.trail = trail

    @property
    def slug(self) -> str:
        return "plan-" + "_".join(f"{node}-{value}" for node, value in self.trail)


def day_start(now: datetime) -> datetime:
    """The start of `now`'s day in UK time: what the card is built from, whatever the hour."""
    return to_london(now).replace(hour=0, minute=0, second=0, microsecond=0)


def all_paths(data: Data, tree: Any, now: datetime) -> list[PlanPath]:
    """Every path through the tree, each with the answers that take it and a moment to route
    it at: an example moment of its hours case, else the start of the day of the build (what
    depends on the hour is a `Choice` in the plan, see `ReaderMoment`)."""
    closing = max((q.closing_minutes for q in tree.nodes.values() if q.check), default=0)
    moments = example_moments(data, now, closing)
    paths = []
    for trail, _outcome in tree.paths():
        answers: dict[str, Any] = {}
        at = day_start(now)
        for node_id, value in trail:
            q = tree.nodes[node_id]
            if q.kind == "check":
                at = moments[value]
            elif q.kind == "place":
                answers[q.answer] = area_answer(data, value)
            elif q.kind == "yesno":
                answers[q.answer] = value == "yes"
            else:
                answers[q.answer] = value
        paths.append(PlanPath(answers, at, trail))
    return paths


def protocol_links(data: Data) -> set[str]:
    """The protocol's own addresses: the only links the card makes. A locally corrected
    address is the user's, not the protocol's: it is shown as text."""
    links = {a.child_protection_page for a in data.authorities.values()}
    for fact in data.facts.values():
        for value in fact.values.values():
            if isinstance(value, str) and URL.match(value):
                links.add(value)
    for c in data.corrections.values():
        if isinstance(c.value, str):
            links.discard(c.value)
        if isinstance(c.protocol_value, str) and URL.match(c.protocol_value):
            links.add(c.protocol_value)
    return {str(link) for link in links}


# --- the card's composition of documents ------------------------------------------------------


class Card:
    """What every part of the card shares: the data, the marks, the recorded dates, the renderer."""

    def __init__(self, data: Data, now: datetime, schedules: dict[str, Any], notes: list[str]) -> None:
        self.data = data
        self.now = now
        self.day = day_start(now)  # every date the card shows counts from here: the hour of the build never shows
        self.marks = marks_for(data, now.date())
        self.doors = {aid: door_moments(door, self.day) for aid, door in data.front_doors.items()}
        self.schedules = schedules
        self.notes = notes
        self.html = Renderer(protocol_links(data), level=3)

    def mark(self, blocks: list[Block]) -> list[Block]:
        """The trust pass with the card's marks."""
        return trust.mark(blocks, self.marks)

    def doc(self, blocks: list[Block], level: int = 3, tables: str = "table", sources: bool = True) -> str:
        """A document after the trust pass, as HTML; without `sources`, without the cautions
        naming a public source (a part that points to where they are said)."""
        r = Renderer(self.html.links, level, tables)
        marked = self.mark(blocks)
        if not sources:
            marked = _without_sources(marked)
        return r.render(marked)


def _without_sources(blocks) -> list[Block]:
    """The blocks without the cautions that name a public source, a table's included."""
    kept: list[Block] = []
    for b in blocks:
        if isinstance(b, Caution) and b.source:
            continue
        if isinstance(b, Table):
            b = b._replace(fallback=tuple(_without_sources(b.fallback)), notes=tuple(_without_sources(b.notes)))
        kept.append(b)
    return kept


def page_of(data: Data, source: str) -> str:
    """A named source's page, as one page whatever the form of its address (with or
    without www, http or https, a final slash): two entries can be copies of one page."""
    url = data.sources[source].url.casefold()
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def one_caution_per_page(data: Data, parts: list[list[Block]]) -> list[list[Block]]:
    """Parts with one caution for each named page, where it is first said: a second copy
    of the page (the same address with www) says nothing the first caution did not."""
    seen: set[str] = set()
    out: list[list[Block]] = []
    for part in parts:
        kept: list[Block] = []
        for b in part:
            if isinstance(b, Caution) and b.source:
                page = page_of(data, b.source)
                if page in seen:
                    continue
                seen.add(page)
            kept.append(b)
        out.append(kept)
    return out


def plan_blocks(card: Card, tree: Any, path: PlanPath) -> tuple[list[Block], Any]:
    """The plan `setguide triage` shows for the path's answers, at the path's moment, with
    the same recorded dates: its document, without the line giving that moment (the card
    says once how the hours case is chosen) and without the Now said again at the end.
    A step whose number depends on the front door's hours is a `Choice` of each answer."""
    answers = dict(path.answers)
    if "area" in answers:
        answers["area"] = resolve(card.data, answers["area"])
    outcome = routing.route(answers, path.at, card.data, tree, card.schedules, timeless=True)
    outcome, steps, title = door_choices(card, tree, answers, outcome)
    blocks = outcome_doc(outcome, repeat=False, notes=card.notes, moment=False, steps=steps)
    if title is not None:  # the title names the number to phone: a choice, as the step that gives it
        blocks[0] = title
    return blocks, outcome


# --- the reader's moment: what depends on the front door's hours ---------------------------

# The tree's parts that give the number to phone by the front door's hours (triage.tree.office_open).
DOOR_PARTS = ("front-door", "front-door-other")
# Each answer the front door's rule gives, in the order a page lists them, and what it holds for.
DOOR_STATES = {
    "open": "In its office hours, as its source states them",
    "closed": "Outside its office hours, as its source states them",
    "closed-day": "On a day its source counts as out of hours",
    "holiday-closed": "On an England bank holiday, which its source counts as out of hours",
    "holiday-open": "On an England bank holiday in its office hours (its source does not say whether it is open)",
    "disputed": "At a time its sources disagree whether its office is open",
    "no-hours": "At any other time (its source states no office hours)",
}


def door_state(door: Any, moment: datetime) -> str:
    """Which answer the front door's rule (`triage.tree.office_open`) gives at `moment`, by
    name; the page's script tells the same from the same data (`doors_data`)."""
    at = to_london(moment)
    holiday = bank_holiday(at.date()) is not None
    day = DAY_NAMES[at.weekday()]
    if holiday and door.bank_holidays == "out-of-hours":
        return "holiday-closed"
    if day in door.closed_days:
        return "closed-day"
    if not door.hours:
        return "no-hours"
    minute = at.hour * 60 + at.minute
    is_open = any(day in h.days and _minutes(h.opens) <= minute < _minutes(h.closes) for h in door.hours)
    if any(day in h.days and _minutes(h.opens) <= minute < _minutes(h.closes) for h in door.disputed_hours):
        return "disputed"
    if holiday and is_open:
        return "holiday-open"
    return "open" if is_open else "closed"


def _minutes(hhmm: str) -> int:
    t = parse_hhmm(hhmm)
    return t.hour * 60 + t.minute


def door_moments(door: Any, day: datetime) -> dict[str, datetime]:
    """A moment on or after `day` for each answer the door's rule can give, in DOOR_STATES
    order: at midnight, noon and each edge of its hours, on each day until a week and a
    weekday bank holiday have passed."""
    spans = (*door.hours, *door.disputed_hours)
    edges = {0, 720, *(m for h in spans for m in (_minutes(h.opens), _minutes(h.closes) - 1))}
    found: dict[str, datetime] = {}
    holiday_seen = False
    for n in range(800):  # every year has weekday bank holidays: this ends long before
        date = day + timedelta(days=n)
        for minute in sorted(edges):
            moment = to_london(date.replace(hour=minute // 60, minute=minute % 60))
            found.setdefault(door_state(door, moment), moment)
        holiday_seen = holiday_seen or (date.weekday() < 5 and bank_holiday(date.date()) is not None)
        if holiday_seen and n >= 7:
            break
    return {state: found[state] for state in DOOR_STATES if state in found}


def door_choices(card: Card, tree: Any, answers: dict[str, Any], outcome: Any) -> tuple[Any, Any, Block | None]:
    """The plan with every step that shows the front door's number as the step routed at a
    moment of each answer of the door's rule, how to show such a step (a `Choice`), and the
    plan's title as a `Choice` where it names the number too (else None)."""
    door = card.data.front_doors.get(outcome.authority) if outcome.authority else None
    ids = {sid for sid in tree.outcomes[outcome.id].steps if tree.steps[sid].part in DOOR_PARTS}
    moments = card.doors.get(door.id, {}) if door is not None else {}
    if not ids or len(moments) < 2:
        return outcome, step_blocks, None
    alternatives = {
        state: routing.route(answers, at, card.data, tree, card.schedules, timeless=True)
        for state, at in moments.items()
    }

    def found(sid: str, plan: Any) -> Any:
        return next((s for s in plan.steps if s.id == sid), None)

    parts = {}
    for part in ("now", "also", "then"):  # every step that any answer shows, in the tree's order
        shown = (found(sid, outcome) or next(filter(None, (found(sid, a) for a in alternatives.values())), None)
                 for sid in getattr(tree.outcomes[outcome.id], part))  # fmt: skip
        parts[part] = tuple(s for s in shown if s is not None)
    merged = outcome._replace(**parts, steps=(*parts["now"], *parts["also"], *parts["then"]))
    title = None
    if len({str(a.title) for a in alternatives.values()}) > 1:
        title = Choice(
            f"frontdoor:{door.id!s}",
            tuple(
                Option(
                    state, door_label(door, state), (Heading(fill("{}: {}", a.code, a.title)),), door_hours(door, state)
                )
                for state, a in alternatives.items()
            ),
        )

    def show(n: int, step: Any) -> list[Block]:
        if step.id not in ids:
            return step_blocks(n, step)
        options = []
        for state, plan in alternatives.items():
            alt = found(step.id, plan)
            blocks = tuple(step_blocks(n, alt)) if alt else ()
            options.append(Option(state, door_label(door, state), blocks, door_hours(door, state)))
        if len({o.blocks for o in options}) == 1:
            return list(options[0].blocks)
        return [Choice(f"frontdoor:{door.id}", tuple(options))]

    return merged, show, title


def door_label(door: Any, state: str) -> Val:
    """What an answer of the door's rule holds for; for the times its sources disagree, which
    times those are (setguide's reading of them, as the decision table's hours)."""
    if state != "disputed":
        return DOOR_STATES[state]
    spans = join("; ", (fill("{} {} to {}", day_span(h.days), h.opens, h.closes) for h in door.disputed_hours))
    return fill("{} ({}, UK time)", DOOR_STATES[state], spans)


def door_hours(door: Any, state: str) -> str:
    """The hours the door's source states for an answer of its rule ('' where it states none)."""
    if state in ("open", "holiday-open"):
        return door.office_hours or ""
    if state in ("closed", "closed-day", "holiday-closed"):
        return door.out_of_hours_hours or ""
    return ""


def plan_html(card: Card, tree: Any, path: PlanPath) -> str:
    blocks, outcome = plan_blocks(card, tree, path)
    return "\n".join(
        [
            f'<article class="plan" id="{path.slug}" data-outcome="{escape(outcome.id)}" '
            f"data-answers='{escape(json.dumps(path.answers), quote=True)}' data-at=\"{path.at.isoformat()}\">",
            card.doc(blocks, level=3),
            offered_html(card, tree, path, outcome),
            "</article>",
        ]
    )


def offered_html(card: Card, tree: Any, path: PlanPath, outcome: Any) -> str:
    """The question a plan offers once it is shown (the area, to fill in Also), as the
    terminal asks it after the plan: one answer to open per area, each giving what
    `setguide triage` adds for it (`also_doc`, the Also for the area and the Now again)."""
    q = outcome.offer
    if q is None or q.kind != "place":
        return ""
    qid = f"offer-{path.slug}"
    out = [
        f'<div class="question offer" role="group" aria-labelledby="{qid}">',
        f'<p class="q" id="{qid}"><strong>{escape(q.text)}</strong> <span class="prov">(optional: it fills in '
        f"Also)</span></p>",
        marks_html(card, keyed(q.text, *facts_in([b.label for b in q.branches]))),
    ]
    for b in q.branches:
        answers = {**path.answers, q.answer: area_answer(card.data, b.value)}
        answers[q.answer] = resolve(card.data, answers[q.answer])
        more = routing.route(answers, path.at, card.data, tree, card.schedules, timeless=True)
        blocks = also_doc(more)
        out.append(f'<details data-value="{escape(b.value)}"><summary>{escape(b.label)}</summary>')
        out.append(card.doc(blocks, level=4))
        out.append("</details>")
    out.append("</div>")
    return "\n".join(out)


def marks_html(card: Card, shown: Any) -> str:
    """The trust pass's cautions for what a line of the page's own shows (an answer naming an authority)."""
    return card.doc([b for b in trust.mark([Para(shown)], card.marks) if isinstance(b, Caution)])


def own(text: str) -> str:
    """Words of setguide's own (not the protocol's), labelled as such."""
    return f'<p class="own">{escape(text)} <span class="prov">({SETGUIDE})</span></p>'


def triage_html(card: Card, tree: Any, paths: list[PlanPath]) -> str:
    """The tree as nested disclosure widgets: a question, then one <details> per answer."""
    by_trail = {p.trail: p for p in paths}

    def node(node_id: str, trail: tuple[tuple[str, str], ...]) -> str:
        q = tree.nodes[node_id]
        qid = "q-" + "_".join([*(f"{n}-{v}" for n, v in trail), q.id])
        intro = own(HOURS_RULE) + '<p class="clock" hidden></p>' if q.kind == "check" else ""
        out = [
            f'<div class="question" role="group" aria-labelledby="{qid}" data-node="{q.id}"'
            + (' data-check="1">' if q.kind == "check" else ">"),
            f'<p class="q" id="{qid}"><strong>{escape(q.text)}</strong> '
            f'<span class="cite">[{escape(cite(q.section))}]</span></p>',
            intro,
            marks_html(card, keyed(q.text, *facts_in((q.text, [b.label for b in q.branches])))),
        ]
        for b in q.branches:
            sub = (*trail, (q.id, b.value))
            out.append(f'<details data-value="{escape(b.value)}"><summary>{escape(b.label)}</summary>')
            if b.next in tree.outcomes:
                out.append(plan_html(card, tree, by_trail[sub]))
            else:
                out.append(node(b.next, sub))
            out.append("</details>")
        out.append("</div>")
        return "\n".join(out)

    return node(tree.start, ())


# --- page 1: the decision, the triage line, the SPOCs ---------------------------------------------


def decision_doc(data: Data, tree: Any) -> list[Block]:
    """The triage's decision as one small table, for paper: each case and whom it goes to,
    every number and address from the data (so a correction is shown and marked)."""
    rows = [*_police_rows(data), *_door_rows(data), *_other_rows(data)]
    fallback = tuple(Para(fill("{}: {} [{}]", *row)) for row in rows)
    return [Table(("If", "Then", "Source"), tuple(rows), fallback, wrap=(0, 1, 2))]


def _police_rows(data: Data) -> list[tuple[str, str, str]]:
    """999, then the three police routes (each saying a concern about a child goes to the council too)."""
    f = data.facts
    emergency, line, ooh, form, mail = (
        f[k] for k in ("emergency", "triage_line", "out_of_hours", "sharing_form", "triage_email")
    )
    days = keyed(f"{DAYS[line['days'][0]]} to {DAYS[line['days'][-1]]}", *facts_in(line["days"]))
    hours = fill("{} to {}, {}", line["opens"], line["closes"], days)
    rows: list[tuple[str, str, str]] = [
        (
            fill("There is {}", emergency["when"]),
            fill("Phone {} ({})", emergency["number"], emergency["service"]),
            cite(emergency.section),
        ),
        (
            fill("An offence likely, urgent, in hours ({}, UK time)", hours),
            fill(
                "Phone {}, extension {} ({}){}",
                line["number"],
                join(" or ", line["extensions"]),
                line["team"],
                ALSO_COUNCIL,
            ),
            cite(line.section),
        ),
        (
            "An offence likely, urgent, out of hours",
            fill("Phone {}: ask for the {}, via the {}{}", ooh["number"], ooh["team"], ooh["via"], ALSO_COUNCIL),
            cite(ooh.section),
        ),
        (
            "An offence likely, not urgent",
            fill("In writing: the {}, by secure email to {}{}", form["name"], mail["address"], ALSO_COUNCIL),
            cite(form.section),
        ),
    ]
    return rows


def _door_rows(data: Data) -> list[tuple[str, str, str]]:
    """A concern about a child, no offence: each area's front door, both numbers with their hours."""
    procedures = data.facts["procedures"]
    rows: list[tuple[str, str, str]] = []
    for aid in AUTHORITY_ORDER:
        a = data.authorities.get(aid)
        if a is None:
            continue
        door = data.front_doors.get(aid)
        if door is None:  # no named source for its front door: the protocol's own link
            then = fill("Follow the {}: {} child protection, {}", procedures["name"], a.name, a.child_protection_page)
            source = cite(a.section)
        else:
            # Both numbers, each with the hours its source states: a printed card is read at every hour.
            then = fill(
                "Follow the {}: {}, {} in office hours ({}); out of hours {}{}{}",
                procedures["name"],
                door.name,
                door.office_phone,
                office_hours_words(door),
                fill("{}, ", door.out_of_hours_name) if door.out_of_hours_name else "",
                door.out_of_hours_phone,
                fill(" ({})", door.out_of_hours_hours) if door.out_of_hours_hours else "",
            )
            source = "named sources, below"
        rows.append((fill("No offence, a concern about a child in {}", a.name), then, source))
    return rows


def _other_rows(data: Data) -> list[tuple[str, str, str]]:
    """Potential information, the strategic route, and not sure."""
    f = data.facts
    ooh, form, mail, procedures = (f[k] for k in ("out_of_hours", "sharing_form", "triage_email", "procedures"))
    rows: list[tuple[str, str, str]] = []
    rows.append(
        (
            "Potential information, no immediate risk",
            "The SPOC of the area (below) and the area's forums (Forums by area)",
            f"{cite('spoc')}; {cite('2')}",
        )
    )
    strategic = next((fo for fo in data.forums.values() if fo.authority == SET_WIDE), None)
    group = strategic.name if strategic is not None else "the strategic group"
    # §3 names no contact for the group and no way in: share it with Essex Police [§1], which chairs it.
    rows.append(
        (
            fill("Patterns across SET, or spreading from one SET area (the {})", group),
            fill(
                "Share it with Essex Police: phone {} or the {} to {} (the protocol names no contact for the group)",
                ooh["number"],
                form["name"],
                mail["address"],
            ),
            f"{cite('1')}; {cite('3')}",
        )
    )
    # Q4's "Not sure", as the terminal plans it (its step "unsure-procedures-first").
    rows.append(
        (
            "Not sure which of these it is",
            fill(
                "Follow the {} first: the area's front door (above) can advise, and the police and the area's "
                "SPOC can still be told",
                procedures["name"],
            ),
            SETGUIDE,
        )
    )
    return rows


def day_span(days: tuple[str, ...]) -> str:
    """Days as words: "Mon to Thu" for a run of three or more, else each ("Fri", "Sat, Sun")."""
    order = list(DAYS)
    at = [order.index(d) for d in days]
    if len(at) >= 3 and at == list(range(at[0], at[0] + len(at))):
        return f"{DAYS[days[0]][:3]} to {DAYS[days[-1]][:3]}"
    return ", ".join(DAYS[d][:3] for d in days)


def office_hours_words(door: Any) -> Val:
    """A front door's office hours for the decision table: as its source writes them, else
    setguide's reading of them (said so), else that its source states none."""
    if door.office_hours:
        return door.office_hours
    if door.hours:
        spans = join(
            "; ",
            (fill("{} {} to {}", day_span(h.days), h.opens, h.closes) for h in door.hours),
        )
        return keyed(f"{spans}, UK time: setguide's reading of its source", *facts_in(door.hours))
    return keyed("its source states no hours", *facts_in(door.office_phone))


def glance_docs(data: Data) -> list[list[Block]]:
    """The §1 facts a desk needs at a glance, as three small documents: the triage line
    and its hours, out of hours, and writing by secure email."""
    f = data.facts
    line, ooh, form, secure, mail = (
        f[k] for k in ("triage_line", "out_of_hours", "sharing_form", "secure_email", "triage_email")
    )
    return [
        [
            Heading("Urgent, in hours: the triage line"),
            Para(fill("{}: “{}” (UK time).", line["team"], line["hours_text"])),
            Field("Phone", line["number"]),
            Field("Extension", join(" or ", line["extensions"])),
            Para(fill("“{}”", line["verbal_referral"])),
            Source(cite(line.section)),
        ],
        [
            Heading("Urgent, out of hours"),
            Para(fill("“{}”", ooh["text"])),
            Field("Phone", ooh["number"]),
            Field("Ask for", ooh["team"]),
            Field("The six CAIT", join(", ", ooh["cait"])),
            Source(cite(ooh.section)),
        ],
        [
            Heading("Not urgent: in writing, by secure email"),
            Para(fill("“{}”; it “{}”.", form["text"], secure["rule_text"])),
            Field("Form", form["url"]),
            Field("Email", mail["address"]),
            Field("Secure addresses", join(", ", secure["domains"])),
            Source(cite(form.section)),
        ],
    ]


def boxes(card: Card, docs: list[list[Block]], cls: str) -> str:
    return f'<div class="{cls}">' + "".join(f'<div class="box">{card.doc(d, level=3)}</div>' for d in docs) + "</div>"


def contacts_html(card: Card) -> tuple[str, str]:
    """What `contacts` shows, by its parts (each number spaced for reading, the text as
    written): one box per SPOC, then one per council's front door (from named sources),
    as two parts of the page. A caution said of every SPOC (that the protocol's contacts
    are to be confirmed) is said once, below them all; a named page's, once."""
    contacts = list(card.data.contacts.values())
    r = Renderer(card.html.links, level=2)

    def grid(parts: list[list[Block]]) -> str:
        boxes = "".join(f'<div class="box">{r.render(p)}</div>' for p in parts)
        return f'<div class="spocs">{boxes}</div>'

    spocs = [card.mark(contact_blocks(c)) for c in contacts]
    shared = [
        b for b in dict.fromkeys(b for p in spocs for b in p if isinstance(b, Caution) and b.kind == "unconfirmed")
    ]
    spocs = [[b for b in p if b not in shared] for p in spocs]
    after = [Source(cite(contacts[0].section)), *shared]
    doors = one_caution_per_page(
        card.data, [card.mark(found) for c in contacts if (found := front_door_blocks(card.data, c.id))]
    )
    return grid(spocs) + r.render(after), grid(doors) if doors else ""


# --- page 2: forums, quadrants, dates ----------------------------------------------------------


def forums_by_area_doc(data: Data) -> list[Block]:
    """Each area's forums in a line, with how often each meets: the printed card's forum list."""
    rows = []
    for aid in AUTHORITY_ORDER:
        forums = [f for f in data.forums.values() if f.authority == aid]
        if not forums:
            continue
        names: dict[str, Any] = {}
        for fo in forums:
            name = fo.base_name
            names.setdefault(str(name), fill("{} ({})", name, cadence_words(fo)))
        cites = ", ".join(dict.fromkeys(cite(fo.section) for fo in forums))
        rows.append((authority_label(data, aid), join("; ", names.values()), cites))
    fallback = tuple(Para(fill("{}: {} [{}]", *row)) for row in rows)
    return [Table(("Area", "Forums (how often)", "Source"), tuple(rows), fallback, wrap=(1, 2))]


def meetings_html(card: Card) -> str:
    """The meeting dates recorded on the computer that built the card, and the next ones
    they give: from the same schedules as the forum entries and the plans. A rule that
    cannot be projected is a caution here, never a card without its plans."""
    if not card.schedules:
        return own("No meeting dates were recorded on the computer that built this card.")
    recorded = [f for f in card.data.forums.values() if f.id in card.schedules]
    try:
        found = schedule.next_meetings(card.schedules.values(), card.day, MEETING_DAYS)
    except Exception as exc:
        return caution(meetings.unread_text(exc))
    # On screen, every meeting in the window (`--per-forum 0`); on paper, which has room
    # for one line a forum whatever is recorded, the next meeting of each (`--per-forum 1`),
    # without what to type at a terminal.
    screen = next_doc(card.data, found, recorded, dict(card.schedules), card.day, MEETING_DAYS, limit=0)
    lead = f"setguide: on paper, the next meeting of each forum; on screen, every one in {MEETING_DAYS} days."
    paper = next_doc(
        card.data, found, recorded, dict(card.schedules), card.day, MEETING_DAYS, limit=1, commands=False, lead=lead
    )
    return (
        f'<details class="noprint"><summary>Every meeting in the next {MEETING_DAYS} days</summary>'
        f"{card.doc(screen, level=4)}</details>"
        f'<div class="print-only meetings-paper">{card.doc(paper, level=4, tables="stacked")}</div>'
    )


# Where the place box's reader finds the SPOCs: this card's part, not a terminal command.
ON_THE_CARD = "Single points of contact, on this card"


def place_answers(card: Card) -> tuple[list[str], dict[str, Any], list[str]]:
    """For the place box, computed here from the gazetteer `setguide quadrant` reads: every
    name (for the list to choose from); the answer for each name, as indexes into a table of
    distinct HTML pieces, which most answers share; the choices a shared name offers
    ("Thorpe"); and what the box needs to suggest names, tell places apart by their area and
    explain a postcode as `places.resolve` does (the script repeats its rules, not its data)."""
    data = card.data
    pieces: dict[str, int] = {}
    answers: dict[tuple, int] = {}
    table: list[list[Any]] = []
    index: dict[str, int] = {}
    choose: dict[str, list[list[str]]] = {}
    names: list[str] = []
    drawn: dict[Block, str] = {}  # most answers share most blocks: each is drawn once

    def answer(r: Any) -> int:
        idx = []
        for b in card.mark(quadrant_doc(data, r, spocs=ON_THE_CARD)):
            html = drawn.get(b)
            if html is None:
                html = drawn[b] = card.html.render([b])
            if html:
                idx.append(pieces.setdefault(html, len(pieces)))
        where = [r.authority, list(r.districts or ((r.district,) if r.district else ()))]
        key = (tuple(idx), r.authority, tuple(where[1]))
        if key not in answers:
            answers[key] = len(table)
            table.append([*where, idx])
        return answers[key]

    def add(name: str, listed: bool = True) -> None:
        key = normalise(name)
        if key in index or key in choose:
            return
        found = lookup(data, name)
        if found.place is not None:
            index[key] = answer(found.place)
            if listed:
                names.append(name)
        elif found.problem is not None and found.problem.ambiguous:
            forms = []
            for form in found.problem.candidates:
                r = resolve(data, form)
                area = data.districts[r.district].name if r.district else "outside SET"
                where = fill("{}: {}", area, data.quadrants[r.quadrant].name) if r.quadrant else area
                forms.append([form, str(labelled(data, where))])  # a corrected name says so, as the wizard's does
                add(form)
            choose[key] = forms

    for name in names_for_completion(data):
        add(name)
    add("outside SET")  # the answer the box's advice names, for a place outside SET
    for word in OUTSIDE_WORDS:
        add(word, listed=False)
    return names, _place_script(data, index, table, choose), list(pieces)


def _place_script(data: Data, index: dict, table: list, choose: dict) -> dict[str, Any]:
    """The place box's data: the answers by name, and what it needs to suggest names, tell
    places apart by their area and explain a postcode as `places.resolve` does."""
    return {
        "index": index,
        "answers": table,
        "choose": choose,
        "suggest": list(names_for_completion(data)),
        "areas": [[k, a, d] for k, (a, d) in area_names(data).items()],
        "places": [[n, p.district] for p in data.places for n in (p.name, *p.aliases)],
        "districts": {d.id: d.authority for d in data.districts.values()},
        "cutoff": CUTOFF,
        "postcode": [POSTCODE_MESSAGE, POSTCODE_HINT],
    }


def hours_data(data: Data, tree: Any, now: datetime) -> dict[str, Any]:
    """What the clock script needs: the protocol's days and hours, and the England bank holidays near the build."""
    line = data.facts["triage_line"]
    closing = max((q.closing_minutes for q in tree.nodes.values() if q.check), default=0)
    holidays = []
    day = now.date()
    for _ in range(731):  # the card is for a desk for up to two years; after that the script says nothing
        if bank_holiday(day):
            holidays.append(day.isoformat())
        day += timedelta(days=1)
    return {
        "days": list(line["days"]),
        "opens": line["opens"],
        "closes": line["closes"],
        "closing": closing,
        "words": TIMING_WORDS,
        "holidays": holidays,
        "from": now.date().isoformat(),
        "until": day.isoformat(),
    }


def doors_data(data: Data) -> dict[str, Any]:
    """What the clock script needs to tell each front door's answer (`door_state`): the
    hours its source states, the days it counts as out of hours, and its bank-holiday rule."""
    return {
        door.id: {
            "hours": [{"days": list(h.days), "opens": h.opens, "closes": h.closes} for h in door.hours],
            "closed_days": list(door.closed_days),
            "bank_holidays": door.bank_holidays,
            "disputed": [{"days": list(h.days), "opens": h.opens, "closes": h.closes} for h in door.disputed_hours],
        }
        for door in data.front_doors.values()
    }


def build(data: Data, now: datetime, schedules: dict[str, Any] | None = None, notes: list[str] | None = None) -> str:
    """The whole card as one HTML document. `schedules`: the recorded meeting dates (forum
    id -> Schedule), the same for the plans, the forum entries and the meeting table;
    None reads them as `setguide forums` does. `notes`: cautions every plan carries."""
    notes = list(notes or [])
    if schedules is None:
        schedules = recorded_schedules(data, notes)
    tree = tree_for(data)
    card = Card(data, now, schedules, notes)
    today = now.date()
    paths = all_paths(data, tree, now)
    emergency = data.facts["emergency"]
    procedures = data.facts["procedures"]
    names, places, pieces = place_answers(card)
    datalist = "".join(f'<option value="{escape(n)}"></option>' for n in names)
    script_data = {"hours": hours_data(data, tree, now), "doors": doors_data(data), "places": places, "pieces": pieces}
    quadrants = quadrant_doc(data, resolve(data, "Essex"), paper=True)
    # Without how to list and record dates at a terminal: the card's meeting table follows instead.
    forums = forums_doc(data, pick(data), schedules, card.day, commands=False)
    corrections = [correction_text(c) for c in data.corrections.values()]
    if data.team is not None:  # whose corrections the card carries, and how recent they are
        checked = data.team.checked.isoformat() if data.team.checked else "no values checked"
        corrections.insert(0, f"Built with {data.team.name}'s team corrections (last checked {checked}).")
    if data.team_fault:
        corrections.insert(0, team_fault_text(data))
    spocs, doors = contacts_html(card)
    return PAGE.format(
        title=escape(TITLE),
        style=STYLE,
        script=SCRIPT,
        script_hash=script_hash(SCRIPT),
        emergency=card.doc(emergency_doc(data), level=2),
        corrections="".join(caution(c) for c in corrections),
        # Its front-door rows say "named sources, below": the front doors carry their cautions.
        decision=card.doc(decision_doc(data, tree), level=3, sources=False),
        glance=boxes(card, glance_docs(data), "glance"),
        triage=triage_html(card, tree, paths),
        contacts=spocs,
        front_doors=doors,
        quadrants=card.doc(quadrants, level=3),
        forums_by_area=card.doc(forums_by_area_doc(data), level=3),
        forums=card.doc(forums, level=3),
        meetings=meetings_html(card),
        datalist=datalist,
        json=json.dumps(script_data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/"),
        edition=escape(data.edition),
        read_on=escape(data.read_on.isoformat()),
        built=escape(today.isoformat()),
        version=escape(__version__),
        complement=card.doc([Para(fill("{} [{}]", procedures["complement"], cite(procedures.section)))])
        + card.doc(sources_view.summary_blocks(data), level=2),
        plans=len(paths),
        number=escape(emergency["number"]),
    )


def emergency_doc(data: Data) -> list[Block]:
    """The header's 999: the one fact that cannot be corrected, through the trust pass all the same."""
    e = data.facts["emergency"]
    return [Para(fill("“{}”", e["text"])), Source(cite(e.section))]


def recorded_schedules(data: Data, notes: list[str]) -> dict[str, Any]:
    """The meeting dates recorded on this computer, as `setguide triage` reads them: a
    fault in the file is a caution on every plan, never an error."""
    found, cautions = meetings.load_or_caution(data)
    notes += cautions
    return found
