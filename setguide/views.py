"""Documents and JSON for `contacts`, `quadrant` and `protocol`. Pure: data in,
blocks and dicts out."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from setguide.data import Contact, Data, Forum, cite
from setguide.doc import Block, Bullets, Caution, Field, Gap, Heading, Para, Source, Table
from setguide.names import match

if TYPE_CHECKING:  # places builds its index on import of the gazetteer: only quadrant needs it
    from setguide.places import Resolution

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


# --- quadrant --------------------------------------------------------------


CADENCE_WORDS = {
    "weekly": "weekly",
    "fortnightly": "fortnightly",
    "six-weekly": "every six weeks",
    "monthly": "monthly",
    "bi-monthly": "bi-monthly",
}


def cadence_words(f: Forum) -> str:
    return CADENCE_WORDS[f.cadence] if f.cadence else "no frequency stated"


def forum_line(f: Forum) -> str:
    return f"{f.name} ({cadence_words(f)}) [{cite(f.section)}]"


def quadrant_doc(data: Data, r: Resolution, today: date) -> list[Block]:
    if r.outside:
        return _outside_doc(data, r)
    authority = data.authorities[r.authority]
    where = r.name if r.kind in ("district", "authority") else f"{r.name} ({_kind_word(r.kind)})"
    blocks: list[Block] = []
    if r.kind not in ("district", "authority"):
        district = data.districts[r.district]
        blocks.append(Para(f"{r.name} is in {district.name} ({authority.name})."))
        blocks.append(Source(f"gazetteer: {r.source}"))
    if authority.kind == "unitary":
        contact = data.contacts[authority.contact]
        section = data.forums_of(authority.id)[0].section if data.forums_of(authority.id) else authority.section
        blocks += [
            Heading(f"{where}: not in an Essex MACE quadrant"),
            Para(
                f"{authority.name} is a unitary authority, not part of Essex County Council, "
                "so it is in none of the four Essex MACE quadrants. Its own forums:"
            ),
            Bullets(tuple(forum_line(f) for f in data.forums_of(authority.id))),
            Field(f"{authority.name} SPOC", f"{contact.display_name}, {contact.email}, {contact.phone_text}"),
            *correction_blocks(data, f"contacts.{contact.id}"),
            *stale_blocks(contact, today),
            Source(cite(section)),
        ]
        return blocks
    if r.quadrant is None:  # the county itself
        blocks.append(Heading("Essex MACE quadrants"))
        for q in data.quadrants.values():
            blocks.append(Field(q.name, q.text))
        blocks += [
            Para("Name a district or town to see its quadrant."),
            Source(cite("2.1")),
        ]
        return blocks
    q = data.quadrants[r.quadrant]
    forums = data.forums_of("essex", r.quadrant)
    contact = data.contacts[authority.contact]
    contact_list = data.facts["mace_contact_list"]
    blocks += [
        Heading(f"{where}: {q.name} of the Essex MACE"),
        Field(q.name, q.text),
        Para("Meetings in this quadrant:"),
        Bullets(tuple(forum_line(f) for f in forums)),
        Field(contact_list["name"], contact_list["url"]),
        Field("Essex SPOC", f"{contact.display_name}, {contact.email}, {contact.phone_text}"),
        *correction_blocks(data, f"contacts.{contact.id}"),
        *stale_blocks(contact, today),
        *correction_blocks(data, f"quadrants.{q.id}"),
        Source(cite(q.section)),
    ]
    return blocks


def _outside_doc(data: Data, r: Resolution) -> list[Block]:
    where = f"{r.name} ({r.outside_where})" if r.outside_where else r.name
    outside = data.facts["outside_set"]
    return [
        Heading(f"{where}: outside Southend, Essex and Thurrock"),
        Para("It is in no Essex MACE quadrant and no SET forum covers it."),
        Para(
            "The protocol is also a reference for local authorities, police forces and organisations "
            "outside SET whose concerns need information shared across SET: contact the SPOC of the SET "
            "area concerned (setguide contacts)."
        ),
        Source(cite(outside.section) + (f"; gazetteer: {r.source}" if r.outside_where else "")),
    ]


def _kind_word(kind: str) -> str:
    return {"civil-parish": "civil parish"}.get(kind, kind)


def quadrant_json(data: Data, r: Resolution, today: date) -> dict[str, Any]:
    authority = data.authorities.get(r.authority) if r.authority else None
    q = data.quadrants.get(r.quadrant) if r.quadrant else None
    forums = []
    if authority is not None:
        forums = (
            data.forums_of(authority.id, r.quadrant)
            if authority.kind == "county" and q
            else (data.forums_of(authority.id) if authority.kind == "unitary" else [])
        )
    return {
        "query": r.query,
        "name": r.name,
        "kind": r.kind,
        "authority": authority.id if authority else None,
        "unitary": bool(authority and authority.kind == "unitary"),
        "outside_set": r.outside,
        "district": data.districts[r.district].name if r.district else None,
        "quadrant": {"id": q.id, "name": q.name, "districts": q.text, "source": cite(q.section)} if q else None,
        "forums": [{"id": f.id, "name": f.name, "cadence": f.cadence, "source": cite(f.section)} for f in forums],
        "spoc": contact_json(data, data.contacts[authority.contact], today) if authority else None,
        "mace_contact_list": _mace_list_json(data) if q else None,
        "source": cite(r.source) if not r.source.startswith("http") else r.source,
        "local_corrections": corrections_json(data, f"quadrants.{q.id}") if q else [],
    }


def _mace_list_json(data: Data) -> dict[str, str]:
    fact = data.facts["mace_contact_list"]
    return {"name": fact["name"], "url": fact["url"], "source": cite(fact.section)}


def lookup(data: Data, place: str) -> Resolution:
    from setguide.places import resolve

    return resolve(data, place)


# --- protocol --------------------------------------------------------------


def section_names(data: Data) -> dict[str, list[str]]:
    return {s.id: [s.title, f"§{s.id}", s.cite] for s in data.sections.values()}


def protocol_doc(data: Data, section_id: str | None) -> list[Block]:
    if section_id is None:
        blocks: list[Block] = [Heading(data.title), Para(f"Edition: {data.edition}"), Gap()]
        for s in data.sections.values():
            blocks.append(Field(s.id, f"{s.title} ({s.cite})"))
        blocks.append(Para("Show one: setguide protocol 2.1"))
        return blocks
    s = data.sections[section_id]
    return [Heading(f"{s.cite} {s.title}"), Para(s.text), Source(f"{data.title}, {s.cite}")]
