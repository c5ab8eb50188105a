"""The data `search` and `email-check` read beside the protocol's: search.toml (synonyms
and fact headings) and notes.toml (public guidance that changed after the protocol).

Read only when one of those commands runs, so no other command pays for them, and
validated the same way as the rest of data/: a fault names the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from setguide.model.data import Data, Node, read_toml


@dataclass(frozen=True)
class Synonym:
    terms: tuple[str, ...]
    section: str
    shown: bool = True  # False for words that are related, not the same ("drug lines", "county lines")


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
        synonyms.append(Synonym(terms, n.one_of("section", data.sections), True if shown is None else shown))
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
