"""Documents and JSON for `quadrant`. Pure: data in, blocks and dicts out."""

from __future__ import annotations

from datetime import date
from typing import Any

from setguide.base.facts import facts_in, fill, keyed
from setguide.contacts.view import contact_blocks, contact_json
from setguide.forums.cadence import readings
from setguide.forums.view import forum_line
from setguide.model.data import Data, cite
from setguide.output.blocks import Block, Bullets, Example, Field, Gap, Heading, Para, Source
from setguide.places.resolve import Resolution, resolve

# --- quadrant --------------------------------------------------------------


def _spoc(data: Data, authority) -> list[Block]:
    """The area's SPOC as `setguide contacts` shows it: name, role and organisation, email
    and each number; the heading also carries which SPOC the authority names."""
    head, *rest = contact_blocks(data.contacts[authority.contact])
    return [Gap(), head._replace(text=keyed(head.text, *facts_in((head.text, authority.contact)))), *rest]


def note_blocks(r: Resolution) -> list[Block]:
    """The place's note, setguide's own line; an example of what to type is an `Example`."""
    if not r.note:
        return []
    if r.example:
        return [Example(fill("setguide: {}", r.note), r.example)]
    return [Para(fill("setguide: {}", r.note))]


def quadrant_doc(data: Data, r: Resolution, paper: bool = False, spocs: str = "setguide contacts") -> list[Block]:
    """What `setguide quadrant` shows for a place. `paper`: for a page whose own section
    names the quadrants and has no box to type in (the county's list, without the heading
    and the hint to name a place). `spocs`: where the reader finds every SPOC (the command
    at a terminal; a page names its own part)."""
    if r.outside:
        return _outside_doc(data, r, spocs)
    authority = data.authorities[r.authority]
    where = r.name if r.kind in ("district", "authority") else fill("{} ({})", r.name, _kind_word(r.kind))
    blocks: list[Block] = []
    sources: list[str] = []
    blocks += note_blocks(r)  # a shared name: setguide's own line
    if r.kind not in ("district", "authority"):
        district = data.districts[r.district]
        blocks.append(
            Para(
                fill(
                    "{} is in {} ({}).",
                    r.name,
                    district.name,
                    keyed(authority.name, *facts_in((authority.name, r.authority))),
                )
            )
        )
        sources.append(page(r))
    if authority.kind == "unitary":
        return [*blocks, *_unitary_doc(data, r, authority, where, sources)]
    if r.quadrant is None:  # the county itself
        return [*blocks, *_county_doc(data, paper)]
    return [*blocks, *_quadrant_blocks(data, r, authority, where, sources)]


def _unitary_doc(data: Data, r: Resolution, authority, where, sources: list[str]) -> list[Block]:
    """A unitary authority (Southend, Thurrock): no quadrant, its own forums and SPOC."""
    forums = data.forums_of(authority.id)
    section = forums[0].section if forums else authority.section
    return [
        Heading(fill("{}: not in an Essex MACE quadrant", keyed(where, *facts_in((where, r.authority))))),
        Para(
            fill(
                "The four Essex MACE quadrants cover the Essex districts [§2.1]; {} has its own forums [{}]:",
                authority.name,
                cite(section),
            )
        ),
        Bullets(tuple(forum_line(f) for f in forums)),
        *(Para(r) for r in readings(forums)),
        *_unitary(authority),
        *_spoc(data, authority),
        Source("; ".join([*sources, cite(section), "SPOC table"])),
    ]


def _county_doc(data: Data, paper: bool) -> list[Block]:
    """Essex itself: its four quadrants (a page names them under its own heading)."""
    blocks: list[Block] = [] if paper else [Heading("Essex MACE quadrants")]
    blocks += [Field(q.name, q.text) for q in data.quadrants.values()]
    if not paper:
        blocks.append(Para("Name a district or town to see its quadrant."))
    return [*blocks, Source(cite("2.1"))]


