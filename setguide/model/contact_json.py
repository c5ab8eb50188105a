"""The one JSON form of a contact (a SPOC) and of an authority's front door: the same
object wherever a contact is given as JSON (`contacts --json`, the SPOC beside the
forums in `forums --json`, `quadrant --json`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from setguide.model.data import Contact, Data, cite
from setguide.model.marks import confirmed_on, is_stale, source_json


def front_door_json(data: Data, authority: str) -> dict[str, Any] | None:
    """The front door with the named source beside each value (None where there is none)."""
    door = data.front_doors.get(authority)
    if door is None:
        return None
    found: dict[str, Any] = {"id": door.id}
    for field, sid in door.sources.items():
        src = data.sources[sid]
        value = getattr(door, field)
        found[field] = {
            "value": [list(h.days) + [h.opens, h.closes] for h in value] if field == "hours" else value,
            "source": source_json(src),
        }
    found["protocol_link"] = data.authorities[authority].child_protection_page
    found["disagreement"] = door.disagreement
    found["not_the_protocol"] = True
    return found


def contact_json(data: Data, c: Contact, today: date) -> dict[str, Any]:
    confirmed = confirmed_on(data, c)
    return {
        "id": c.id,
        "area": c.area,
        "name": c.name,
        "rank": c.rank,
        "role": c.role,
        "organisation": c.organisation,
        "email": c.email,
        "phone_text": c.phone_text,
        # The numbers taken apart come from the protocol; once phone_text is corrected
        # locally they no longer match it, so they are withheld rather than shown stale.
        "phones": None
        if f"contacts.{c.id}.phone_text" in data.corrections
        else [{"number": p.number, "extension": p.extension} for p in c.phones],
        # `checked`: compared with the protocol's text, nothing more. `confirmed`: the last
        # day a newer named source or a local correction confirmed the entry.
        "checked": c.checked.isoformat(),
        "confirmed": confirmed.isoformat() if confirmed else None,
        "confirmed_by": c.confirmed_by,
        "stale": is_stale(confirmed, today),
        "source": cite(c.section),
        "front_door": front_door_json(data, c.id),
    }
