"""The trust pass: every block that shows a marked fact is followed by its mark.

A mark is what a reader must know about a fact before acting on it: a local
correction (with the protocol's value and the user's source), or a contact not
confirmed for over a year. Marks are found by the keys the blocks carry (see
`blocks.Val`), never by searching rendered text, so no view opts in and a value
shown in another form (a cadence put into words) is marked all the same."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from setguide.base.facts import LOCAL_LABEL, WHOLE, Mark, facts_in, fill
from setguide.output.blocks import Block, Bullets, Caution, Choice, Field, Table

LABEL = LOCAL_LABEL


Marks = Mapping[str, Sequence[Mark]]


def mark(blocks: list[Block], marks: Marks) -> list[Block]:
    """The document with each block's marks after it (a field, a list item or a table cell
    also says its correction beside its value), and what holds for the whole of it last."""
    if not marks:
        return list(blocks)
    said: set[str] = set()
    shown = _marked(blocks, marks, said)
    # What holds for the whole document comes after it: 999 stays first.
    shown += [Caution(m.text) for m in marks.get(WHOLE, ()) if m.text not in said]
    return shown


def _marked(blocks, marks: Marks, said: set[str]) -> list[Block]:
    """Each block, followed by the marks of the facts it shows (a mark said once in full,
    then by its short form)."""
    shown: list[Block] = []
    for block in blocks:
        if isinstance(block, Choice):
            # Each answer is marked on its own: a reader sees one of them.
            options = tuple(o._replace(blocks=tuple(_marked(o.blocks, marks, set(said)))) for o in block.options)
            shown.append(block._replace(options=options))
            continue
        if isinstance(block, Table):
            shown.append(_table(block, marks, said))
            continue
        found = [m for key in facts_in(tuple(block)) for m in marks.get(key, ())]
        labels = [m.json.get("label", LABEL) for m in found if m.json is not None]
        if isinstance(block, Field) and labels:
            block = block._replace(corrected=labels[-1])  # the renderers say it beside the value
        elif isinstance(block, Bullets) and labels:  # a list says it beside each item it corrects
            block = block._replace(items=tuple(_labelled(i, marks) for i in block.items))
        shown.append(block)
        for m in {m.text: m for m in found}.values():
            if m.text not in said:
                said.add(m.text)
                shown.append(Caution(m.text, m.kind, m.source))
            elif m.short:
                shown.append(Caution(m.short, m.kind, m.source))
    return shown


def _table(table: Table, marks: Marks, said: set[str]) -> Table:
    """A table is read in one of two forms. Stacked, each value's mark follows the block that
    shows it; drawn, a corrected cell says so beside its value, and the marks follow the table."""
    before = set(said)
    fallback = tuple(_marked(table.fallback, marks, said))
    notes = []
    for key in facts_in(table.rows):
        for m in marks.get(key, ()):
            note = Caution(m.text, m.kind, m.source) if m.text not in before else None
            if note is None and m.short:
                note = Caution(m.short, m.kind, m.source)
            if note is not None and note not in notes:
                notes.append(note)

    rows = tuple(tuple(_labelled(c, marks) for c in row) for row in table.rows)
    return table._replace(fallback=fallback, rows=rows, notes=tuple(notes))


def _labelled(value, marks: Marks):
    """A value with its correction's label beside it ("… (LOCAL CORRECTION)"), if it has one."""
    labels = [m.json.get("label", LABEL) for key in facts_in(value) for m in marks.get(key, ()) if m.json]
    return fill("{} ({})", value, labels[-1]) if labels else value


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
