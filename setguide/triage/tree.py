"""The triage core: the decision tree of `data/tree.toml`, validated at load, and
`route(answers, now)`, which walks it to a plan (`Outcome`): Now, Also, Then.
Pure: data, answers and a moment in, a plan out; no clock, no prompts, no files.

The same walk serves the wizard: `next_step` returns either the plan or the first
question still unanswered, so a plan is known the moment it is decided; a plan
may then offer further, optional questions (`Outcome.offer`) that fill in Also.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from setguide.base import phone
from setguide.base.clock import parse_hhmm, to_london
from setguide.base.errors import DataError, UsageError
from setguide.base.facts import Val, facts_in, fill, join, keyed
from setguide.base.names import match
from setguide.forums import schedule as sched
from setguide.forums.cadence import cadence_words
from setguide.forums.meetings import add_command
from setguide.model.data import Data, cite, get, read_toml
from setguide.model.validate import Node
from setguide.places.resolve import resolve
from setguide.triage.questions import (  # noqa: F401 (the tree's types, where its users look)
    CHECKS,
    KINDS,
    NOT_SURE,
    OUTSIDE,
    TREE_FILE,
    Branch,
    Question,
    no_duplicates,
    question,
)

CODES = ("EMERGENCY", "POLICE-URGENT", "POLICE-WRITTEN", "CHILD-PROTECTION", "FORUM", "STRATEGIC", "OUTSIDE-SET")
NOWHERE = "none"
STRATEGIC_GROUP = "set-cse-strategic-group"
POLICE_CONTACT = "essex-police"
# setguide's own guidance: cited as "setguide", never with a protocol section.
SETGUIDE = "setguide"
# A step whose facts come from named public sources (a council's own page), not the protocol.
NAMED_SOURCE = "source"
# Facts computed from the answers, named by steps as `part`.
PARTS = (
    "authority-page",
    "area-spoc",
    "area-forums",
    "essex-mace",
    "unitary-forums",
    "outside-place",
    "strategic-group",
    "police-spoc",
    "front-door",
    "front-door-other",
)
ONLY = ("area", "no-area")
CTX_KEYS = ("holiday", "closes_in")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\.([a-z_]+)(?:\|([a-z]+))?\}")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PLAN_PARTS = ("now", "also", "then")


def cite_section(section: str) -> str:
    if section == NAMED_SOURCE:
        return "named source, not the protocol"
    return SETGUIDE if section == SETGUIDE else cite(section)


# --- the tree as typed data ----------------------------------------------------
# NamedTuples rather than dataclasses: these are defined on every start of triage,
# before its first question, and a NamedTuple costs a fifth as much to define.


class FieldRef(NamedTuple):
    label: str
    value: str | None  # "fact.key", or None for `text`
    join: str
    text: str | None = None  # words around {fact.field} placeholders


class StepDef(NamedTuple):
    id: str
    section: str
    text: str
    fields: tuple[FieldRef, ...]
    part: str | None
    only: str | None = None
    # setguide's own words beside the step (never cited with §): what the protocol
    # leaves unsaid, or how to use the tool, kept apart from what the protocol says.
    note: str | None = None
    flag: str | None = None  # the flag that gives what the note asks for ("--area PLACE")


class OutcomeDef(NamedTuple):
    id: str
    code: str
    title: str
    section: str
    timing: str | None
    now: tuple[str, ...]
    also: tuple[str, ...]
    then: tuple[str, ...]
    cautions: tuple[str, ...]
    offer: str | None = None

    @property
    def steps(self) -> tuple[str, ...]:
        return (*self.now, *self.also, *self.then)


class Tree:
    """The validated decision tree; compared by identity (one load, one object)."""

    def __init__(
        self,
        start: str,
        max_answers: int,
        nodes: dict[str, Question],
        outcomes: dict[str, OutcomeDef],
        steps: dict[str, StepDef],
        cautions: dict[str, StepDef],
    ) -> None:
        self.start = start
        self.max_answers = max_answers
        self.nodes = nodes
        self.outcomes = outcomes
        self.steps = steps
        self.cautions = cautions

    def flags(self) -> dict[str, str]:
        """Answer key -> the flag that gives it."""
        return {q.answer: q.flag for q in self.nodes.values() if q.asked}

    def paths(self) -> list[tuple[tuple[tuple[str, str], ...], str]]:
        """Every path from the start: ((node id, branch value), ...) and the outcome it ends in."""
        return self._walk(self.start)

    def _walk(self, start: str) -> list[tuple[tuple[tuple[str, str], ...], str]]:
        found: list[tuple[tuple[tuple[str, str], ...], str]] = []

        def walk(node_id: str, trail: tuple[tuple[str, str], ...]) -> None:
            if node_id in self.outcomes:
                found.append((trail, node_id))
                return
            for b in self.nodes[node_id].branches:
                walk(b.next, (*trail, (node_id, b.value)))

        walk(start, ())
        return found

    def _asked(self, trail: tuple[tuple[str, str], ...]) -> int:
        return sum(1 for node_id, _ in trail if self.nodes[node_id].asked)

    def offered_most(self, outcome_id: str) -> int:
        """The most answers a plan's offered questions can add."""
        offer = self.outcomes[outcome_id].offer
        return max((self._asked(t) for t, _ in self._walk(offer)), default=0) if offer else 0

    def answers_needed(self) -> dict[str, tuple[int, int]]:
        """Outcome id -> (fewest, most) answers a user gives to reach it, offered answers included in most."""
        counts: dict[str, list[int]] = {}
        for trail, outcome in self.paths():
            counts.setdefault(outcome, []).append(self._asked(trail))
        return {o: (min(c), max(c) + self.offered_most(o)) for o, c in counts.items()}


