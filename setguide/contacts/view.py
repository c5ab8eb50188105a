"""Documents and JSON for `contacts`. Pure: data in, blocks and dicts out."""

from __future__ import annotations

from datetime import date
from typing import Any

from setguide.base.names import match
from setguide.model.data import Contact, Data, cite
from setguide.output.blocks import Block, Caution, Field, Gap, Heading, Para, Source, Table

# --- contacts --------------------------------------------------------------


def contact_names(data: Data) -> dict[str, list[str]]:
    return {c.id: [c.area, *c.aliases] for c in data.contacts.values()}


def pick_contacts(data: Data, authority: str | None) -> list[Contact]:
    if authority is None:
        return list(data.contacts.values())
    return [data.contacts[match("authority", authority, contact_names(data))]]


def contact_blocks(c: Contact) -> list[Block]:
    return [
        Heading(f"{c.area} SPOC", level=2),
        Para(f"{c.display_name} – {c.role}, {c.organisation}"),
        Field("Email", c.email),
        Field("Phone", c.phone_text),
    ]


def contacts_doc(data: Data, contacts: list[Contact], today: date) -> list[Block]:
    stacked: list[Block] = []
    for i, c in enumerate(contacts):
        if i:
            stacked.append(Gap())
        stacked += contact_blocks(c)
    rows = tuple((c.area, f"{c.display_name} – {c.role}, {c.organisation}", c.email, c.phone_text) for c in contacts)
    table = Table(("Area", "Single point of contact", "Email", "Phone"), rows, tuple(stacked), wrap=(1,))
    trust: list[Block] = []
    for c in contacts:
        trust += correction_blocks(data, f"contacts.{c.id}") + stale_blocks(c, today)
    return [Heading("Single points of contact (SPOC)"), table, *trust, Source(cite(contacts[0].section))]


STALE_AFTER_DAYS = 365


def stale_blocks(c: Contact, today: date) -> list[Block]:
    """A contact last checked over 12 months ago is still shown, with a caution."""
    if (today - c.verified).days <= STALE_AFTER_DAYS:
        return []
    return [
        Caution(
            f"{c.area} SPOC details were last checked on {c.verified.isoformat()}, over 12 months ago: "
            "check this is still current."
        )
    ]


def stale_texts(data: Data, shown: str, today: date) -> list[str]:
    """A caution for each SPOC whose details appear in `shown` and were last checked over 12 months ago."""
    return [b.text for c in data.contacts.values() if c.email in shown for b in stale_blocks(c, today)]


def corrections_shown(data: Data, shown: str) -> list[Any]:
    """The local corrections whose values appear in `shown`: the ones a reader is acting on."""
    found = []
    for c in data.corrections.values():
        values = c.value if isinstance(c.value, list) else [c.value]
        if any((v.isoformat() if isinstance(v, date) else str(v)) in shown for v in values):
            found.append(c)
    return found


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


def correction_blocks(data: Data, prefix: str) -> list[Block]:
    """Every local correction under `prefix`, with the protocol's value and the source."""
    return [Caution(correction_text(c)) for c in data.corrected(prefix)]


def corrections_json(data: Data, prefix: str) -> list[dict[str, Any]]:
    return [correction_json(c) for c in data.corrected(prefix)]


def contact_json(data: Data, c: Contact, today: date) -> dict[str, Any]:
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
        "verified": c.verified.isoformat(),
        "stale": (today - c.verified).days > STALE_AFTER_DAYS,
        "source": cite(c.section),
        "local_corrections": corrections_json(data, f"contacts.{c.id}"),
    }