def _quadrant_blocks(data: Data, r: Resolution, authority, where, sources: list[str]) -> list[Block]:
    """An Essex district or town: its quadrant, the quadrant's meetings and the SPOC."""
    q = data.quadrants[r.quadrant]
    # The quadrant shown is the district's fact as much as the quadrant's own.
    name = keyed(q.name, *facts_in((q.name, r.quadrant)))
    forums = data.forums_of("essex", r.quadrant)
    contact_list = data.facts["mace_contact_list"]
    return [
        Heading(fill("{}: {} of the Essex MACE", where, name)),
        Field(name, q.text),
        Para("Meetings in this quadrant:"),
        Bullets(tuple(forum_line(f) for f in forums)),
        *(Para(r) for r in readings(forums)),
        Field(contact_list["name"], contact_list["url"]),
        *_spoc(data, authority),
        Source("; ".join([*sources, cite(q.section), "SPOC table"])),
    ]


def _outside_doc(data: Data, r: Resolution, spocs: str) -> list[Block]:
    outside = data.facts["outside_set"]
    if r.outside_where:
        heading = fill("{} ({}): outside Southend, Essex and Thurrock", r.name, r.outside_where)
    elif r.kind == "outside" and r.name.casefold() == "outside set":  # the words themselves, not a place
        heading = "A place outside Southend, Essex and Thurrock (SET)"
    else:
        heading = fill("{}: outside Southend, Essex and Thurrock", r.name)
    place = "It is" if r.outside_where or r.name.casefold() != "outside set" else "A place outside SET is"
    return [
        Heading(heading),
        Para(f"{place} in none of the Essex MACE quadrants, which cover the Essex districts [§2.1]."),
        Para(
            fill(
                "The protocol is also a reference for local authorities, police forces and organisations outside "
                "SET whose concerns need information shared across SET [{}].",
                cite(outside.section),
            )
        ),
        Para(f"setguide: contact the SPOC of the SET area the concern touches ({spocs})."),
        *note_blocks(r),
        Source(cite(outside.section) + (f"; {page(r)}" if r.outside_where else "")),
    ]


def page(r: Resolution) -> str:
    """A gazetteer answer's source: the public page it reproduces, named, with its address."""
    return f"{r.source_title}, {r.source}" if r.source_title else r.source


def _unitary(authority) -> list[Block]:
    """That an authority is unitary is not in the protocol: said with its named source."""
    if not authority.kind_source:
        return []
    return [
        Para(
            fill(
                "{} is a unitary authority ({}: {}).", authority.name, authority.kind_source, authority.kind_source_url
            )
        )
    ]


def _kind_word(kind: str) -> str:
    return {"civil-parish": "civil parish"}.get(kind, kind)


def quadrant_json(data: Data, r: Resolution, today: date) -> dict[str, Any]:
    """The answer as data; `local_corrections` are added by the trust pass from the facts it holds."""
    authority = data.authorities.get(r.authority) if r.authority else None
    q = data.quadrants.get(r.quadrant) if r.quadrant else None
    kind = authority if r.kind == "authority" and authority is not None and authority.kind_source else None
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
        "authority": r.authority,
        "unitary": bool(authority and authority.kind == "unitary"),
        "outside_set": r.outside,
        "district": data.districts[r.district].name if r.district else None,
        "quadrant": {
            "id": r.quadrant,  # the district's fact: marked when the district's quadrant is corrected
            "name": q.name,
            "districts": q.text,
            "source": cite(q.section),
        }
        if q
        else None,
        "forums": [{"id": f.id, "name": f.name, "cadence": f.cadence, "source": cite(f.section)} for f in forums],
        "spoc": contact_json(data, data.contacts[authority.contact], today) | {"named_by": authority.contact}
        if authority
        else None,
        "mace_contact_list": _mace_list_json(data) if q else None,
        # A unitary authority is one by its named source (as the text says), not by a § of the protocol.
        "source": kind.kind_source_url if kind else (cite(r.source) if not r.source.startswith("http") else r.source),
        "source_title": kind.kind_source if kind else (r.source_title or None),
        "note": r.note_text,
    }


def _mace_list_json(data: Data) -> dict[str, str]:
    fact = data.facts["mace_contact_list"]
    return {"name": fact["name"], "url": fact["url"], "source": cite(fact.section)}


def lookup(data: Data, place: str) -> Resolution:
    return resolve(data, place)