def load_tree(data: Data, raw: dict[str, Any] | None = None) -> Tree:
    """Read and validate tree.toml against the loaded facts; any fault is a DataError."""
    if raw is None:
        raw = read_toml(data.source_dir / TREE_FILE)
    doc = Node(TREE_FILE, "", raw)
    head = doc.table("tree")
    max_answers = head.get("max_answers", int)

    def section_of(n: Node) -> str:
        return n.one_of("section", [*data.sections, SETGUIDE, NAMED_SOURCE])

    steps = {s.id: s for s in (_step(n, data, section_of) for n in doc.tables("step"))}
    cautions = {s.id: s for s in (_step(n, data, section_of) for n in doc.tables("caution", optional=True))}
    no_duplicates(doc, "step", [n.str("id") for n in doc.tables("step")])
    no_duplicates(doc, "caution", [n.str("id") for n in doc.tables("caution", optional=True)])

    outcomes: dict[str, OutcomeDef] = {}
    for n in doc.tables("outcome"):
        oid = n.str("id")
        if oid in outcomes:
            raise n.error("id", f"duplicate id {oid!r}")
        lists = {}
        for key in PLAN_PARTS:
            lists[key] = n.strs(key, optional=key != "now")
            for i, s in enumerate(lists[key]):
                if s not in steps:
                    raise n.error(f"{key}[{i}]", f"unknown step {s!r}")
        if not lists["now"]:
            raise n.error("now", "is empty")
        caution_ids = n.strs("cautions", optional=True)
        for i, c in enumerate(caution_ids):
            if c not in cautions:
                raise n.error(f"cautions[{i}]", f"unknown caution {c!r}")
        outcomes[oid] = OutcomeDef(
            id=oid,
            code=n.one_of("code", CODES),
            title=n.str("title"),
            section=section_of(n),
            timing=n.str("timing", optional=True),
            now=lists["now"],
            also=lists["also"],
            then=lists["then"],
            cautions=caution_ids,
            offer=n.str("offer", optional=True),
        )

    nodes: dict[str, Question] = {}
    flags: dict[str, tuple[str, Node]] = {}
    for n in doc.tables("node"):
        qid = n.str("id")
        if qid in nodes or qid in outcomes:
            raise n.error("id", f"duplicate id {qid!r}")
        q = question(n, section_of, data)
        if q.answer is not None:
            if q.answer in flags and flags[q.answer][0] != q.flag:
                raise n.error("flag", f"answer {q.answer!r} is given by {flags[q.answer][0]!r} elsewhere")
            flags[q.answer] = (q.flag, n)
        nodes[qid] = q

    for o in outcomes.values():
        if o.offer is not None and (o.offer not in nodes or not nodes[o.offer].asked):
            raise DataError(TREE_FILE, f"outcome {o.id!r}", f"offer: not a question: {o.offer!r}")
    tree = Tree(head.str("start"), max_answers, nodes, outcomes, steps, cautions)
    _check_graph(tree, doc, head)
    return tree


