"""Matching what a user typed to an id: case-insensitive, exact first, then a
unique prefix (or substring), with suggestions when nothing or several match."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from setguide.base.errors import UnknownName


def match(kind: str, given: str, names: Mapping[str, Sequence[str]], substring: bool = False) -> str:
    """The id whose names include `given`. `names` maps each id to its names."""
    key = given.strip().casefold()
    if not key:
        raise UnknownName(kind, given, sorted(names))
    exact = {i for i, ns in names.items() if key in (n.casefold() for n in (i, *ns))}
    if len(exact) == 1:
        return exact.pop()
    if len(exact) > 1:
        raise UnknownName(kind, given, sorted(exact), ambiguous=True)

    def hit(n: str) -> bool:
        n = n.casefold()
        return key in n if substring else n.startswith(key)

    partial = sorted(i for i, ns in names.items() if any(hit(n) for n in (i, *ns)))
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise UnknownName(kind, given, partial, ambiguous=True)
    close = suggest(key, names)
    if not close and len(names) <= EVERY:
        raise UnknownName(kind, given, sorted(names), every=True)
    raise UnknownName(kind, given, close)


# A list this short is shown whole when nothing typed is close to any of it.
EVERY = 20
# How alike a typed word and a name must be to suggest the name (difflib's ratio): the
# one policy for every "did you mean" — names, places and search words alike.
CUTOFF = 0.72


def close(word: str, candidates: Sequence[str], n: int) -> list[str]:
    """The candidates close enough to `word` to suggest, best first."""
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=CUTOFF)


def suggest(key: str, names: Mapping[str, Sequence[str]], limit: int = 3) -> list[str]:
    if len(key) > 100:  # far longer than any name: nothing is close, and difflib would take long to say so
        return []
    by_name = {n.casefold(): i for i, ns in names.items() for n in (i, *ns)}
    ids: list[str] = []
    for c in close(key.casefold(), list(by_name), limit * 3):
        if by_name[c] not in ids:
            ids.append(by_name[c])
    return ids[:limit]
