"""Values that know which facts they show.

Every correctable value the data holds is a `Val`: a string carrying the keys of
its facts (`contacts.thurrock.phone_text`). Views compose them with `fill` and
`join`, so whatever shows a fact, in whatever words, still names it, and the trust
pass (`output.trust`) marks a local correction wherever it appears."""

from __future__ import annotations

import os
from typing import Any, NamedTuple

# Set by the test suite: a keyed value put into an f-string or `str.format` (where its keys
# are lost, and a local correction would show unmarked) raises at once. `fill`, `join` and
# `keyed` are the ways to compose one.
STRICT = "SETGUIDE_STRICT_FACTS"


class KeyDropped(TypeError):
    """A keyed value was turned into text that does not carry its keys (strict mode)."""


class Val(str):
    """Text that shows facts from the data, carrying their keys (`contacts.thurrock.phone_text`).

    The loader makes every correctable value a `Val`, and views compose them with
    `fill` and `join`, so each block knows which facts it shows and the trust pass
    can mark a local correction wherever it appears, without searching the text."""

    def __new__(cls, text: str, facts: tuple[str, ...] = ()) -> Val:
        s = super().__new__(cls, text)
        s.facts = facts
        return s

    def __reduce__(self):  # copy and pickle keep the keys
        return (Val, (str(self), self.facts))

    def __format__(self, spec: str) -> str:
        if self.facts and os.environ.get(STRICT):
            raise KeyDropped(f"{', '.join(self.facts)} formatted into plain text: compose it with facts.fill")
        return format(str(self), spec)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Val) else value


def facts_in(value: Any) -> tuple[str, ...]:
    """The fact keys a value (a string, a block, a list or tuple of them) shows, in order, once each."""
    found: dict[str, None] = {}

    def walk(v: Any) -> None:
        if isinstance(v, Val):
            found.update(dict.fromkeys(v.facts))
        elif isinstance(v, tuple | list):
            for item in v:
                walk(item)
        elif isinstance(v, dict):
            for item in v.values():
                walk(item)

    walk(value)
    return tuple(found)


def fill(template: str, *args: Any, **kwargs: Any) -> Val:
    """`template.format(...)`, keeping the fact keys of every value put in."""
    text = template.format(*map(_plain, args), **{k: _plain(v) for k, v in kwargs.items()})
    return Val(text, facts_in((args, kwargs)))


def join(sep: str, items: Any) -> Val:
    items = list(items)
    return Val(sep.join(items), facts_in(items))


def keyed(text: str, *facts: str) -> Val:
    """Text that shows facts by meaning rather than by value (e.g. a cadence put into words)."""
    return Val(text, tuple(facts))


# The labels a corrected value carries on every surface, defined once.
LOCAL_LABEL = "LOCAL CORRECTION"
TEAM_LABEL = "TEAM CORRECTION"
# The mark key of what a reader must know about the whole document (a team file not used).
WHOLE = "*"


class Mark(NamedTuple):
    """What a reader must know about a fact before acting on it."""

    text: str
    # A local correction's JSON form, listed under `local_corrections`; None for other marks.
    json: dict[str, Any] | None = None
    short: str = ""  # said where the fact shows again, after `text` was given once
    kind: str = ""  # what it is about: "correction", "unconfirmed", "stale" or "named-source"
    source: str = ""  # a named public source's id (data/sources), for a "named-source" mark
    # What a named source says beside the fact, in JSON form, listed under `named_sources`.
    named: dict[str, Any] | None = None