def _step(n: Node, data: Data, section_of) -> StepDef:
    text = n.str("text")
    _check_placeholders(n, "text", text, data)
    refs = []
    for f in n.tables("fields", optional=True):
        label = f.str("label")
        _check_placeholders(f, "label", label, data)
        words = f.str("text", optional=True)
        if words is not None:
            _check_placeholders(f, "text", words, data)
            refs.append(FieldRef(label, None, "", words))
            continue
        value = f.str("value")
        fid, _, key = value.partition(".")
        if fid not in data.facts or key not in data.facts[fid].values:
            raise f.error("value", f"unknown fact {value!r}")
        refs.append(FieldRef(label, value, f.get("join", str, optional=True) or ", "))
    part = n.one_of("part", PARTS, optional=True)
    only = n.one_of("only", ONLY, optional=True)
    note = n.str("note", optional=True)
    if note is not None:
        _check_placeholders(n, "note", note, data)
    return StepDef(n.str("id"), section_of(n), text, tuple(refs), part, only, note, n.str("flag", optional=True))


def _check_placeholders(n: Node, key: str, text: str, data: Data) -> None:
    for m in PLACEHOLDER.finditer(text):
        fid, k, _ = m.groups()
        if fid == "ctx":
            if k not in CTX_KEYS:
                raise n.error(key, f"unknown placeholder {m.group(0)} (known: ctx.{', ctx.'.join(CTX_KEYS)})")
        elif fid not in data.facts or k not in data.facts[fid].values:
            raise n.error(key, f"unknown fact {m.group(0)}")
    if re.search(r"\{(?![a-z_]+\.[a-z_]+(\|[a-z]+)?\})", text):
        raise n.error(key, "a '{' that is not a {fact.field} placeholder")


def _check_graph(tree: Tree, doc: Node, head: Node) -> None:
    known = set(tree.nodes) | set(tree.outcomes)
    if tree.start not in tree.nodes:
        raise head.error("start", f"unknown node {tree.start!r}")
    for q in tree.nodes.values():
        for b in q.branches:
            if b.next not in known:
                raise DataError(TREE_FILE, f"node {q.id!r} branch {b.value!r}", f"next: unknown id {b.next!r}")
    # Every path must end in an outcome: a walk that comes back to a node never would.
    seen: set[str] = set()

    def visit(node_id: str, on_path: tuple[str, ...]) -> None:
        if node_id in on_path:
            raise DataError(TREE_FILE, f"node {node_id!r}", f"a loop: {' -> '.join((*on_path, node_id))}")
        seen.add(node_id)
        if node_id in tree.nodes:
            for b in tree.nodes[node_id].branches:
                visit(b.next, (*on_path, node_id))

    visit(tree.start, ())
    for unreachable in sorted(known - seen):
        raise DataError(
            TREE_FILE, f"{'node' if unreachable in tree.nodes else 'outcome'} {unreachable!r}", "unreachable"
        )
    for outcome, (_, most) in tree.answers_needed().items():
        if most > tree.max_answers:
            raise DataError(
                TREE_FILE, f"outcome {outcome!r}", f"needs {most} answers (max_answers is {tree.max_answers})"
            )


@cache
def tree_for(data: Data) -> Tree:
    return load_tree(data)


# --- the plan ------------------------------------------------------------------


class Item(NamedTuple):
    """An exact value: shown whole, never shortened. `value` carries its fact keys;
    `source` is the named public source it comes from, where not the protocol."""

    label: str
    value: str
    source: Any = None  # a model NamedSource


class Step(NamedTuple):
    text: str
    items: tuple[Item, ...]
    bullets: tuple[str, ...]
    section: str
    # What the Now line repeated at the end shows of this step: its exact values.
    repeat: tuple[Item, ...] = ()
    id: str = ""
    note: str | None = None  # setguide's own words beside the step
    # What to type at a terminal for what the step lacks, kept out of its words: whole
    # commands (to record a forum's date) and flags (to give the area).
    commands: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


