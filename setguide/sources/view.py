"""Documents and JSON for `sources`: the ledger of what setguide's facts rest on and how
old each is. Pure: data in, blocks and dicts out.

Oldest first: the protocol (undated; it cites documents of October 2019), each named
public page (its copy's date, what its content dates it to, or "undated": an undated
page is listed first, as its age is not known), then each local correction, by the
day it was set. Values carry their fact keys, so the trust pass marks a correction."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any, NamedTuple

from setguide.base.facts import Val, fill, keyed
from setguide.find.lexicon import notes
from setguide.model.data import Data
from setguide.model.marks import named_source_keys, source_json
from setguide.output.blocks import Block, Bullets, Caution, Field, Gap, Heading, Para, Source

# The newest documents the protocol cites are of October 2019; it states no date of its own.
PROTOCOL_CITES = date(2019, 10, 1)
OLDEST_FIRST = (
    "Oldest first. A page that states no date is listed first: its age is not known. "
    "setguide: the protocol is the source of every fact not listed under a named source; "
    "a named source is shown beside the protocol, never instead of it."
)
_YEAR = re.compile(r"\b(19|20)[0-9]{2}\b")


class Entry(NamedTuple):
    order: tuple[int, date]  # (0 undated, 1 dated or dated by content), the date to sort by
    blocks: list[Block]
    json: dict[str, Any]


def _content_date(text: str | None) -> date | None:
    """The year a source's content dates it to ("2022 or later", "probably before 2020")."""
    m = _YEAR.search(text or "")
    if m is None:
        return None
    year = int(m.group(0))
    return date(year - 1, 12, 31) if "before" in (text or "") else date(year, 1, 1)


def supported(data: Data) -> dict[str, list[str]]:
    """Each named source's id, with the fact keys it supports or sits beside."""
    facts: dict[str, list[str]] = {}
    for key, src in named_source_keys(data).items():
        facts.setdefault(src.id, []).append(key)
    for b in data.besides:
        keys = [*b.applies_to] or ["wherever it is cited"]
        facts.setdefault(b.source, []).extend(f"beside {k}" for k in keys)
        if b.contradicted_by:
            facts.setdefault(b.contradicted_by, []).append(f"beside {b.source}'s out-of-date advice")
    for f in data.forums.values():
        if f.other_cadence_source:
            facts.setdefault(f.other_cadence_source, []).append(f"forums.{f.data_id}.other_cadence")
    by_link = {s.url.rstrip("/"): s.id for s in data.sources.values()}
    for note in notes(data).values():
        for text in note.sources:
            sid = by_link.get(text.rpartition(": ")[2].rstrip("/"))
            if sid:
                facts.setdefault(sid, []).append(f"the note beside facts.{note.applies_to}")
    return {sid: list(dict.fromkeys(keys)) for sid, keys in facts.items()}


def _protocol(data: Data) -> Entry:
    blocks: list[Block] = [
        Heading(fill("The protocol: {}", data.title), level=2),
        Field("Date", data.edition),
        Field("Supports", "every fact not listed under a named source below"),
        Field("Checked word for word on", data.read_on.isoformat()),
    ]
    found = {
        "kind": "protocol",
        "title": data.title,
        "dated": None,
        "age": data.edition,
        "cites": "October 2019",
        "checked_on": data.read_on.isoformat(),
        "facts": "every fact not listed under a named source",
    }
    return Entry((1, PROTOCOL_CITES), blocks, found)


def _named(data: Data, facts: dict[str, list[str]]) -> list[Entry]:
    found = []
    for src in data.sources.values():
        keys = facts.get(src.id, [])
        blocks: list[Block] = [
            Heading(src.title, level=2),
            Field("Published by", fill("{}: {}", src.publisher, src.status)),
            Field("Link", src.url),
            *((Field("Copy read", src.read_at),) if src.read_at != src.url else ()),
            Field("Date", src.age()),
            Field("Supports", ", ".join(keys) or "no fact shown (kept as read)"),
        ]
        when = src.dated or _content_date(src.dates_to)
        order = (1, when) if when else (0, date.min)
        found.append(
            Entry(
                order,
                blocks,
                {**source_json(src), "kind": "named source", "page_kind": src.kind, "id": src.id, "facts": keys},
            )
        )
    return found


