"""Documents and JSON for `quadrant`. Pure: data in, blocks and dicts out."""

from __future__ import annotations

from datetime import date
from typing import Any

from setguide.contacts.view import contact_json, correction_blocks, corrections_json, stale_blocks
from setguide.forums.view import forum_line
from setguide.model.data import Data, cite
from setguide.output.blocks import Block, Bullets, Field, Heading, Para, Source
from setguide.places.resolve import Resolution, resolve

# --- quadrant --------------------------------------------------------------


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
    return resolve(data, place)
