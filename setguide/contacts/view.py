"""Documents and JSON for `contacts`. Pure: data in, blocks and dicts out.

Local corrections and stale-contact cautions are added by the trust pass, from
the fact keys these blocks carry; this module only says what is shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from setguide.base import phone
from setguide.base.facts import Val, facts_in, fill, keyed
from setguide.base.names import match
from setguide.model.data import Contact, Data, cite
from setguide.model.marks import confirmed_on, is_stale, source_json
from setguide.output.blocks import Block, Bullets, Field, Gap, Heading, Para, Source, Table


def contact_names(data: Data) -> dict[str, list[str]]:
    return {c.id: [c.area, *c.aliases] for c in data.contacts.values()}


def pick_contacts(data: Data, authority: str | None) -> list[Contact]:
    if authority is None:
        return list(data.contacts.values())
    return [data.contacts[match("authority", authority, contact_names(data))]]


def who(c: Contact) -> str:
    """Name, role and organisation, as the SPOC table gives them."""
    return fill("{} – {}, {}", c.display_name, c.role, c.organisation)


def phone_fields(phone_text: str, as_written: bool = True) -> list[Field]:
    """A contact's numbers, each on its own line, spaced for reading (`phone.labelled`)."""
    return [Field(label, value) for label, value in phone.labelled(phone_text, as_written)]


def readable_phone(phone_text: str) -> Val:
    return keyed(phone.readable(phone_text) or phone_text, *facts_in(phone_text))


def contact_blocks(c: Contact) -> list[Block]:
    return [
        Heading(fill("{} SPOC", c.area), level=2),
        Para(who(c)),
        Field("Email", c.email),
        *phone_fields(c.phone_text),
    ]


def contacts_doc(data: Data, contacts: list[Contact]) -> list[Block]:
    stacked: list[Block] = []
    for i, c in enumerate(contacts):
        if i:
            stacked.append(Gap())
        stacked += contact_blocks(c)
    # The table, on a wide terminal, gives each number exactly as the protocol writes it;
    # the stacked form beside it spaces them for reading, with the text as written.
    rows = tuple((c.area, who(c), c.email, c.phone_text) for c in contacts)
    table = Table(("Area", "Single point of contact", "Email", "Phone"), rows, tuple(stacked), wrap=(1,))
    return [
        Heading("Single points of contact (SPOC)"),
        table,
        Source(cite(contacts[0].section)),
        *front_doors_doc(data, contacts),
    ]


def front_door_blocks(data: Data, authority: str) -> list[Block]:
    """An authority's children's social care front door, from named public sources (the
    trust pass adds the line naming each source), beside the protocol's own link."""
    door = data.front_doors.get(authority)
    if door is None:
        return []
    a = data.authorities[authority]
    blocks: list[Block] = [
        Heading(fill("{} children's social care front door (named source, not the protocol)", a.name), level=2),
        Field(fill("{} (office hours)", door.name), door.office_phone),
    ]
    if door.office_hours:
        blocks.append(Field("Office hours", door.office_hours))
    out = fill("{} (out of hours)", door.out_of_hours_name) if door.out_of_hours_name else "Out of hours"
    blocks.append(Field(out, door.out_of_hours_phone))
    if door.out_of_hours_hours:
        blocks.append(Field("Out-of-hours times", door.out_of_hours_hours))
    for label, value in (("Professionals refer", door.refer_url), ("Referral email", door.refer_email)):
        if value:
            blocks.append(Field(label, value))
    if door.refer:
        blocks.append(Bullets((fill("How professionals refer, in the source's words: {}", door.refer),)))
    blocks.append(Field(fill("The protocol's link [{}]", cite(a.section)), a.child_protection_page))
    if door.moved_to:
        blocks.append(Field("It has moved to", door.moved_to))
    return blocks


def front_doors_doc(data: Data, contacts: list[Contact]) -> list[Block]:
    """The front doors of the authorities among `contacts` (none for Essex Police)."""
    blocks: list[Block] = []
    for c in contacts:
        found = front_door_blocks(data, c.id)
        if found:
            blocks += [Gap(), *found]
    return blocks


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