def _noted(data: Data) -> list[Entry]:
    """Pages notes.toml names beside a fact (public guidance that changed after the
    protocol), where no [[source]] already names the same page."""
    known = {s.url.rstrip("/") for s in data.sources.values()}
    found = []
    for note in notes(data).values():
        for text in note.sources:
            title, _, link = text.rpartition(": ")
            if not link.startswith("http") or link.rstrip("/") in known:
                continue
            blocks: list[Block] = [
                Heading(title, level=2),
                Field("Published by", "not recorded"),
                Field("Link", link),
                Field("Date", "undated"),
                Field("Supports", fill("the note beside facts.{}", note.applies_to)),
            ]
            found.append(
                Entry(
                    (0, date.min),
                    blocks,
                    {
                        "kind": "note source",
                        "title": title,
                        "link": link,
                        "age": "undated",
                        "facts": [f"facts.{note.applies_to}"],
                    },
                )  # fmt: skip
            )
    return found


def _gazetteer(data: Data) -> Entry:
    pages = Counter(p.source_title.split(":")[0] for p in (*data.places, *data.outside) if p.source_title)
    publishers = ", ".join(f"{name} ({n})" for name, n in pages.most_common(5))
    blocks: list[Block] = [
        Heading("The gazetteer of places", level=2),
        Para(
            f"{len(data.places)} places in SET and {len(data.outside)} outside, each from a named public page "
            f"(most from {publishers}); undated. `setguide quadrant PLACE` names the page of each."
        ),
    ]
    found = {"kind": "gazetteer", "places": len(data.places), "outside": len(data.outside), "age": "undated",
             "publishers": dict(pages)}  # fmt: skip
    return Entry((0, date.min), blocks, found)


def _corrections(data: Data) -> list[Entry]:
    found = []
    for c in data.corrections.values():
        # A team's correction names the team and the day it checked the value; one's own says so.
        kind = "Team correction" if c.team else "Local correction"
        who = fill("the team {}, from its shared file", c.team) if c.team else "you, on this computer"
        blocks: list[Block] = [
            Heading(fill("{}: {}", kind, c.key), level=2),
            Field("Value", keyed(c.shown, c.key)),
            Field("The protocol's value", c.protocol_shown),
            Field("Its source", c.source),
            Field("Who", who),
            Field("Checked" if c.team else "When", c.set_on.isoformat()),
        ]
        found.append(
            Entry(
                (1, c.set_on),
                blocks,
                {
                    "kind": "team correction" if c.team else "local correction",
                    "key": c.key,
                    "value": Val(c.shown, (c.key,)),
                    "protocol_value": c.protocol_shown,
                    "source": c.source,
                    "who": c.team or "local",
                    "team": c.team,
                    "set_on": c.set_on.isoformat(),
                },
            )
        )
    return found


def entries(data: Data) -> list[Entry]:
    """Every source, oldest first (undated first); a stable order within a date."""
    every = [_protocol(data), *_named(data, supported(data)), *_noted(data), _gazetteer(data), *_corrections(data)]
    return sorted(every, key=lambda e: e.order)


def sources_doc(data: Data) -> list[Block]:
    blocks: list[Block] = [Heading("Sources setguide uses, and how current they are"), Para(OLDEST_FIRST)]
    for e in entries(data):
        blocks += [Gap(), *e.blocks]
    if not data.corrections:
        blocks += [Gap(), Para("No local or team corrections on this computer.")]
    blocks += [
        Gap(),
        Caution(
            "setguide: confirm a number with its source before you rely on it; a page can change after it was read."
        ),
        Source("the protocol; named public sources; local and team corrections"),
    ]
    return blocks


def sources_json(data: Data) -> dict[str, Any]:
    return {"order": "oldest first; undated first", "sources": [e.json for e in entries(data)]}


def summary_lines(data: Data) -> tuple[str, ...]:
    """A short ledger for the desk card: each source, its publisher and how old it is."""
    lines = [f"The protocol: {data.edition}."]
    for src in sorted(data.sources.values(), key=lambda s: s.dated or _content_date(s.dates_to) or date.min):
        lines.append(f"{src.title} ({src.publisher}: {src.status}): {src.age()}.")
    return tuple(lines)


def summary_blocks(data: Data) -> list[Block]:
    """The desk card's section: each source and how old it is (the full ledger: `setguide sources`)."""
    return [
        Heading("Sources and how current they are"),
        Para(OLDEST_FIRST.split(". ")[0] + "; undated pages first."),
        Bullets(summary_lines(data)),
    ]
