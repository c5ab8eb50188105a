"""A triage outcome as a document (blocks for `out.show`) and as JSON, and the
decision tree as a rich tree or a Mermaid diagram. Pure: objects in, blocks,
dicts and strings out."""

from __future__ import annotations

from typing import Any

from setguide.base.clock import moment_text
from setguide.base.facts import fill
from setguide.model.marks import source_json
from setguide.output.blocks import (
    Block,
    Bullets,
    Caution,
    Command,
    Example,
    Field,
    Gap,
    Heading,
    Outline,
    Para,
    Reading,
    Source,
)
from setguide.triage.tree import Outcome, Step, Tree, cite_section

JSON_VERSION = 1
TIMING_WORDS = {
    "in-hours": "the triage line is open",
    "closing-soon": "the triage line closes soon",
    "bank-holiday": "a weekday England bank holiday",
    "out-of-hours": "the triage line is closed",
}


PART_HEADINGS = {
    "now": "NOW",
    "also": "ALSO: other routes the protocol gives for the same information",
    "then": "THEN",
}


def outcome_doc(
    o: Outcome,
    repeat: bool = True,
    notes: tuple[str, ...] | list[str] = (),
    moment: bool = True,
    steps: Any = None,
) -> list[Block]:
    """The plan: Now, Also, Then; then the Now again, last, so that its exact values
    are on the last screen however tall the plan (design §1, "On screen"). `moment`: the
    line saying the moment it was routed at (a page read at another moment leaves it
    out). `steps`: how each step is shown, `step_blocks` unless a page gives its own."""
    steps = steps or step_blocks
    blocks: list[Block] = [Heading(fill("{}: {}", o.code, o.title))]
    if o.timing and moment:
        blocks.append(Para(f"UK time {_when(o)}: {TIMING_WORDS[o.timing]}."))
    for c in (*o.cautions, *notes):
        blocks.append(Caution(c))
    if o.area is not None and getattr(o.area, "note", None):
        # A place name shared with one outside SET, or by places with one answer: said as `quadrant` says it.
        example = getattr(o.area, "example", "")
        note = fill("setguide: {}", o.area.note)
        blocks.append(Example(note, example) if example else Para(note))
    if outside_words(o):
        blocks.append(Para(outside_words(o)))
    n = 0
    for part in ("now", "also", "then"):
        if not getattr(o, part):
            continue
        blocks += [Gap(), Heading(PART_HEADINGS[part], level=2)]
        for s in getattr(o, part):
            n += 1
            blocks += steps(n, s)
    blocks += [Gap(), Para(o.complement), Source("; ".join(o.citations))]
    if repeat and (o.also or o.then):
        blocks += [Gap(), *now_blocks(o)]
    return blocks


# The Then steps an offered area fills in: the council's child-protection page and front door.
AREA_THEN = ("area-child-protection", "front-door")


def also_doc(o: Outcome) -> list[Block]:
    """What the offered answers added: the plan's Also for the area, the area's child-protection
    front door under Then (§1: a concern about a child follows the procedures too), then its Now again."""
    blocks: list[Block] = [Gap(), Heading(fill("{} ({})", PART_HEADINGS["also"], _area_words(o)), level=2)]
    if outside_words(o):
        blocks.append(Para(outside_words(o)))
    n = len(o.now)
    sections: list[str] = []
    for s in o.also:
        n += 1
        blocks += step_blocks(n, s)
        if cite_section(s.section) not in sections:
            sections.append(cite_section(s.section))
    then = [(i, s) for i, s in enumerate(o.then, len(o.now) + len(o.also) + 1) if s.id in AREA_THEN]
    if then:
        blocks += [Gap(), Heading(fill("{} ({})", PART_HEADINGS["then"], _area_words(o)), level=2)]
    for i, s in then:
        blocks += step_blocks(i, s)
        if cite_section(s.section) not in sections:
            sections.append(cite_section(s.section))
    blocks += [Source("; ".join(sections)), Gap(), *now_blocks(o)]
    return blocks


