"""What the trust pass marks, by fact key: each local correction in force, and the
contacts whose details were last confirmed over a year ago."""

from __future__ import annotations

from datetime import date
from typing import Any

from setguide.base.facts import Mark
from setguide.model.data import Data

STALE_AFTER_DAYS = 365
CONTACT_FIELDS = ("name", "rank", "role", "organisation", "email", "phone_text")


def correction_json(c: Any) -> dict[str, Any]:
    return {
        "key": c.key,
        "value": c.value,
        "protocol_value": c.protocol_value,
        "source": c.source,
        "set_on": c.set_on.isoformat(),
    }


def correction_text(c: Any) -> str:
    return (
        f"LOCAL CORRECTION on this computer: {c.key} is {c.shown!r} (the protocol says {c.protocol_shown!r}). "
        f"Source: {c.source}, set {c.set_on.isoformat()}."
    )


def stale_text(area: str, verified: date) -> str:
    return (
        f"{area} SPOC details were last confirmed on {verified.isoformat()}, over 12 months ago: "
        "check this is still current."
    )


def is_stale(verified: date, today: date) -> bool:
    return (today - verified).days > STALE_AFTER_DAYS


def marks_for(data: Data, today: date) -> dict[str, list[Mark]]:
    marks: dict[str, list[Mark]] = {}
    for key, c in data.corrections.items():
        marks.setdefault(key, []).append(
            Mark(correction_text(c), correction_json(c), f"LOCAL CORRECTION: {key} (as above).")
        )
    for contact in data.contacts.values():
        if is_stale(contact.verified, today):
            stale = Mark(stale_text(contact.area, contact.verified))
            for field in CONTACT_FIELDS:
                marks.setdefault(f"contacts.{contact.id}.{field}", []).append(stale)
    return marks
