"""The trust pass: every block that shows a marked fact is followed by its mark.

A mark is what a reader must know about a fact before acting on it: a local
correction (with the protocol's value and the user's source), or a contact not
confirmed for over a year. Marks are found by the keys the blocks carry (see
`blocks.Val`), never by searching rendered text, so no view opts in and a value
shown in another form (a cadence put into words) is marked all the same."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from setguide.base.facts import LOCAL_LABEL, WHOLE, Mark, facts_in
from setguide.output.blocks import Block, Caution, Choice, Field

LABEL = LOCAL_LABEL


Marks = Mapping[str, Sequence[Mark]]


def mark(blocks: list[Block], marks: Marks) -> list[Block]:
    if not marks:
        return list(blocks)
    shown: list[Block] = []
    said: set[str] = set()
    for block in blocks:
        if isinstance(block, Choice):
            # Each answer is marked on its own: a reader sees one of them.
            options = tuple(o._replace(blocks=tuple(mark(list(o.blocks), marks))) for o in block.options)
            shown.append(block._replace(options=options))
            continue
        found = [m for key in facts_in(tuple(block)) for m in marks.get(key, ())]
        labels = [m.json.get("label", LABEL) for m in found if m.json is not None]
        if isinstance(block, Field) and labels:
            block = block._replace(corrected=labels[-1])  # the renderers say it beside the value
        shown.append(block)
        for m in {m.text: m for m in found}.values():
            if m.text not in said:
                said.add(m.text)
                shown.append(Caution(m.text, m.kind, m.source))
            elif m.short:
                shown.append(Caution(m.short, m.kind, m.source))
    # What holds for the whole document comes after it: 999 stays first.
    shown += [Caution(m.text) for m in marks.get(WHOLE, ()) if m.text not in said]
    return shown


def corrections_json(value: Any, marks: Marks) -> list[dict[str, Any]]:
    """The local corrections whose facts `value` shows, once each."""
    seen: dict[str, dict[str, Any]] = {}
    for key in facts_in(value):
        for m in marks.get(key, ()):
            if m.json is not None:
                seen.setdefault(m.json["key"], m.json)
    return list(seen.values())


def named_json(value: Any, marks: Marks) -> list[dict[str, Any]]:
    """What named sources say beside the facts `value` shows, once each."""
    seen: dict[str, dict[str, Any]] = {}
    for key in facts_in(value):
        for m in marks.get(key, ()):
            if m.named is not None:
                seen.setdefault(m.named["id"], m.named)
    return list(seen.values())


def with_corrections(obj: Any, marks: Marks) -> Any:
    """JSON output with `local_corrections` beside what it shows: on the object, or on
    each object of a list (a list stays a list, as scripts expect). `named_sources`: what
    a named source says beside a fact shown, where one does."""
    if isinstance(obj, dict):
        named = named_json(obj, marks)
        return {**obj, "local_corrections": corrections_json(obj, marks), **({"named_sources": named} if named else {})}
    if isinstance(obj, list):
        return [with_corrections(item, marks) if isinstance(item, dict) else item for item in obj]
    return obj
