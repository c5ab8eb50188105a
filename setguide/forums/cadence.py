"""A forum's cadence in words. Pure: the words are keyed to the stored cadence, so a
corrected cadence is marked wherever its words are shown (triage, forums, the card)."""

from __future__ import annotations

from setguide.base.facts import Val, facts_in, keyed
from setguide.model.records import Forum

CADENCE_WORDS = {
    "weekly": "weekly",
    "fortnightly": "fortnightly",
    "six-weekly": "every six weeks",
    "monthly": "monthly",
    "bi-monthly": "bi-monthly",
}


def cadence_words(f: Forum) -> Val:
    """The cadence in words, still keyed to the stored cadence, so a corrected cadence
    is marked however it is worded."""
    words = CADENCE_WORDS[f.cadence] if f.cadence else "no frequency stated"
    return keyed(words, f"forums.{f.data_id}.cadence", *facts_in(f.cadence_text))
