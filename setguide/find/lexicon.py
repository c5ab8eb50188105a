"""The data `search` and `email-check` read beside the protocol's: search.toml (synonyms
and fact headings) and notes.toml (public guidance that changed after the protocol).

Read only when one of those commands runs, so no other command pays for them, and
validated the same way as the rest of data/: a fault names the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from setguide.model.data import Data, Node, cite, read_toml

# A synonym group that is setguide's own (words people use for the same thing, grouped by
# setguide, not by the protocol or a named source): cited as "setguide", never with §.
SETGUIDE = "setguide"


@dataclass(frozen=True)
class Synonym:
    terms: tuple[str, ...]
    # Where the expansion comes from: the protocol section that gives it, or a named
    # public source (title and link) where the protocol uses the short form unexpanded.
    section: str | None
    shown: bool = True  # False for words that are related, not the same ("drug lines", "county lines")
    source: str | None = None
    source_url: str | None = None

    @property
    def cite(self) -> str:
        if self.section == SETGUIDE:
            return SETGUIDE
        if self.section is not None:
            return cite(self.section)
        return f"{self.source}: {self.source_url}" if self.source else ""


@dataclass(frozen=True)
class FactHeading:
    id: str
    title: str
    command: str | None


@dataclass(frozen=True)
class Note:
    id: str
    applies_to: str
    text: str
    family: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SearchData:
    synonyms: tuple[Synonym, ...]
    facts: dict[str, FactHeading]


@cache
def search_data(data: Data) -> SearchData:
    doc = Node("search.toml", "", read_toml(data.source_dir / "search.toml"))
    synonyms = []
    for n in doc.tables("synonym"):
        terms = n.strs("terms")
        if len(terms) < 2:
            raise n.error("terms", "needs at least two terms (a word and what it means)")
        shown = n.get("shown", bool, optional=True)
        shown = True if shown is None else shown
        source = n.str("source", optional=True)
        section = n.one_of("section", [*data.sections, SETGUIDE], optional=source is not None or not shown)
        if section is not None and source is not None:
            raise n.error("source", "give either the protocol section or a named source, not both")
        url = n.str("source_url", optional=source is None)
        if shown and section is None and source is None:
            raise n.error("section", "missing: a shown expansion says where it comes from (section or source)")
        synonyms.append(Synonym(terms, section, shown, source, url))
    facts: dict[str, FactHeading] = {}
    for n in doc.tables("fact", optional=True):
        fid = n.one_of("id", data.facts)
        if fid in facts:
            raise n.error("id", f"duplicate fact {fid!r}")
        facts[fid] = FactHeading(fid, n.str("title"), n.str("command", optional=True))
    return SearchData(tuple(synonyms), facts)


@cache
def notes(data: Data) -> dict[str, Note]:
    doc = Node("notes.toml", "", read_toml(data.source_dir / "notes.toml"))
    found = {}
    for nid in doc.raw:
        n = doc.table(nid)
        sources = n.strs("sources")
        if not sources:
            raise n.error("sources", "is empty: a note says where it was read")
        found[nid] = Note(
            id=nid,
            applies_to=n.one_of("applies_to", data.facts),
            text=n.str("text"),
            family=tuple(f.casefold() for f in n.strs("family", optional=True)),
            sources=sources,
        )
    return found


def note_for(data: Data, fact_id: str) -> list[Note]:
    return [n for n in notes(data).values() if n.applies_to == fact_id]
