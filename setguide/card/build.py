"""The desk card: one self-contained HTML page built from the same data, tree and
views as the terminal. Pure: data, tree and a moment in, a string of HTML out.

Every plan on the card is the one `triage --json` gives for the same answers (the
same `route` and `outcome_json`), precomputed for every path through the tree, so
the page needs no script to guide a reader to it. The only script highlights which
of the triage line's hours cases holds by the reader's own clock, and answers the
place box from answers computed here."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from html import escape
from typing import Any

from setguide import __version__
from setguide.base.clock import parse_hhmm
from setguide.base.errors import UnknownName
from setguide.base.facts import facts_in
from setguide.card.page import PAGE, SCRIPT, STYLE
from setguide.contacts.view import contacts_doc
from setguide.forums import meetings, schedule
from setguide.forums.cadence import cadence_words
from setguide.forums.view import AUTHORITY_ORDER, authority_label, forums_doc, next_doc, pick
from setguide.model.data import Data, cite
from setguide.model.marks import correction_text, marks_for
from setguide.output import trust
from setguide.output.blocks import Block, Bullets, Caution, Field, Gap, Heading, Para, Source, Table
from setguide.output.trust import LABEL
from setguide.places.resolve import names_for_completion, normalise, resolve
from setguide.places.view import quadrant_doc
from setguide.triage import tree as routing
from setguide.triage import view as triage_view
from setguide.triage.tree import bank_holiday, check_hours, tree_for
from setguide.triage.view import TIMING_WORDS, uk_moment

TITLE = "SET child exploitation information sharing: who to contact"
SETGUIDE = "setguide"  # the provenance label of the card's own words: never a § of the protocol
URL = re.compile(r"^https?://\S+$")
HOURS_CASES = ("in-hours", "closing-soon", "bank-holiday", "out-of-hours")


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
    morning = 600 if open_at <= 600 < closing else min(open_at + 60, 1439)
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


def all_paths(data: Data, tree: Any, now: datetime) -> list[PlanPath]:
    """Every path through the tree, each with the answers that take it and a moment to route it at."""
    closing = max((q.closing_minutes for q in tree.nodes.values() if q.check), default=0)
    moments = example_moments(data, now, closing)
    paths = []
    for trail, _outcome in tree.paths():
        answers: dict[str, Any] = {}
        at = now
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


# --- marks: local corrections and stale contacts, by the terminal's own trust pass ----------


def step_marks(step: dict[str, Any], marks: Any, said: set[str]) -> tuple[list[str], set[str]]:
    """The cautions for the facts a plan's step shows (full text the first time, short after),
    and the contact values that are local corrections: as the trust pass treats a block."""

    notes: list[str] = []
    # Once each, by text: a correction's mark holds its JSON, a dict, so the mark is not hashable.
    for m in {m.text: m for key in facts_in(step) for m in marks.get(key, ())}.values():
        if m.text not in said:
            said.add(m.text)
            notes.append(m.text)
        elif m.short:
            notes.append(m.short)
    corrected = {
        c["value"]
        for c in step.get("contacts") or []
        if any(m.json is not None for key in facts_in(c["value"]) for m in marks.get(key, ()))
    }
    return notes, corrected


# --- HTML pieces -------------------------------------------------------------------------


class Html:
    """What a renderer needs besides the blocks: which links are the protocol's own, which values are corrected."""

    def __init__(self, data: Data, marks: Any) -> None:
        self.links = protocol_links(data)
        self.marks = marks

    def value(self, text: str) -> str:
        """An exact value: whole (never broken inside), a link only if it is one of the protocol's own."""
        inner = escape(text)
        if text in self.links:
            inner = f'<a href="{escape(text)}">{inner}</a>'
        return f'<span class="value">{inner}</span>'

    def blocks(self, blocks: list[Block], level: int = 3) -> str:
        """A terminal document as HTML: headings start at `level`; fields in a row form one list."""
        parts: list[str] = []
        fields: list[Field] = []

        def flush() -> None:
            if fields:
                parts.append(self.fields([(f.label, f.value) for f in fields]))
                fields.clear()

        for b in blocks:
            if isinstance(b, Field):
                fields.append(b)
                continue
            flush()
            if isinstance(b, Heading):
                h = min(level + b.level - 1, 6)
                parts.append(f"<h{h}>{escape(b.text)}</h{h}>")
            elif isinstance(b, Para):
                parts.append(f"<p>{escape(b.text)}</p>")
            elif isinstance(b, Bullets):
                parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in b.items) + "</ul>")
            elif isinstance(b, Caution):
                parts.append(caution(b.text))
            elif isinstance(b, Source):
                parts.append(source(b.text))
            elif isinstance(b, Table):
                parts.append(self.table(b))
            elif isinstance(b, Gap):
                continue
        flush()
        return "\n".join(parts)

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        rows = "".join(f"<div><dt>{label_html(label)}</dt><dd>{self.value(value)}</dd></div>" for label, value in pairs)
        return f'<dl class="fields">{rows}</dl>'

    def table(self, t: Table) -> str:
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in t.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{escape(cell) if i in t.wrap else self.value(cell)}</td>"
                if i
                else f'<th scope="row">{escape(cell)}</th>'
                for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in t.rows
        )
        return (
            f'<div class="scroll" role="region" aria-label="{escape(t.columns[0])} table" tabindex="0">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )


def label_html(label: str) -> str:
    """A field's label; the trust pass's LOCAL CORRECTION mark stands out."""
    tag = f" ({LABEL})"
    if label.endswith(tag):
        return f'{escape(label[: -len(tag)])} <strong class="corrected">{tag.strip()}</strong>'
    return escape(label)


def caution(text: str) -> str:
    return f'<p class="caution"><strong>Caution:</strong> {escape(text)}</p>'


def source(text: str) -> str:
    return f'<p class="source">Source: {escape(text)}</p>'


def own(text: str) -> str:
    """Words of setguide's own (not the protocol's), labelled as such."""
    return f'<p class="own">{escape(text)} <span class="prov">({SETGUIDE})</span></p>'


def protocol_links(data: Data) -> set[str]:
    """The protocol's own addresses: the only links the card makes."""
    links = {a.child_protection_page for a in data.authorities.values()}
    for fact in data.facts.values():
        for value in fact.values.values():
            if isinstance(value, str) and URL.match(value):
                links.add(value)
    return links


# --- the plans ---------------------------------------------------------------------------

PARTS = (("now", "Now"), ("also", "Also"), ("then", "Then"))


def plan_html(h: Html, j: dict[str, Any], path: PlanPath, timing_line: str | None) -> str:
    """One plan as `triage --json` gives it: Now / Also / Then when the plan has them, else its steps."""
    out = [
        f'<article class="plan" id="{path.slug}" data-outcome="{escape(j["id"])}" '
        f"data-answers='{escape(json.dumps(path.answers), quote=True)}' data-at=\"{path.at.isoformat()}\">",
        f"<h3>{escape(j['outcome'])}: {escape(j['title'])}</h3>",
    ]
    if timing_line:
        out.append(own(timing_line))
    out += [caution(c) for c in j.get("cautions", [])]
    said: set[str] = set()
    if any(key in j for key, _ in PARTS):
        for key, label in PARTS:
            if j.get(key):
                out.append(f"<h4>{label}</h4>")
                out.append(steps_html(h, j[key], key, said))
    else:
        out.append(steps_html(h, j["steps"], "steps", said))
    out.append(f"<p>{escape(j['complement'])}</p>")
    out.append(source("; ".join(j["citations"])))
    out.append("</article>")
    return "\n".join(out)


def steps_html(h: Html, steps: list[dict[str, Any]], part: str, said: set[str]) -> str:

    items = []
    for s in steps:
        notes, corrected = step_marks(s, h.marks, said)
        li = [f'<p class="text">{escape(s["text"])}</p>']
        contacts = s.get("contacts") or []
        if contacts:
            li.append(
                h.fields(
                    [(c["label"] + (f" ({LABEL})" if c["value"] in corrected else ""), c["value"]) for c in contacts]
                )
            )
        bullets = s.get("items") or []
        if bullets:
            li.append('<ul class="items">' + "".join(f"<li>{escape(b)}</li>" for b in bullets) + "</ul>")
        li += [caution(n) for n in notes]
        if s.get("source"):
            li.append(source(s["source"]))
        items.append('<li class="step">' + "".join(li) + "</li>")
    return f'<ol class="steps" data-part="{part}">' + "".join(items) + "</ol>"


def plan_json(data: Data, tree: Any, path: PlanPath) -> dict[str, Any]:
    """`triage --json` for the path's answers: the same route and the same JSON."""
    answers = dict(path.answers)
    if "area" in answers:
        answers["area"] = resolve(data, answers["area"])
    return triage_view.outcome_json(routing.route(answers, path.at, data, tree))


def triage_html(h: Html, data: Data, tree: Any, paths: list[PlanPath]) -> str:
    """The tree as nested disclosure widgets: a question, then one <details> per answer."""
    by_trail = {p.trail: p for p in paths}

    def node(node_id: str, trail: tuple[tuple[str, str], ...]) -> str:
        q = tree.nodes[node_id]
        qid = "q-" + "_".join([*(f"{n}-{v}" for n, v in trail), q.id])
        intro = ""
        if q.kind == "check":
            intro = (
                own(
                    "This card cannot know the hour it is read, so every case is shown: choose the one that holds now. "
                    "The terminal (setguide triage) checks the clock itself."
                )
                + '<p class="clock" hidden></p>'
            )
        out = [
            f'<div class="question" role="group" aria-labelledby="{qid}" data-node="{q.id}"'
            + (' data-check="1">' if q.kind == "check" else ">"),
            f'<p class="q" id="{qid}"><strong>{escape(q.text)}</strong> '
            f'<span class="cite">[{escape(cite(q.section))}]</span></p>',
            intro,
        ]
        for b in q.branches:
            sub = (*trail, (q.id, b.value))
            out.append(f'<details data-value="{escape(b.value)}"><summary>{escape(b.label)}</summary>')
            if b.next in tree.outcomes:
                path = by_trail[sub]
                j = plan_json(data, tree, path)
                timing = None
                if j.get("timing"):
                    timing = (
                        f"Shown as the terminal shows it at an example moment of this case, "
                        f"UK time {uk_moment(path.at)}: {TIMING_WORDS[j['timing']]}."
                    )
                out.append(plan_html(h, j, path, timing))
            else:
                out.append(node(b.next, sub))
            out.append("</details>")
        out.append("</div>")
        return "\n".join(out)

    return node(tree.start, ())


# --- the rest of the card -----------------------------------------------------------------


def glance_html(h: Html, data: Data) -> str:
    """The §1 facts a desk needs at a glance: the triage line and its hours, out of hours, secure email."""
    f = data.facts
    line, ooh, form, secure, mail = (
        f[k] for k in ("triage_line", "out_of_hours", "sharing_form", "secure_email", "triage_email")
    )
    return "\n".join(
        [
            '<div class="glance">',
            '<div class="box"><h3>Urgent, in hours: the triage line</h3>',
            f"<p>{escape(line['team'])}: “{escape(line['hours_text'])}” (UK time).</p>",
            h.fields([("Phone", line["number"]), ("Extension", " or ".join(line["extensions"]))]),
            f"<p>“{escape(line['verbal_referral'])}”</p>",
            source(cite(line.section)),
            "</div>",
            '<div class="box"><h3>Urgent, out of hours</h3>',
            f"<p>“{escape(ooh['text'])}”</p>",
            h.fields([("Phone", ooh["number"]), ("Ask for", ooh["team"]), ("The six CAIT", ", ".join(ooh["cait"]))]),
            source(cite(ooh.section)),
            "</div>",
            '<div class="box"><h3>Not urgent: in writing, by secure email</h3>',
            f"<p>“{escape(form['text'])}”; it “{escape(secure['rule_text'])}”.</p>",
            h.fields(
                [("Form", form["url"]), ("Email", mail["address"]), ("Secure addresses", ", ".join(secure["domains"]))]
            ),
            source(cite(form.section)),
            "</div>",
            "</div>",
        ]
    )


def forums_by_area_html(data: Data) -> str:
    """Each area's forums in a line, with how often each meets: the printed card's forum list."""
    rows = []
    for aid in AUTHORITY_ORDER:
        forums = [f for f in data.forums.values() if f.authority == aid]
        if not forums:
            continue
        names: dict[str, str] = {}
        for fo in forums:
            name = fo.base_name
            names.setdefault(name, f"{name} ({cadence_words(fo)})")
        cites = ", ".join(dict.fromkeys(cite(fo.section) for fo in forums))
        rows.append(
            f'<tr><th scope="row">{escape(authority_label(data, aid))}</th>'
            f"<td>{escape('; '.join(names.values()))}</td><td>{escape(cites)}</td></tr>"
        )
    return (
        '<div class="scroll" role="region" aria-label="Forums by area, table" tabindex="0"><table>'
        '<thead><tr><th scope="col">Area</th><th scope="col">Forums (how often)</th>'
        '<th scope="col">Source</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def meetings_html(h: Html, data: Data, now: datetime) -> str:
    """Meeting dates recorded on the computer that built the card, if any."""
    stored = meetings.load(data)
    if not stored.schedules:
        return own("No meeting dates were recorded on the computer that built this card (setguide forums add-date).")
    recorded = [f for f in data.forums.values() if f.id in stored.schedules]
    found = schedule.next_meetings(stored.schedules.values(), now, 90)
    return h.blocks(trust.mark(next_doc(data, found, recorded, dict(stored.schedules), now, 90), h.marks), level=3)


def place_answers(h: Html, data: Data) -> tuple[list[str], dict[str, list[int]], list[str]]:
    """For the place box: every gazetteer name, the `setguide quadrant` answer for each (as
    indexes into a table of distinct HTML pieces, which most answers share), and the pieces."""

    pieces: dict[str, int] = {}
    answers: dict[str, list[int]] = {}
    names: list[str] = []

    def add(name: str) -> None:
        try:
            r = resolve(data, name)
        except UnknownName as exc:
            for qualified in exc.candidates if exc.ambiguous else ():
                if normalise(qualified) not in answers:
                    add(qualified)
            return
        blocks = trust.mark(quadrant_doc(data, r), h.marks)
        idx = []
        for b in blocks:
            html = h.blocks([b], level=3)
            if html:
                idx.append(pieces.setdefault(html, len(pieces)))
        answers[normalise(name)] = idx
        names.append(name)

    for name in names_for_completion(data):
        add(name)
    return names, answers, list(pieces)


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


def build(data: Data, now: datetime) -> str:
    """The whole card as one HTML document."""
    tree = tree_for(data)
    today = now.date()
    h = Html(data, marks_for(data, today))
    paths = all_paths(data, tree, now)
    emergency = data.facts["emergency"]
    procedures = data.facts["procedures"]
    names, answers, pieces = place_answers(h, data)
    datalist = "".join(f'<option value="{escape(n)}"></option>' for n in names)
    script_data = {"hours": hours_data(data, tree, now), "places": answers, "pieces": pieces}
    contacts = trust.mark(contacts_doc(data, list(data.contacts.values())), h.marks)
    if contacts and isinstance(contacts[0], Heading):  # the section's own heading says it already
        contacts = contacts[1:]
    quadrants = trust.mark(quadrant_doc(data, resolve(data, "Essex")), h.marks)
    forums = trust.mark(forums_doc(data, pick(data)), h.marks)
    forums = [b for b in forums if not (isinstance(b, Para) and b.text.startswith("Meeting dates: setguide"))]

    corrections = [correction_text(c) for c in data.corrections.values()]
    return PAGE.format(
        title=escape(TITLE),
        style=STYLE,
        script=SCRIPT,
        number=escape(emergency["number"]),
        emergency=escape(emergency["text"]),
        emergency_cite=escape(cite(emergency.section)),
        corrections="".join(caution(c) for c in corrections),
        glance=glance_html(h, data),
        triage=triage_html(h, data, tree, paths),
        contacts=h.blocks(contacts, level=3),
        quadrants=h.blocks(quadrants, level=3),
        forums_by_area=forums_by_area_html(data),
        forums=h.blocks(forums, level=3),
        meetings=meetings_html(h, data, now),
        datalist=datalist,
        json=json.dumps(script_data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/"),
        edition=escape(data.edition),
        read_on=escape(data.read_on.isoformat()),
        built=escape(today.isoformat()),
        version=escape(__version__),
        complement=escape(procedures["complement"]),
        complement_cite=escape(cite(procedures.section)),
        plans=len(paths),
    )
