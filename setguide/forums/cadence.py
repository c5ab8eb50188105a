"""A forum's cadence in words, and setguide's readings of it. Pure: the words are keyed
to the stored cadence, so a corrected cadence is marked wherever its words are shown
(triage, forums, the card).

The protocol gives each forum's frequency in words ("run bi-monthly", "sits every six
weeks"); the dates setguide projects from them are its own reading of those words, and
every view that shows a projection says so (`projection_words`, `readings`)."""

from __future__ import annotations

from collections.abc import Iterable

from setguide.base.facts import Val, facts_in, fill, keyed
from setguide.model.data import cite
from setguide.model.records import Forum

CADENCE_WORDS = {
    "weekly": "weekly",
    "fortnightly": "fortnightly",
    "six-weekly": "every six weeks",
    "monthly": "monthly",
    "bi-monthly": "bi-monthly",
    "quarterly": "quarterly",
}


def cadence_words(f: Forum) -> Val:
    """The cadence in words, still keyed to the stored cadence, so a corrected cadence
    is marked however it is worded."""
    words = CADENCE_WORDS[f.cadence] if f.cadence else "no frequency stated"
    return keyed(words, f"forums.{f.data_id}.cadence", *facts_in(f.cadence_text))


def projection_words(f: Forum, rule: str) -> Val:
    """Dates projected from a forum's stated frequency (`rule` in words, e.g. "the 2nd
    Thursday of every other month"), said as setguide's reading of the protocol's words,
    and keyed to the cadence, so a corrected one is marked."""
    if f.kind("cadence_text") == "verbatim":
        said = fill("{} (setguide's reading of the protocol's “{}” [{}])", rule, f.cadence_text, cite(f.section))
    else:
        said = fill("{} (setguide's reading of the forum's frequency, {})", rule, cadence_words(f))
    return keyed(said, f"forums.{f.data_id}.cadence", *facts_in(said))


def readings(forums: Iterable[Forum]) -> tuple[str, ...]:
    """setguide's readings of the protocol about these forums (each begins "setguide"),
    once each, in order: shown wherever the forums are."""
    return tuple(dict.fromkeys(r for f in forums for r in f.readings))


def said(f: Forum, field: str) -> Val:
    """A forum's statement field as shown: setguide's own words (where the protocol is
    silent: "The protocol names no chair.") labelled as setguide's, the protocol's as they are."""
    value = getattr(f, field)
    return fill("setguide: {}", value) if f.kind(field) == "setguide" else value


def held_per_quadrant_is_a_reading(f: Forum) -> bool:
    """Whether listing the forum once per Essex quadrant is setguide's reading (Part 2)
    rather than the protocol's word (Part 1 "run in 4 quadrants")."""
    return f.quadrant is not None and f.kind("quadrants") == "setguide"