def step_blocks(n: int, s: Step) -> list[Block]:
    """One step: what the protocol says, with its section; setguide's own words beside
    it, labelled; then its exact values, each whole on its own line."""
    blocks: list[Block] = [Para(fill("{}. {} [{}]", n, s.text, cite_section(s.section)))]
    if s.note:
        # A forum's readings already say "setguide's reading": not "setguide: setguide's reading".
        blocks.append(Reading(s.note if s.note.startswith("setguide") else fill("setguide: {}", s.note)))
    blocks += [Field(i.label, i.value) for i in s.items]
    if s.bullets:
        blocks.append(Bullets(s.bullets))
    # What to type at a terminal for what the step lacks: a flag, and a command per undated forum.
    blocks += [Command(f, FLAG, flag=True) for f in s.flags] + [Command(c, ADD_DATE) for c in s.commands]
    return blocks


def outside_words(o: Outcome) -> str | None:
    """A plan for a place outside SET says so, and names the SET area it is for (setguide's words)."""
    if o.area is None or not o.area.outside:
        return None
    where = "The concern" if o.area.outside_where is None else o.area.name
    if o.authority:
        return (
            f"setguide: {where} is outside SET; this plan is for {o.authority.capitalize()}, the SET area it touches."
        )
    if o.touches == "none" and o.code != "OUTSIDE-SET":
        return (
            f"setguide: {where} is outside SET and touches no SET area. The protocol covers sharing information "
            "across SET: contact the police force and the council where the concern is (101 reaches the local "
            "police force)."
        )
    return None


FLAG = "the same with a flag"
ADD_DATE = "to record a date"


def _area_words(o: Outcome) -> str:
    if o.area is None:
        return "no area given"
    if o.authority and o.area.outside:
        return f"{o.area.name}, outside SET; touches {o.authority.capitalize()}"
    return o.area.name


def now_blocks(o: Outcome) -> list[Block]:
    """The Now action on its own, short, with all its exact values."""
    blocks: list[Block] = [Heading(fill("NOW: {}", o.title))]
    seen: set[tuple[str, str]] = set()
    for s in o.now:
        for i in s.repeat:
            if (str(i.label), str(i.value)) not in seen:
                seen.add((str(i.label), str(i.value)))
                blocks.append(Field(i.label, i.value))
    blocks += [Caution(c) for c in o.cautions]
    return blocks


def uk_moment(at: Any) -> str:
    """'Tue 1 Dec 2026 10:00 GMT': the day as the forums' dates show it, with the clock's zone."""
    return moment_text(at)


def _when(o: Outcome) -> str:
    return uk_moment(o.at)


def offered_doc(o: Outcome) -> list[Block]:
    """What the wizard shows once an offered answer (the area) is given: the plan's Also
    and Then as the same answers given by flag make them (numbered as there: its Now is
    on screen above), then its Now again."""
    blocks: list[Block] = []
    if o.area is not None and getattr(o.area, "note", None):
        blocks += [Gap(), Para(fill("setguide: {}", o.area.note))]
    n = len(o.now)
    sections: list[str] = []
    for part in ("also", "then"):
        steps = getattr(o, part)
        if not steps:
            continue
        blocks += [Gap(), Heading(fill("{} ({})", PART_HEADINGS[part], _area_words(o)), level=2)]
        for s in steps:
            n += 1
            blocks += step_blocks(n, s)
            if cite_section(s.section) not in sections:
                sections.append(cite_section(s.section))
    blocks += [Source("; ".join(sections)), Gap(), *now_blocks(o)]
    return blocks


