"""Documents and JSON for `contacts`. Pure: data in, blocks and dicts out.

Local corrections and stale-contact cautions are added by the trust pass, from
the fact keys these blocks carry; this module only says what is shown."""

from __future__ import annotations

from setguide.base import phone
from setguide.base.facts import Val, facts_in, fill, keyed
from setguide.base.names import match
from setguide.model.contact_json import contact_json, front_door_json
from setguide.model.data import Contact, Data, cite
from setguide.output.blocks import Block, Bullets, Field, Gap, Heading, Para, Source, Table

__all__ = ["contact_json", "front_door_json"]  # the one JSON form of a contact, shared with forums and places


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
