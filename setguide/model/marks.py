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


UNCONFIRMED = (
    "setguide: named contacts are as the protocol gives them (undated; it cites documents of "
    "October 2019) and should be confirmed before you rely on them."
)


def source_text(source: Any) -> str:
    """The line beside every fact from a named public source: which page, the copy read and
    its date, and that it is not the protocol's and should be confirmed."""
    dated = f", dated {source.dated.isoformat()}" if source.dated else ", undated"
    copy = "" if source.read_at == source.url else f"; read in the copy at {source.read_at}"
    return (
        f"Named source, not the protocol: {source.title}, {source.url}{copy}{dated}. Confirm it before you rely on it."
    )


def source_json(source: Any) -> dict[str, Any] | None:
    """A named public source, as --json gives it beside each value it gave (None: the protocol's)."""
    if source is None:
        return None
    return {
        "title": source.title,
        "link": source.url,
        "read_at": source.read_at,
        "dated": source.dated.isoformat() if source.dated else None,
        "kind": source.kind,
    }


def named_source_keys(data: Data) -> dict[str, Any]:
    """Every fact key from a named public source, with its source."""
    found: dict[str, Any] = {}
    for door in data.front_doors.values():
        for field, sid in door.sources.items():
            found[f"frontdoors.{door.id}.{field}"] = data.sources[sid]
    current = data.current_procedures
    if current is not None:
        for field in ("name", "edition", "url"):
            found[f"current.procedures.{field}"] = data.sources[current.source]
    return found


def stale_text(area: str, confirmed: date) -> str:
    return (
        f"setguide: {area} SPOC details were last confirmed on {confirmed.isoformat()}, over 12 months ago: "
        "check this is still current."
    )


def confirmed_on(data: Data, contact: Any, field: str | None = None) -> date | None:
    """The day a SPOC's `field` was last confirmed: by a newer named source in the data
    (which confirms the whole entry), or by a local correction of that field alone.
    Without a field, the entry's: the oldest of its shown fields' days, None while any
    is unconfirmed. Checking it against the protocol's text is not confirming it."""
    if field is None:
        days = [confirmed_on(data, contact, f) for f in CONTACT_FIELDS if getattr(contact, f) is not None]
        return None if None in days else min(days, default=None)
    dates = [c.set_on for c in data.corrected(f"contacts.{contact.id}") if c.key.rsplit(".", 1)[-1] == field]
    if contact.confirmed:
        dates.append(contact.confirmed)
    return max(dates, default=None)


def is_stale(confirmed: date | None, today: date) -> bool:
    """Unconfirmed, or confirmed over 12 months ago: to be checked before use."""
    return confirmed is None or (today - confirmed).days > STALE_AFTER_DAYS


def marks_for(data: Data, today: date) -> dict[str, list[Mark]]:
    marks: dict[str, list[Mark]] = {}
    for key, c in data.corrections.items():
        marks.setdefault(key, []).append(
            Mark(correction_text(c), correction_json(c), f"LOCAL CORRECTION: {key} (as above).", "correction")
        )
    for contact in data.contacts.values():
        for field in CONTACT_FIELDS:
            confirmed = confirmed_on(data, contact, field)
            if confirmed is None:
                mark = Mark(UNCONFIRMED, kind="unconfirmed")
            elif is_stale(confirmed, today):
                mark = Mark(stale_text(contact.area, confirmed), kind="stale")
            else:
                continue
            marks.setdefault(f"contacts.{contact.id}.{field}", []).append(mark)
    for key, source in named_source_keys(data).items():
        marks.setdefault(key, []).append(Mark(source_text(source), kind="named-source", source=source.id))
    return marks
