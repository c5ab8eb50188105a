"""The triage core: the decision tree of `data/tree.toml`, validated at load, and
`route(answers, now)`, which walks it to a plan (`Outcome`): Now, Also, Then.
Pure: data, answers and a moment in, a plan out; no clock, no prompts, no files.

The same walk serves the wizard: `next_step` returns either the plan or the first
question still unanswered, so a plan is known the moment it is decided; a plan
may then offer further, optional questions (`Outcome.offer`) that fill in Also.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from setguide.base import phone
from setguide.base.clock import to_london
from setguide.base.errors import DataError, UsageError
from setguide.base.facts import Val, facts_in, fill, join, keyed
from setguide.base.names import match
from setguide.base.text import shell_arg
from setguide.model.data import Data, cite, get, read_toml
from setguide.model.validate import Node
from setguide.places.resolve import resolve
from setguide.triage.hours import DAY_NAMES, bank_holiday, check_hours, office_open  # noqa: F401 (where users look)
from setguide.triage.parts import NOWHERE, Ctx, Item, Part, decided_by, part  # noqa: F401 (Item: where users look)
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
    "front-doors-all",
)
# `only`: a step shown only when an area is given or not; or when a SET authority is known
# (the area's, or where an outside area touches) or not (and the concern does touch SET);
# "set": unless the concern touches nowhere in SET (--touches none), where no SET route applies.
ONLY = ("area", "no-area", "authority", "no-authority", "set")
# What an outcome's title may be computed from: the action, number first (design §1).
TITLE_PARTS = ("front-door", "area-spoc")
CTX_KEYS = ("holiday", "closes_in")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\.([a-z_]+)(?:\|([a-z]+))?\}")
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
    title_part: str | None = None  # the title computed from the answers and the moment, where known
    title_sections: tuple[str, ...] = ()  # what the title cites, where more than `section`
    # Reached through another plan's offered question, this plan stands in that plan's
    # place: no route of the plan that offered it applies (a concern nowhere in SET).
    replaces: bool = False

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

    def replaced_by(self, outcome_id: str) -> tuple[str, ...]:
        """The plans an answer to this plan's offered questions puts in its place (`replaces`)."""
        offer = self.outcomes[outcome_id].offer
        found = {o for _, o in self._walk(offer)} if offer else set()
        return tuple(sorted(o for o in found if self.outcomes[o].replaces))

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

    outcomes = _outcomes(doc, data, steps, cautions, section_of)

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


def _outcomes(doc: Node, data: Data, steps: dict, cautions: dict, section_of) -> dict[str, OutcomeDef]:
    """The plans, each naming known steps and cautions."""
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
            title_part=n.one_of("title_part", TITLE_PARTS, optional=True),
            title_sections=_sections(n, "title_sections", [*data.sections, SETGUIDE]),
            replaces=bool(n.get("replaces", bool, optional=True)),
        )
    return outcomes


def _sections(n: Node, key: str, allowed: list[str]) -> tuple[str, ...]:
    found = n.strs(key, optional=True)
    for i, v in enumerate(found):
        if v not in allowed:
            raise n.error(f"{key}[{i}]", f"unknown id {v!r} (known: {', '.join(sorted(allowed))})")
    return tuple(found)


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
    for o in tree.outcomes.values():  # a question a plan offers is reached from that plan
        if o.offer is not None:
            visit(o.offer, ())
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
    touches: str | None = None  # where in SET an outside concern touches ("none": nowhere)


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
        if offer is None and tree.outcomes[stop].replaces:
            o = tree.outcomes[stop]  # no route of the offering plan applies: this one stands instead
            ctx.pop(HOURS_CHECKED, None)
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
        return f"PLACE, e.g. --area Harlow, --area Southend, --area {shell_arg('outside SET')}"
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