class Outcome(NamedTuple):
    id: str
    code: str
    title: str
    timing: str | None
    at: datetime
    steps: tuple[Step, ...]  # now + also + then, in order
    cautions: tuple[str, ...]
    citations: tuple[str, ...]
    complement: str
    answers: tuple[tuple[str, str, str, str], ...]  # (answer key, question text, value, label)
    area: Any = None  # the places.Resolution, when an area was given
    theme: str | None = None
    now: tuple[Step, ...] = ()
    also: tuple[Step, ...] = ()
    then: tuple[Step, ...] = ()
    # The next optional question the plan offers (to fill in Also), once it is on screen.
    offer: Question | None = None
    authority: str | None = None  # the SET authority the plan is for: the area's, or where it touches


class Pending(NamedTuple):
    """The walk stopped at a question with no answer yet."""

    question: Question
    answered: tuple[tuple[str, str, str, str], ...] = ()


def next_step(
    answers: dict[str, Any],
    now: datetime,
    data: Data | None = None,
    tree: Tree | None = None,
    schedules: dict[str, Any] | None = None,
    timeless: bool = False,
) -> Outcome | Pending:
    """Walk the tree as far as `answers` go: the plan, or the first unanswered question.
    `schedules` (forum id -> forums.schedule.Schedule) dates the forums a plan names.
    `timeless`: for a reader at another moment (a desk card), without the words true only
    at `now` (the minutes left, the bank holiday's name)."""
    data = data or get()
    tree = tree or tree_for(data)
    now = to_london(now)
    area = _area(answers.get("area"), data)
    given: list[tuple[str, str, str, str]] = []
    ctx: dict[str, str] = {}
    end = _walk(tree, tree.start, answers, area, data, now, given, ctx)
    if isinstance(end, Question):
        return Pending(end, tuple(given))
    o = tree.outcomes[end]
    offer = None
    if o.offer is not None:
        stop = _walk(tree, o.offer, answers, area, data, now, given, ctx)
        offer = stop if isinstance(stop, Question) else None
    if timeless:
        ctx = {k: v for k, v in ctx.items() if k not in CTX_KEYS}
    touches = answers.get("touches")
    authority = area.authority if area is not None and area.authority else None
    if authority is None and touches in data.authorities:
        authority = touches
    theme = answers.get("theme")
    plan = _build(o, tree, data, now, area, authority, theme, ctx, tuple(given), schedules, offer, touches, timeless)
    return _chosen_by_hours(plan) if HOURS_CHECKED in ctx else plan


# The facts the hours check reads to choose a plan: a local correction of any of them can
# change the plan itself (the line closed on a Friday), so the plan it chose carries their
# keys on its first step, and the trust pass marks the correction there.
HOURS_CHECKED = "_hours_checked"
HOURS_FACTS = tuple(f"facts.triage_line.{k}" for k in ("days", "opens", "closes"))


def _chosen_by_hours(plan: Outcome) -> Outcome:
    if not plan.now:
        return plan
    first = plan.now[0]
    marked = first._replace(text=keyed(first.text, *facts_in(first.text), *HOURS_FACTS))
    steps = tuple(marked if s is first else s for s in plan.steps)
    return plan._replace(now=(marked, *plan.now[1:]), steps=steps)


def _walk(tree: Tree, node_id: str, answers, area, data: Data, now: datetime, given: list, ctx: dict) -> Any:
    """From `node_id` to an outcome id, or the first question with no answer."""
    while node_id in tree.nodes:
        q = tree.nodes[node_id]
        if q.kind == "check":
            value, found = check_hours(now, data, q.closing_minutes)
            ctx.update(found)
            ctx[HOURS_CHECKED] = value
        elif q.kind == "place":
            if area is None:
                return q
            value = area.authority or OUTSIDE
            given.append((q.answer, q.text, area.name, area.name))
        else:
            raw = answers.get(q.answer)
            if raw is None:
                return q
            value = _answer_value(q, raw)
            given.append((q.answer, q.text, value, q.branch(value).label))
        node_id = q.branch(value).next
    return node_id


