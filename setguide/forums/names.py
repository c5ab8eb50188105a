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
                variants.append(f"{c.protocol_value} – {q}" if q else str(c.protocol_value))
        for n in (f.name, f.long_name):
            if " – " in n:
                variants += [n.replace(" – ", " - "), n.replace(" – ", " ")]
        names[f.id] = variants
    return names


def match_forum(data: Data, text: str) -> str:
    """FORUM: an id or name, case-insensitive, by unique substring; UnknownName otherwise."""
    return match("forum", text, forum_names(data), substring=True)


def match_summary(data: Data, summary: str) -> str:
    """An invite's SUMMARY -> forum id. First the FORUM rule; failing that, a summary
    that contains exactly one forum's name or id as whole words ("Thurrock MACE –
    March" is Thurrock MACE), the longest name winning when one contains another."""
    try:
        return match_forum(data, summary)
    except UnknownName as exc:
        if exc.ambiguous:
            raise
        first = exc
    text = summary.casefold()
    hits: dict[str, int] = {}
    for fid, names in forum_names(data).items():
        for n in (fid, *names):
            if re.search(r"(?<!\w)" + re.escape(n.casefold()) + r"(?!\w)", text):
                hits[fid] = max(hits.get(fid, 0), len(n))
    if not hits:
        raise first
    best = max(hits.values())
    winners = sorted(f for f, n in hits.items() if n == best)
    if len(winners) == 1:
        return winners[0]
    raise UnknownName("forum", summary, winners, ambiguous=True)