def outcome_json(o: Outcome, notes: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
    """The --json schema (documented in the README)."""
    area = o.area
    steps = [
        {
            "n": n,
            "text": s.text,
            "contacts": [
                {"label": i.label, "value": i.value, "key": _key(i.value), "source": source_json(i.source)}
                for i in s.items
            ],
            "items": list(s.bullets),
            "source": cite_section(s.section),
            "note": None if s.note is None else {"text": s.note, "source": "setguide"},
            "flags": list(s.flags),
            "commands": list(s.commands),
        }
        for n, s in enumerate(o.steps, 1)
    ]
    return {
        "version": JSON_VERSION,
        "outcome": o.code,
        "id": o.id,
        "title": o.title,
        "at": o.at.isoformat(),
        "timing": o.timing,
        # An --area given by flag counts as an answer even where the route never asks it.
        "answers": {key: value for key, _, value, _ in o.answers}
        | ({"area": o.area.name} if o.area is not None and not any(k == "area" for k, *_ in o.answers) else {}),
        "answers_given": len(o.answers),
        "area": None
        if area is None
        else {
            "name": area.name,
            "kind": area.kind,
            "authority": area.authority,
            "district": area.district,
            "quadrant": area.quadrant,
            "outside_set": area.outside,
            "outside_words": outside_words(o),
            "note": getattr(area, "note_text", None),
        },
        "steps": steps,
        "now": steps[: len(o.now)],
        "also": steps[len(o.now) : len(o.now) + len(o.also)],
        "then": steps[len(o.now) + len(o.also) :],
        "cautions": [*o.cautions, *notes],
        "citations": list(o.citations),
        "complement": o.complement,
    }


def _key(value: str) -> str | None:
    facts = getattr(value, "facts", ())
    return facts[0] if facts else None


def _cite(section: str) -> str:
    from setguide.model.data import cite

    return cite(section)


# --- the tree itself -------------------------------------------------------------


def _target(tree: Tree, next_id: str) -> str:
    if next_id in tree.outcomes:
        o = tree.outcomes[next_id]
        cites = "; ".join(_cite(x) for x in (o.title_sections or (o.section,)))
        return f"{o.code}{f' ({o.timing})' if o.timing else ''}: {o.title} [{cites}]{_own(tree, o)}"
    return ""


def _own(tree: Tree, o) -> str:
    """An outcome reached by setguide's own rule (closing soon, a bank holiday) says so:
    the protocol gives the hours, not what to do near their end or on a holiday."""
    own = any(tree.cautions[c].section == "setguide" for c in o.cautions if c in tree.cautions)
    return " (setguide's rule beyond the protocol's hours)" if own else ""


def _offers(tree: Tree, outcome_id: str) -> str:
    offer = tree.outcomes[outcome_id].offer
    if not offer:
        return ""
    # A plan an offered answer reaches in its place (nowhere in SET: no route of this one applies).
    said = "".join(fill("; or, in its place, {}", tree.outcomes[o].code) for o in tree.replaced_by(outcome_id))
    return fill(" (then offers, optional: {}{})", tree.nodes[offer].flag, said)


def tree_outline(tree: Tree) -> Outline:
    """The questions, their answers and where each leads: indented lines in plain text,
    a tree drawn by the rich renderer at a terminal."""

    def node(node_id: str) -> Outline:
        q = tree.nodes[node_id]
        answers = []
        for b in q.branches:
            if b.next in tree.outcomes:
                answers.append(
                    Outline(fill("{} → {}{}", b.label, _target(tree, b.next), _offers(tree, b.next)), kind="outcome")
                )
            else:
                answers.append(Outline(fill("{} →", b.label), (node(b.next),)))
        label = f"{'check' if not q.asked else q.flag}: {q.text} [{_cite(q.section)}]"
        return Outline(label, tuple(answers), "question" if q.asked else "check")

    return Outline("setguide triage", (node(tree.start),))


def tree_mermaid(tree: Tree) -> str:
    """A Mermaid flowchart: one box per question or outcome, one arrow per answer."""
    lines = ["flowchart TD"]

    def ident(x: str) -> str:
        return x.replace("-", "_")

    def quote(text: str) -> str:
        return '"' + text.replace('"', "#quot;") + '"'

    for q in tree.nodes.values():
        shape = (f"{{{quote(q.text)}}}") if q.asked else f"[/{quote(q.text)}/]"
        lines.append(f"  {ident(q.id)}{shape}")
    for o in tree.outcomes.values():
        timing = f" ({o.timing})" if o.timing else ""
        lines.append(f"  {ident(o.id)}[{quote(f'{o.code}{timing}: {o.title}{_own(tree, o)}')}]")
    for q in tree.nodes.values():
        for b in q.branches:
            lines.append(f"  {ident(q.id)} -->|{quote(b.label)}| {ident(b.next)}")
    # Questions a plan offers once it is on screen, to fill in Also: dotted, optional.
    for o in tree.outcomes.values():
        if o.offer:
            lines.append(f"  {ident(o.id)} -.->|{quote('optional, to fill in Also')}| {ident(o.offer)}")
        for other in tree.replaced_by(o.id):  # an offered answer that puts another plan in its place
            lines.append(f"  {ident(o.id)} -.->|{quote('or, in its place')}| {ident(other)}")
    return "\n".join(lines) + "\n"