def route(
    answers: dict[str, Any],
    now: datetime,
    data: Data | None = None,
    tree: Tree | None = None,
    schedules: dict[str, Any] | None = None,
    timeless: bool = False,
) -> Outcome:
    """The plan for `answers` at `now`; a question left unanswered is a UsageError naming its flag.
    Offered questions are optional: left unanswered, the plan stands as it is."""
    step = next_step(answers, now, data, tree, schedules, timeless)
    if isinstance(step, Pending):
        raise missing(step.question)
    return step


def missing(q: Question) -> UsageError:
    return UsageError(f"missing answer: {q.flag} ({q.text})", f"give {q.flag} {_flag_hint(q)}")


def _flag_hint(q: Question) -> str:
    if q.kind == "yesno":
        return "(one of the two)"
    if q.kind == "place":
        return "PLACE, e.g. --area Harlow, --area Southend, --area 'outside SET'"
    return "with one of: " + ", ".join(b.value for b in q.branches)


def _answer_value(q: Question, raw: Any) -> str:
    if q.kind == "yesno":
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        if str(raw).lower() in ("yes", "no"):
            return str(raw).lower()
    return match(q.answer, str(raw), {b.value: [b.label] for b in q.branches})


def _area(raw: Any, data: Data):
    if raw is None or not isinstance(raw, str):
        return raw
    return resolve(data, raw)


# --- UK time: the triage line's hours --------------------------------------------


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


def bank_holiday(day: date) -> str | None:
    """The name of the England bank holiday on `day`, if it is one."""
    return _holidays(day.year).get(day)


@cache
def _holidays(year: int):
    import holidays  # imported lazily: only the urgent route in hours needs it

    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def _hhmm(text: str) -> int:
    t = parse_hhmm(text)
    return t.hour * 60 + t.minute


def _minutes_words(left: float) -> str:
    whole = max(1, int(left + 0.999))
    return f"in {whole} minute{'s' if whole != 1 else ''}"


# --- building the plan -------------------------------------------------------------


def _fill(text: str, data: Data, ctx: dict[str, str]) -> Val:
    """The text with its placeholders filled, carrying the key of every fact put in."""
    keys: list[str] = []

    def one(m: re.Match) -> str:
        fid, key, word = m.groups()
        if fid == "ctx":
            return ctx.get(key, "")
        value = data.facts[fid][key]
        if isinstance(value, (list, tuple)):
            value = join(f" {word} " if word else ", ", value)
        keys.extend(getattr(value, "facts", ()) or (f"facts.{fid}.{key}",))
        return str(value)

    filled = PLACEHOLDER.sub(one, text)
    return Val(filled, tuple(dict.fromkeys(keys)))


def _fact(ref: str, data: Data, sep: str) -> Val:
    fid, _, key = ref.partition(".")
    value = data.facts[fid][key]
    if isinstance(value, (list, tuple)):
        value = join(sep, value)
    return value if getattr(value, "facts", ()) else Val(str(value), (f"facts.{ref}",))


class _Part(NamedTuple):
    text: str = ""
    items: tuple[Item, ...] = ()
    bullets: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    repeat: tuple[Item, ...] | None = None  # None: the items
    note: str | None = None  # setguide's own words, shown beside the step's
    commands: tuple[str, ...] = ()  # as Step.commands
    flags: tuple[str, ...] = ()


class _Ctx(NamedTuple):
    data: Data
    area: Any
    authority: str | None
    theme: str | None
    touches: str | None
    schedules: dict[str, Any] | None
    now: datetime
    timeless: bool = False  # as next_step's


