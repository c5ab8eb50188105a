"""A forum named as people type it: FORUM on the command line (an id or a name, any
case, a unique part), and the title of a calendar invite ("Thurrock MACE – March").
Pure: data and text in, a forum id out, or UnknownName with the candidates."""

from __future__ import annotations

import re

from setguide.base.errors import UnknownName
from setguide.base.names import match
from setguide.model.data import Data


def forum_names(data: Data) -> dict[str, list[str]]:
    # What people type: the id with spaces ("southend task force"), and a hyphen or
    # nothing for the en dash of the quadrant names ("Essex MACE Part 1 - North").
    # A forum whose name is corrected locally still answers to the protocol's name, which
    # the invites already in people's calendars carry.
    names: dict[str, list[str]] = {}
    for f in data.forums.values():
        variants = [f.name, f.long_name, f.id.replace("-", " ")]
        for field in ("name", "long_name"):
            c = data.corrections.get(f"forums.{f.data_id}.{field}")
            if c is not None:
                q = data.quadrants[f.quadrant].name if f.quadrant else None
                variants.append(f"{c.protocol_value!s} – {q!s}" if q else str(c.protocol_value))
        for n in (f.name, f.long_name):
            if " – " in n:
                variants += [n.replace(" – ", " - "), n.replace(" – ", " ")]
        names[f.id] = variants
    return names


def match_forum(data: Data, text: str) -> str:
    """FORUM: an id or name, case-insensitive, by unique substring; UnknownName otherwise."""
    return match("forum", text, forum_names(data), substring=True)


# The rules an invite's title is matched by, in the order they are tried, as said back.
BY_NAME = "the forum's name or id"
BY_QUADRANT = "MACE with its quadrant and part (or its area)"
BY_TITLE = "a forum's name within the title"

_MACE = re.compile(r"(?<![a-z])mace(?![a-z])")
_PART = re.compile(r"(?<![a-z])(?:part|pt)\.?\s*(1|2|one|two|ii|i)(?![a-z0-9])|(?<![a-z])p([12])(?![a-z0-9])")
_QUADRANT = re.compile(r"(?<![a-z])(north|south|mid|west)(?![a-z])")
_PART_NUMBER = {"1": 1, "one": 1, "i": 1, "2": 2, "two": 2, "ii": 2}


def match_summary(data: Data, summary: str) -> str:
    """An invite's SUMMARY -> forum id (see `match_invite`)."""
    return match_invite(data, summary)[0]


def match_invite(data: Data, summary: str) -> tuple[str, str]:
    """An invite's SUMMARY -> (forum id, the rule that matched it), tried in order:

    1. the FORUM rule: the forum's id or name, or a unique part of it;
    2. an Essex MACE title by its quadrant and part, in any order and form ("South
       Quadrant MACE Part 1 - January", "MACE Pt 2 North");
    3. a title that contains exactly one forum's name or id as whole words ("Thurrock
       MACE – March", "Operation Censor meeting"), the longest name winning when one
       contains another.

    A title two forums could match is an ambiguous UnknownName listing them (a quadrant
    without its part, a part without its quadrant), never a guess."""
    try:
        return match_forum(data, summary), BY_NAME
    except UnknownName as exc:
        if exc.ambiguous and not _MACE.search(summary.casefold()):
            raise
        first = exc
    by_quadrant = _by_quadrant_and_part(data, summary)
    if by_quadrant is not None:
        return by_quadrant, BY_QUADRANT
    text = summary.casefold()
    hits: dict[str, int] = {}
    for fid, names in forum_names(data).items():
        for n in (fid, *names):
            if re.search(r"(?<!\w)" + re.escape(n.casefold()) + r"(?!\w)", text):
                hits[fid] = max(hits.get(fid, 0), len(n))
    if not hits:
        mace = _MACE.search(text) and re.search(r"(?<![a-z])thurrock(?![a-z])", text)
        if mace and "thurrock-mace" in data.forums:
            return "thurrock-mace", BY_QUADRANT  # "MACE Thurrock": Thurrock's own MACE, in any order
        raise first
    best = max(hits.values())
    winners = sorted(f for f, n in hits.items() if n == best)
    if len(winners) == 1:
        return winners[0], BY_TITLE
    raise UnknownName("forum", summary, winners, ambiguous=True)


def _by_quadrant_and_part(data: Data, summary: str) -> str | None:
    """An Essex MACE title naming its quadrant and its part; None when the title says
    neither (it is left to the other rules), an ambiguous UnknownName when it says one
    without the other, or names two."""
    text = summary.casefold()
    if not _MACE.search(text):
        return None
    if re.search(r"(?<![a-z])(thurrock|southend)", text):
        return None
    quadrants = sorted({m for m in _QUADRANT.findall(text)})
    parts = sorted({_PART_NUMBER[a or b] for a, b in _PART.findall(text)})
    if not quadrants and not parts:
        return None
    essex = [f for f in data.forums.values() if f.quadrant is not None and re.fullmatch(r"essex-mace-[12]-\w+", f.id)]
    fits = [
        f.id
        for f in essex
        if (not quadrants or f.quadrant in quadrants)
        and (not parts or any(f.id.startswith(f"essex-mace-{p}-") for p in parts))
    ]
    if len(fits) == 1:
        return fits[0]
    if not fits:
        return None
    raise UnknownName("forum", summary, sorted(fits), ambiguous=True)
