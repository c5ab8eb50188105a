"""The triage core: the decision tree of `data/tree.toml`, validated at load, and
`route(answers, now)`, which walks it to an `Outcome`. Pure: data, answers and a
moment in, an outcome out; no clock, no prompts, no printing.

The same walk serves the wizard: `next_step` returns either the outcome or the
first question still unanswered, so an outcome is known the moment it is decided.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from setguide.base.clock import to_london
from setguide.base.errors import DataError, UsageError
from setguide.model.data import Data, Node, cite, get, read_toml

TREE_FILE = "tree.toml"
KINDS = ("yesno", "choice", "place", "check")
CODES = ("EMERGENCY", "POLICE-URGENT", "POLICE-WRITTEN", "CHILD-PROTECTION", "FORUM", "STRATEGIC")
OUTSIDE = "outside"
NOT_SURE = "not-sure"
STRATEGIC_GROUP = "set-cse-strategic-group"
# Computed checks and the results each can give; the tree must branch on exactly these.
CHECKS = {"triage-hours": ("in-hours", "closing-soon", "bank-holiday", "out-of-hours")}
# Facts computed from the answers, named by steps as `part`.
PARTS = (
    "authority-pages",
    "area-spoc",
    "all-spocs",
    "essex-mace",
    "unitary-forums",
    "outside-place",
    "strategic-group",
)
CTX_KEYS = ("holiday", "closes_in")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\.([a-z_]+)(?:\|([a-z]+))?\}")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- the tree as typed data ----------------------------------------------------
# NamedTuples rather than dataclasses: these are defined on every start of triage,
# before its first question, and a NamedTuple costs a fifth as much to define.


class Branch(NamedTuple):
    value: str
    label: str
    next: str


class Question(NamedTuple):
    """A node of the tree: asked (yesno, choice, place) or computed (check)."""

    id: str
    kind: str
    answer: str | None
    flag: str | None
    text: str
    section: str
    branches: tuple[Branch, ...]
    check: str | None = None
    closing_minutes: int = 0

    def branch(self, value: str) -> Branch:
        return next(b for b in self.branches if b.value == value)

    @property
    def asked(self) -> bool:
        return self.kind != "check"


class FieldRef(NamedTuple):
    label: str
    value: str  # "fact.key"
    join: str


class StepDef(NamedTuple):
    id: str
    section: str
    text: str
    fields: tuple[FieldRef, ...]
    part: str | None


class OutcomeDef(NamedTuple):
    id: str
    code: str
    title: str
    section: str
    timing: str | None
    steps: tuple[str, ...]
    cautions: tuple[str, ...]


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
        found: list[tuple[tuple[tuple[str, str], ...], str]] = []

        def walk(node_id: str, trail: tuple[tuple[str, str], ...]) -> None:
            if node_id in self.outcomes:
                found.append((trail, node_id))
                return
            for b in self.nodes[node_id].branches:
                walk(b.next, (*trail, (node_id, b.value)))

        walk(self.start, ())
        return found

    def answers_needed(self) -> dict[str, tuple[int, int]]:
        """Outcome id -> (fewest, most) answers a user gives to reach it."""
        counts: dict[str, list[int]] = {}
        for trail, outcome in self.paths():
            n = sum(1 for node_id, _ in trail if self.nodes[node_id].asked)
            counts.setdefault(outcome, []).append(n)
        return {o: (min(c), max(c)) for o, c in counts.items()}


def load_tree(data: Data, raw: dict[str, Any] | None = None) -> Tree:
    """Read and validate tree.toml against the loaded facts; any fault is a DataError."""
    if raw is None:
        raw = read_toml(data.source_dir / TREE_FILE)
    doc = Node(TREE_FILE, "", raw)
    head = doc.table("tree")
    max_answers = head.get("max_answers", int)

    def section_of(n: Node) -> str:
        return n.one_of("section", data.sections)

    steps = {s.id: s for s in (_step(n, data, section_of) for n in doc.tables("step"))}
    cautions = {s.id: s for s in (_step(n, data, section_of) for n in doc.tables("caution", optional=True))}
    _no_duplicates(doc, "step", [n.str("id") for n in doc.tables("step")])
    _no_duplicates(doc, "caution", [n.str("id") for n in doc.tables("caution", optional=True)])

    outcomes: dict[str, OutcomeDef] = {}
    for n in doc.tables("outcome"):
        oid = n.str("id")
        if oid in outcomes:
            raise n.error("id", f"duplicate id {oid!r}")
        step_ids = n.strs("steps")
        if not step_ids:
            raise n.error("steps", "is empty")
        for i, s in enumerate(step_ids):
            if s not in steps:
                raise n.error(f"steps[{i}]", f"unknown step {s!r}")
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
            steps=step_ids,
            cautions=caution_ids,
        )

    nodes: dict[str, Question] = {}
    flags: dict[str, tuple[str, Node]] = {}
    for n in doc.tables("node"):
        qid = n.str("id")
        if qid in nodes or qid in outcomes:
            raise n.error("id", f"duplicate id {qid!r}")
        kind = n.one_of("kind", KINDS)
        check = n.one_of("check", CHECKS) if kind == "check" else None
        answer = None if kind == "check" else n.str("answer")
        flag = None if kind == "check" else n.str("flag")
        if answer is not None:
            if answer in flags and flags[answer][0] != flag:
                raise n.error("flag", f"answer {answer!r} is given by {flags[answer][0]!r} elsewhere")
            flags[answer] = (flag, n)
        branches = []
        for b in n.tables("branch"):
            value = b.str("value")
            if answer == "theme" and value not in data.themes and value != NOT_SURE:
                raise b.error("value", f"unknown theme {value!r} (known: {', '.join([*data.themes, NOT_SURE])})")
            label = b.str("label", optional=True) or _default_label(kind, value, data, b)
            branches.append(Branch(value, label, b.str("next")))
        _no_duplicates(n, "branch", [b.value for b in branches])
        _check_branch_values(n, kind, check, [b.value for b in branches], data)
        closing = n.get("closing_minutes", int) if check == "triage-hours" else 0
        nodes[qid] = Question(qid, kind, answer, flag, n.str("text"), section_of(n), tuple(branches), check, closing)

    tree = Tree(head.str("start"), max_answers, nodes, outcomes, steps, cautions)
    _check_graph(tree, doc, head)
    return tree


def _step(n: Node, data: Data, section_of) -> StepDef:
    text = n.str("text")
    _check_placeholders(n, "text", text, data)
    refs = []
    for f in n.tables("fields", optional=True):
        value = f.str("value")
        fid, _, key = value.partition(".")
        if fid not in data.facts or key not in data.facts[fid].values:
            raise f.error("value", f"unknown fact {value!r}")
        label = f.str("label")
        _check_placeholders(f, "label", label, data)
        refs.append(FieldRef(label, value, f.get("join", str, optional=True) or ", "))
    part = n.one_of("part", PARTS, optional=True)
    return StepDef(n.str("id"), section_of(n), text, tuple(refs), part)


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


def _default_label(kind: str, value: str, data: Data, b: Node) -> str:
    if kind == "yesno":
        return value.capitalize()
    if kind == "place":
        return data.authorities[value].name if value in data.authorities else "Outside SET"
    if value in data.themes:
        return f"{data.themes[value].label} ({data.themes[value].description})"
    raise b.error("label", "missing")


def _check_branch_values(n: Node, kind: str, check: str | None, values: list[str], data: Data) -> None:
    expected: tuple[str, ...] | None = {
        "yesno": ("yes", "no"),
        "place": (*data.authorities, OUTSIDE),
        "check": CHECKS.get(check or "", ()),
    }.get(kind)
    if expected is not None and sorted(values) != sorted(expected):
        raise n.error("branch", f"must branch on exactly: {', '.join(expected)} (found: {', '.join(values)})")
    if not values:
        raise n.error("branch", "is empty")
    if kind == "choice" and n.raw.get("answer") == "theme":
        for i, v in enumerate(values):
            if v not in data.themes and v != NOT_SURE:
                raise n.error(
                    f"branch[{i}].value", f"unknown theme {v!r} (known: {', '.join([*data.themes, NOT_SURE])})"
                )


def _no_duplicates(n: Node, key: str, values: list[str]) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise n.error(key, f"duplicate {v!r}")
        seen.add(v)


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


# --- the outcome ---------------------------------------------------------------


class Item(NamedTuple):
    """An exact value: shown whole, never shortened."""

    label: str
    value: str


class Step(NamedTuple):
    text: str
    items: tuple[Item, ...]
    bullets: tuple[str, ...]
    section: str


class Outcome(NamedTuple):
    id: str
    code: str
    title: str
    timing: str | None
    at: datetime
    steps: tuple[Step, ...]
    cautions: tuple[str, ...]
    citations: tuple[str, ...]
    complement: str
    answers: tuple[tuple[str, str, str, str], ...]  # (answer key, question text, value, label)
    area: Any = None  # the places.Resolution, when an area was given
    theme: str | None = None


class Pending(NamedTuple):
    """The walk stopped at a question with no answer yet."""

    question: Question
    answered: tuple[tuple[str, str, str, str], ...] = ()


def next_step(
    answers: dict[str, Any], now: datetime, data: Data | None = None, tree: Tree | None = None
) -> Outcome | Pending:
    """Walk the tree as far as `answers` go: the outcome, or the first unanswered question."""
    data = data or get()
    tree = tree or tree_for(data)
    now = to_london(now)
    area = _area(answers.get("area"), data)
    node_id = tree.start
    given: list[tuple[str, str, str, str]] = []
    ctx: dict[str, str] = {}
    while node_id in tree.nodes:
        q = tree.nodes[node_id]
        if q.kind == "check":
            value, ctx = check_hours(now, data, q.closing_minutes)
        elif q.kind == "place":
            if area is None:
                return Pending(q, tuple(given))
            value = area.authority or OUTSIDE
            given.append((q.answer, q.text, area.name, area.name))
        else:
            raw = answers.get(q.answer)
            if raw is None:
                return Pending(q, tuple(given))
            value = _answer_value(q, raw)
            given.append((q.answer, q.text, value, q.branch(value).label))
        node_id = q.branch(value).next
    theme = answers.get("theme")
    return _build(tree.outcomes[node_id], tree, data, now, area, theme, ctx, tuple(given))


def route(answers: dict[str, Any], now: datetime, data: Data | None = None, tree: Tree | None = None) -> Outcome:
    """The outcome for `answers` at `now`; a question left unanswered is a UsageError naming its flag."""
    step = next_step(answers, now, data, tree)
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
    from setguide.base.names import match

    return match(q.answer, str(raw), {b.value: [b.label] for b in q.branches})


def _area(raw: Any, data: Data):
    if raw is None or not isinstance(raw, str):
        return raw
    from setguide.places.resolve import resolve

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
    ctx = {"closes_in": _minutes_words(left)}
    if holiday:
        return "bank-holiday", {**ctx, "holiday": holiday}
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
    hh, mm = text.split(":")
    return int(hh) * 60 + int(mm)


def _minutes_words(left: float) -> str:
    whole = max(1, int(left + 0.999))
    return f"in {whole} minute{'s' if whole != 1 else ''}"


# --- building the outcome ------------------------------------------------------------


def _fill(text: str, data: Data, ctx: dict[str, str]) -> str:
    def one(m: re.Match) -> str:
        fid, key, word = m.groups()
        if fid == "ctx":
            return ctx.get(key, "")
        value = data.facts[fid][key]
        if isinstance(value, (list, tuple)):
            return f" {word} ".join(value) if word else ", ".join(value)
        return value

    return PLACEHOLDER.sub(one, text)


def _fact(ref: str, data: Data, join: str) -> str:
    fid, _, key = ref.partition(".")
    value = data.facts[fid][key]
    return join.join(value) if isinstance(value, (list, tuple)) else value


def _build(o: OutcomeDef, tree: Tree, data: Data, now: datetime, area, theme, ctx, given) -> Outcome:
    steps: list[Step] = []
    citations: list[str] = [cite(o.section)]
    for sid in o.steps:
        s = tree.steps[sid]
        items = tuple(Item(_fill(f.label, data, ctx), _fact(f.value, data, f.join)) for f in s.fields)
        bullets: tuple[str, ...] = ()
        text = _fill(s.text, data, ctx)
        sections = [s.section]
        if s.part:
            extra_text, extra_items, bullets, extra_sections = _part(s.part, data, area, theme)
            text = f"{text} {extra_text}".strip() if extra_text else text
            items += extra_items
            sections += extra_sections
        steps.append(Step(text, items, bullets, s.section))
        for sec in sections:
            if cite(sec) not in citations:
                citations.append(cite(sec))
    cautions = tuple(_fill(tree.cautions[c].text, data, ctx) for c in o.cautions)
    proc = data.facts["procedures"]
    if cite(proc.section) not in citations:
        citations.append(cite(proc.section))
    return Outcome(
        id=o.id,
        code=o.code,
        title=o.title,
        timing=o.timing,
        at=now,
        steps=tuple(steps),
        cautions=cautions,
        citations=tuple(citations),
        complement=proc["complement"],
        answers=given,
        area=area,
        theme=theme,
    )


def _inside(area) -> bool:
    return area is not None and area.authority is not None


def _spoc_items(data: Data, authority_id: str) -> tuple[Item, ...]:
    a = data.authorities[authority_id]
    c = data.contacts[a.contact]
    return (
        Item(f"{a.name} SPOC", f"{c.display_name} – {c.role}"),
        Item("Email", c.email),
        Item("Phone", c.phone_text),
    )


def _part(part: str, data: Data, area, theme) -> tuple[str, tuple[Item, ...], tuple[str, ...], list[str]]:
    """(extra text, exact items, bullets, sections cited) computed from the answers."""

    if part == "authority-pages":
        chosen = [area.authority] if _inside(area) else list(data.authorities)
        extra = "" if _inside(area) else "(No SET area given: all three are shown.)"
        items = tuple(
            Item(f"{data.authorities[a].name} (child protection)", data.authorities[a].child_protection_page)
            for a in chosen
        )
        return extra, items, (), [data.authorities[a].section for a in chosen]
    if part in ("area-spoc", "all-spocs"):
        chosen = [area.authority] if part == "area-spoc" and _inside(area) else list(data.authorities)
        extra = "" if part == "all-spocs" or _inside(area) else "(No SET area given: all three are shown.)"
        items = tuple(i for a in chosen for i in _spoc_items(data, a))
        return extra, items, (), ["spoc"]
    if part == "essex-mace":
        if area is None or area.quadrant is None:
            quads = list(data.quadrants.values())
            extra = "Which quadrant depends on the district:"
            items = tuple(Item(q.name, q.text) for q in quads)
            bullets = tuple(_what_for(f, f.name.split(" – ")[0]) for f in data.forums_of("essex", quads[0].id))
            return extra, items, bullets, ["2.1"]
        q = data.quadrants[area.quadrant]
        district = data.districts[area.district].name
        where = district if area.name == district else f"{area.name} is in {district}"
        extra = f"{where}: {q.name} ({q.text})."
        bullets = tuple(_what_for(f, f.name) for f in data.forums_of("essex", q.id))
        return extra, (), bullets, [q.section]
    if part == "unitary-forums":
        forums = data.forums_of(area.authority)
        name = data.authorities[area.authority].name
        if theme and theme != NOT_SURE:
            picked = [f for f in forums if theme in f.themes]
            label = data.themes[theme].label
            extra = f"For {label.lower()} in {name}:"
        else:
            picked = forums
            extra = f"All of {name}'s forums, with what each is for (choose the one that fits):"
        bullets = tuple(_what_for(f, f.name) for f in picked)
        return extra, (), bullets, [f.section for f in picked]
    if part == "outside-place":
        if area is not None and area.outside_where:
            return f"({area.name} is in {area.outside_where}.)", (), (), []
        return "", (), (), []
    if part == "strategic-group":
        g = data.forums[STRATEGIC_GROUP]
        return "", (), (f"{g.chair}.", f"Attended by: {g.attendees}."), [g.section]
    raise AssertionError(f"part {part!r} is validated at load")


def _what_for(f: Any, name: str) -> str:
    """A forum in one line: its name, how often, and its first two purposes (the
    second often carries what the first leaves out, as MASE's sexual exploitation)."""
    from setguide.forums.view import cadence_words

    purposes = "; ".join(p.rstrip(".") for p in f.purpose[:2])
    return f"{name} ({cadence_words(f)}): {purposes}."