def _build(o: OutcomeDef, tree: Tree, data: Data, now: datetime, area, authority, theme, ctx, given, schedules, offer,
           touches, timeless=False) -> Outcome:  # fmt: skip
    c = _Ctx(data, area, authority, theme, touches, schedules, now, timeless)
    citations: list[str] = [cite_section(o.section)]
    plan: dict[str, list[Step]] = {}
    for key in PLAN_PARTS:
        plan[key] = []
        for sid in getattr(o, key):
            s = tree.steps[sid]
            if (s.only == "area" and area is None) or (s.only == "no-area" and area is not None):
                continue
            items = _beside_procedures(tuple(_field(f, data, ctx) for f in s.fields), data)
            text = _fill(s.text, data, ctx)
            bullets: tuple[str, ...] = ()
            repeat: tuple[Item, ...] | None = None
            note = None if s.note is None else _fill(s.note, data, ctx)
            commands: tuple[str, ...] = ()
            flags: tuple[str, ...] = (s.flag,) if s.flag else ()
            sections = [s.section]
            if s.part:
                extra = _part(s.part, c)
                if extra is None:
                    continue
                text = fill("{} {}", text, extra.text) if extra.text else text
                items += extra.items
                bullets = extra.bullets
                sections += extra.sections
                note = join(" ", (n for n in (extra.note, note) if n)) or None
                commands, flags = extra.commands, (*flags, *extra.flags)
                repeat = (
                    None if extra.repeat is None else tuple(i for i in items if i not in extra.items) + extra.repeat
                )
            shown = items if repeat is None else repeat
            plan[key].append(Step(text, items, bullets, s.section, shown, s.id, note, commands, flags))
            for sec in sections:
                if cite_section(sec) not in citations:
                    citations.append(cite_section(sec))
    cautions = tuple(_fill(tree.cautions[x].text, data, ctx) for x in o.cautions)
    for x in o.cautions:
        if cite_section(tree.cautions[x].section) not in citations:
            citations.append(cite_section(tree.cautions[x].section))
    proc = data.facts["procedures"]
    if cite(proc.section) not in citations:
        citations.append(cite(proc.section))
    return Outcome(
        id=o.id,
        code=o.code,
        title=o.title,
        timing=o.timing,
        at=now,
        steps=(*plan["now"], *plan["also"], *plan["then"]),
        cautions=cautions,
        citations=tuple(citations),
        complement=proc["complement"],
        answers=given,
        area=area,
        theme=theme,
        now=tuple(plan["now"]),
        also=tuple(plan["also"]),
        then=tuple(plan["then"]),
        offer=offer,
        authority=authority,
    )


def _beside_procedures(items: tuple[Item, ...], data: Data) -> tuple[Item, ...]:
    """Beside the protocol's link to the SET Child Protection Procedures (October 2019),
    where the current ones are, from a named source (design: "The front door")."""
    current = data.current_procedures
    if current is None or not any("facts.procedures.url" in facts_in(i.value) for i in items):
        return items
    found: list[Item] = []
    for i in items:
        found.append(i)
        if "facts.procedures.url" in facts_in(i.value):
            label = fill("Current procedures ({})", current.edition)
            found.append(Item(label, current.url, data.sources[current.source]))
    return tuple(found)


def _field(f: FieldRef, data: Data, ctx: dict[str, str]) -> Item:
    label = _fill(f.label, data, ctx)
    if f.text is not None:
        return Item(label, _fill(f.text, data, ctx))
    return Item(label, _fact(f.value, data, f.join))


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


def _part(part: str, c: _Ctx) -> _Part | None:
    """What a step shows that the answers decide; None leaves the step out."""
    data, authority = c.data, c.authority
    if part == "authority-page":
        if authority is None:
            return None
        a = data.authorities[authority]
        return _Part(items=(Item(fill("{} child protection", a.name), a.child_protection_page),), sections=(a.section,))
    if part in ("front-door", "front-door-other"):
        door = data.front_doors.get(authority) if authority else None
        if door is None:
            return None
        return _front_door(door, c, other=part == "front-door-other")
    if part == "area-spoc":
        if authority is None:
            return None
        a = data.authorities[authority]
        return _Part(items=_spoc_items(data, a.contact, fill("{} SPOC", a.name), a.contact), sections=("spoc",))
    if part == "police-spoc":
        return _Part(items=_spoc_items(data, POLICE_CONTACT, "SPOC table, Essex Police entry"), sections=("spoc",))
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
        return _Part(note=f"{c.area.name} is in {where}{source}." if where else None)
    if part == "strategic-group":
        g = data.forums[STRATEGIC_GROUP]
        return _Part(bullets=(fill("{}.", g.chair), fill("Attended by: {}.", g.attendees)), sections=(g.section,))
    raise AssertionError(f"part {part!r} is validated at load")


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
    if holiday and is_open:
        return None, (
            f"today is a bank holiday{name} and the source does not say whether the office is open, "
            "so both numbers are shown:"
        )
    return is_open, ""


