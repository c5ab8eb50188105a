"""Documents for `protocol`: the protocol's own text, section by section."""

from __future__ import annotations

from setguide.model.data import Data
from setguide.output.blocks import Block, Field, Gap, Heading, Para, Source

# --- protocol --------------------------------------------------------------


def section_names(data: Data) -> dict[str, list[str]]:
    return {s.id: [s.title, f"§{s.id}", s.cite] for s in data.sections.values()}


def protocol_doc(data: Data, section_id: str | None) -> list[Block]:
    if section_id is None:
        blocks: list[Block] = [Heading(data.title), Para(f"Edition: {data.edition}"), Gap()]
        for s in data.sections.values():
            blocks.append(Field(s.id, f"{s.title} ({s.cite})"))
        blocks.append(Para("Show one: setguide protocol 2.1"))
        return blocks
    s = data.sections[section_id]
    return [Heading(f"{s.cite} {s.title}"), Para(s.text), Source(f"{data.title}, {s.cite}")]