def _build(o: OutcomeDef, tree: Tree, data: Data, now: datetime, area, authority, theme, ctx, given, schedules, offer,
           touches, timeless=False) -> Outcome:  # fmt: skip
    c = Ctx(data, area, authority, theme, touches, schedules, now, timeless)
    citations: list[str] = list(dict.fromkeys(cite_section(x) for x in (o.title_sections or (o.section,))))
    plan: dict[str, list[Step]] = {}
    for key in PLAN_PARTS:
        plan[key] = []
        for sid in getattr(o, key):
            made = _plan_step(tree.steps[sid], c, ctx)
            if made is None:
                continue
            step, sections = made
            plan[key].append(step)
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
        title=_title(o, c),
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
        touches=touches,
    )


def _plan_step(s: StepDef, c: Ctx, ctx: dict) -> tuple[Step, list[str]] | None:
    """A step of the plan as these answers make it, with the sections it cites; None
    where it does not belong (its `only`, or a part with nothing to add)."""
    data = c.data
    if not _shown(s.only, c):
        return None
    items = _beside_procedures(tuple(_field(f, data, ctx) for f in s.fields), data)
    text = _fill(s.text, data, ctx)
    bullets: tuple[str, ...] = ()
    repeat: tuple[Item, ...] | None = None
    note = None if s.note is None else _fill(s.note, data, ctx)
    commands: tuple[str, ...] = ()
    flags: tuple[str, ...] = (s.flag,) if s.flag else ()
    sections = [s.section]
    if s.part:
        extra = part(s.part, c)
        if extra is None:
            return None
        text = fill("{} {}", text, extra.text) if extra.text else text
        items += extra.items
        bullets = extra.bullets
        sections += extra.sections
        note = join(" ", (n for n in (extra.note, note) if n)) or None
        commands, flags = extra.commands, (*flags, *extra.flags)
        repeat = None if extra.repeat is None else tuple(i for i in items if i not in extra.items) + extra.repeat
    shown = items if repeat is None else repeat
    return Step(text, items, bullets, s.section, shown, s.id, note, commands, flags), sections


def _shown(only: str | None, c: Ctx) -> bool:
    """Whether a step with this `only` belongs on the plan for these answers."""
    if only == "area":
        return c.area is not None
    if only == "no-area":
        return c.area is None
    if only == "authority":
        return c.authority is not None
    if only == "no-authority":  # a concern that touches nowhere in SET has no SET front door
        return c.authority is None and c.touches != NOWHERE
    if only == "set":
        return c.touches != NOWHERE
    return True


def _title(o: OutcomeDef, c: Ctx) -> str:
    """The plan's title: what to do, number first, where the answers and the moment decide it
    ("Phone the Children and Families Hub: 0345 603 7627"); else the tree's own words."""
    data, authority = c.data, c.authority
    if authority is None or o.title_part is None:
        return o.title
    if o.title_part == "area-spoc":
        a = data.authorities[authority]
        who = data.contacts[a.contact]
        numbers = [value for _, value in phone.labelled(who.phone_text, as_written=False)]
        return fill("Contact the {} SPOC: {}{}", a.name, who.email, fill(", {}", numbers[0]) if numbers else "")
    door = data.front_doors.get(authority)
    if door is None:
        return o.title
    is_open, _ = office_open(door, c.now)
    out_name = door.out_of_hours_name or "the out-of-hours service"
    if is_open:
        title = fill("Phone the {}: {}", door.name, door.office_phone)
    elif is_open is False:
        title = fill("Phone {}: {}", _the(out_name), door.out_of_hours_phone)
    else:
        title = fill("Phone the {}: {}, or out of hours {}", door.name, door.office_phone, door.out_of_hours_phone)
    return keyed(title, *facts_in(title), *decided_by(door))  # the rule that chose the number is marked too


def _the(name: str) -> str:
    """'the Emergency duty team', but 'Thurrock Emergency Duty Team (EDT)' as it stands."""
    return name if name.startswith(("the ", "Southend", "Essex", "Thurrock")) else fill("the {}", name)


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