def _front_door(door: Any, c: _Ctx, other: bool) -> _Part | None:
    """The number to phone about a child at this moment, from the council's own page: in
    office hours its front door, outside them its out-of-hours number; both, labelled,
    where the source states no hours. `other`: the one not chosen now (for Then)."""
    data = c.data
    src = {f: data.sources[s] for f, s in door.sources.items()}
    office = (
        Item(fill("{} (office hours)", door.name), door.office_phone, src["office_phone"]),
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
    moved = (Item("The protocol's page has moved to", door.moved_to, src["moved_to"]),) if door.moved_to else ()
    how = (fill("How professionals refer, in the source's words: {}", door.refer),) if door.refer else ()
    is_open, why = office_open(door, c.now, named=not c.timeless)
    # What chose the number is a fact too: a corrected hours, weekend or bank-holiday rule is marked here.
    decided = tuple(f"frontdoors.{door.id}.{f}" for f in ("hours", "closed_days", "bank_holidays") if f in door.sources)
    why = keyed(why, *decided) if why else why
    reading = door.hours_reading if door.hours else None
    if is_open is None:
        if other:
            return None
        return _Part(why, (*office, *out, *refer, *moved), how, repeat=(office[0], out[0]))
    if other:
        if is_open:
            return _Part(keyed("out of office hours, its out-of-hours service:", *decided), out, note=reading)
        return _Part(keyed("in office hours, its front door:", *decided), (*office, *refer), how, note=reading)
    if is_open:
        text = keyed("phone it now, in office hours:", *decided)
        return _Part(text, (*office, *refer, *moved), how, repeat=(office[0],), note=reading)
    text = why or keyed("phone now, out of office hours, its out-of-hours service:", *decided)
    return _Part(text, (*out, *moved), repeat=(out[0],), note=reading)


def _outside_words(c: _Ctx) -> _Part:
    # "outside SET" itself names no place: say so without repeating it ("outside SET is outside SET").
    named = c.area is not None and c.area.outside_where is not None
    where = f"{c.area.name} is outside SET" if named else "The concern is outside SET"
    if c.touches == NOWHERE:
        return _Part(
            text=f"({where}, and it touches no SET area.)",
            sections=("purpose",),
            note="This tool holds no contacts for areas outside Southend, Essex and Thurrock.",
        )
    return _Part(
        text=f"({where}.)",
        sections=("purpose",),
        note="give the SET area the concern touches.",
        flags=("--touches essex|southend|thurrock",),
    )


def _essex_mace(c: _Ctx) -> _Part:
    data, area = c.data, c.area
    if area is None or area.quadrant is None:
        quads = list(data.quadrants.values())
        items = tuple(Item(q.name, q.text) for q in quads)
        # No quadrant known: what each Part is for, with no one quadrant's dates or commands.
        bullets = tuple(
            _what_for(f, f.base_name, c, when="dates by quadrant") for f in data.forums_of("essex", quads[0].id)
        )
        forums = Item("Forums", Val("Essex MACE Part 1 and Part 2 of the district's quadrant"))
        return _Part(
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
    return _Part(
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


def _unitary(c: _Ctx) -> _Part:
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
    return _Part(
        text, (), bullets, tuple(dict.fromkeys(f.section for f in picked)), repeat, None, _add_commands(picked, c)
    )


def _what_for(f: Any, name: str, c: _Ctx, when: str | None = None) -> Val:
    """A forum in one line: its name, how often, when it next meets (or `when`), and its first
    two purposes (the second often carries what the first leaves out, as MASE's sexual exploitation)."""
    purposes = join("; ", [keyed(p.rstrip("."), *getattr(p, "facts", ())) for p in f.purpose[:2]])
    cadence = cadence_words(f)
    return fill("{} ({}; {}): {}.", name, cadence, when or _meets(f, c), purposes)


def _meets(f: Any, c: _Ctx) -> str:
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


def _next_meeting(f: Any, c: _Ctx) -> Any:
    s = (c.schedules or {}).get(f.id)
    found = sched.next_meetings([s], c.now, days=400) if s is not None else []
    return found[0] if found else None


def _add_commands(forums: list[Any], c: _Ctx) -> tuple[str, ...]:
    """The command that records a date, for each forum shown with none known."""
    return tuple(add_command(f.id) for f in forums if _next_meeting(f, c) is None)
