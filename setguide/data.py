"""The protocol as typed, validated data.

Every fact lives in `data/*.toml`. This module reads those files with tomllib,
checks every field and every cross-reference, and returns frozen objects. A fault
becomes one `DataError` naming the file and the field, so a broken edit is found
at load, not in the middle of an emergency.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from setguide.errors import DataError

FILES = ("protocol", "contacts", "facts", "places", "forums", "gazetteer")

CADENCES = ("weekly", "fortnightly", "six-weekly", "monthly", "bi-monthly")
PLACE_KINDS = ("town", "village", "civil-parish", "hamlet", "area")
AUTHORITY_KINDS = ("county", "unitary")
SET_WIDE = "set"

# The fields each §1 fact must carry, beyond `section`. Outcomes and rendering rely on them.
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "emergency": ("number", "service", "when", "text"),
    "police_point_of_contact": ("text",),
    "triage_line": (
        "team",
        "number",
        "extensions",
        "phone_text",
        "days",
        "opens",
        "closes",
        "hours_text",
        "verbal_referral",
    ),
    "out_of_hours": ("number", "via", "team", "text", "cait", "cait_text"),
    "sharing_form": ("name", "url", "text"),
    "secure_email": ("domains", "rule_text"),
    "triage_email": ("address", "team"),
    "share_with_police": ("text", "how", "examples"),
    "procedures": ("name", "url", "complement"),
    "weisf": ("name", "url"),
    "outside_set": ("text",),
    "mace_contact_list": ("name", "url", "text"),
}


def data_dir() -> Path:
    """The packaged data: inside the installed package, else the checkout's `data/`."""
    override = os.environ.get("SETGUIDE_DATA_DIR")
    if override:
        return Path(override)
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


# --- typed objects ---------------------------------------------------------


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str

    @property
    def cite(self) -> str:
        return cite(self.id)


def cite(section_id: str) -> str:
    """How a citation is written: '§2.1', or 'SPOC table' for the contact table."""
    if section_id == "spoc":
        return "SPOC table"
    if section_id[0].isdigit():
        return f"§{section_id}"
    return f"protocol: {section_id}"


@dataclass(frozen=True)
class Phone:
    number: str | None
    extension: str | None


@dataclass(frozen=True)
class Contact:
    id: str
    area: str
    aliases: tuple[str, ...]
    name: str
    rank: str | None
    role: str
    organisation: str
    email: str
    phone_text: str
    phones: tuple[Phone, ...]
    section: str
    verified: date

    @property
    def display_name(self) -> str:
        return f"{self.name} {self.rank}" if self.rank else self.name


@dataclass(frozen=True)
class Fact:
    id: str
    section: str
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass(frozen=True)
class Authority:
    id: str
    name: str
    council: str
    kind: str
    aliases: tuple[str, ...]
    contact: str
    child_protection_page: str
    section: str


@dataclass(frozen=True)
class Quadrant:
    id: str
    name: str
    text: str
    section: str


@dataclass(frozen=True)
class District:
    id: str
    name: str
    aliases: tuple[str, ...]
    authority: str
    quadrant: str | None
    section: str


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Forum:
    id: str
    name: str
    long_name: str
    authority: str
    quadrant: str | None
    cadence: str | None
    cadence_text: str
    chair: str
    attendees: str
    purpose: tuple[str, ...]
    themes: tuple[str, ...]
    section: str


@dataclass(frozen=True)
class Place:
    name: str
    district: str
    kind: str
    aliases: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class OutsidePlace:
    name: str
    where: str
    source: str


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one load, one object
class Data:
    title: str
    edition: str
    read_on: date
    sections: dict[str, Section]
    contacts: dict[str, Contact]
    facts: dict[str, Fact]
    authorities: dict[str, Authority]
    quadrants: dict[str, Quadrant]
    districts: dict[str, District]
    themes: dict[str, Theme]
    forums: dict[str, Forum]
    notes: dict[str, Fact]
    places: tuple[Place, ...]
    outside: tuple[OutsidePlace, ...]
    source_dir: Path = field(compare=False)
    # Local corrections applied, by key (see setguide.local); empty for the packaged data.
    corrections: dict[str, Any] = field(default_factory=dict, compare=False)

    def corrected(self, prefix: str) -> list[Any]:
        """The local corrections under a key prefix, e.g. 'contacts.thurrock' or 'facts.triage_line'."""
        return [c for k, c in self.corrections.items() if k.startswith(prefix + ".")]

    def quadrant_districts(self, quadrant_id: str) -> list[District]:
        return [d for d in self.districts.values() if d.quadrant == quadrant_id]

    def forums_of(self, authority_id: str, quadrant_id: str | None = None) -> list[Forum]:
        return [
            f
            for f in self.forums.values()
            if f.authority == authority_id and (quadrant_id is None or f.quadrant in (None, quadrant_id))
        ]


# --- reading with field-level errors --------------------------------------


class Node:
    """One TOML table, with the file and dotted path to name in any error."""

    def __init__(self, file: str, path: str, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise DataError(file, path or "(top)", f"expected a table, found {_kind(raw)}")
        self.file = file
        self.path = path
        self.raw = raw

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> DataError:
        return DataError(self.file, self._where(key), problem)

    def get(self, key: str, kind: type | tuple[type, ...], optional: bool = False) -> Any:
        if key not in self.raw:
            if optional:
                return None
            raise self.error(key, "missing")
        value = self.raw[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            kinds = kind if isinstance(kind, tuple) else (kind,)
            want = " or ".join(_KIND_NAMES.get(k, _article(k.__name__)) for k in kinds)
            raise self.error(key, f"expected {want}, found {_kind(value)}")
        return value

    def str(self, key: str, optional: bool = False) -> str | None:
        value = self.get(key, str, optional)
        if value is not None and not value.strip():
            raise self.error(key, "is empty")
        return value

    def strs(self, key: str, optional: bool = False) -> tuple[str, ...]:
        value = self.get(key, list, optional)
        if value is None:
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{key}[{i}]", f"expected a non-empty string, found {_kind(item)}")
        return tuple(value)

    def date(self, key: str) -> date:
        value = self.get(key, date)
        return value

    def one_of(self, key: str, allowed: Any, optional: bool = False) -> str | None:
        value = self.str(key, optional)
        if value is not None and value not in allowed:
            raise self.error(key, f"unknown id {value!r} (known: {', '.join(sorted(allowed))})")
        return value

    def tables(self, key: str, optional: bool = False) -> list[Node]:
        value = self.get(key, list, optional)
        if value is None:
            return []
        return [Node(self.file, f"{self._where(key)}[{i}]", item) for i, item in enumerate(value)]

    def table(self, key: str) -> Node:
        return Node(self.file, self._where(key), self.get(key, dict))


_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "a table",
    date: "a date (YYYY-MM-DD)",
}


def _kind(value: Any) -> str:
    return _KIND_NAMES.get(type(value), _article(type(value).__name__))


def _article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataError(str(path), "(file)", "not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(str(path), "(syntax)", str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(str(path), "(file)", f"cannot be read: {exc}") from None


def _unique(nodes: list[Node], key: str = "id") -> dict[str, Node]:
    seen: dict[str, Node] = {}
    for node in nodes:
        value = node.str(key)
        if value in seen:
            raise node.error(key, f"duplicate id {value!r}")
        seen[value] = node
    return seen


# --- the loader ------------------------------------------------------------


def read_raw(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    directory = directory or data_dir()
    return {name: read_toml(directory / f"{name}.toml") for name in FILES}


def load(directory: Path | None = None, corrections: bool = False) -> Data:
    """The data in `directory` (default: packaged), with the user's local corrections if asked."""
    directory = directory or data_dir()
    raw = read_raw(directory)
    if not corrections:
        return build(raw, directory)
    from setguide import local
    from setguide.userfiles import read_user_toml, user_path

    file = str(user_path(local.FILE))
    table = local.read(read_user_toml(local.FILE), file)
    if not table:
        return build(raw, directory)
    corrected, applied = local.apply(raw, table, file)
    try:
        data = build(corrected, directory)
    except DataError as exc:
        build(raw, directory)  # if the packaged data is itself broken, say that instead
        keys = ", ".join(c.key for c in applied)
        raise DataError(file, "override", f"a local correction ({keys}) makes the data invalid: {exc}") from None
    data.corrections.update({c.key: c for c in applied})
    return data


@cache
def get() -> Data:
    """The packaged data with the user's local corrections, read once per process."""
    return load(corrections=True)


def build(raw: dict[str, dict[str, Any]], directory: Path) -> Data:
    """Validate raw TOML tables (one per file in FILES) into `Data`."""
    docs = {name: Node(f"{name}.toml", "", raw[name]) for name in FILES}

    proto = docs["protocol"]
    meta = proto.table("protocol")
    sections = {sid: Section(sid, n.str("title"), n.str("text")) for sid, n in _unique(proto.tables("section")).items()}

    def section_of(node: Node) -> str:
        return node.one_of("section", sections)

    contacts = {}
    for cid, n in _unique(docs["contacts"].tables("contact")).items():
        phones = []
        for p in n.tables("phones"):
            number, ext = p.str("number", optional=True), p.str("extension", optional=True)
            if number is None and ext is None:
                raise p.error("number", "missing (a phone needs a number, an extension, or both)")
            phones.append(Phone(number, ext))
        if not phones:
            raise n.error("phones", "is empty")
        email = n.str("email")
        if "@" not in email:
            raise n.error("email", f"not an email address: {email!r}")
        contacts[cid] = Contact(
            id=cid,
            area=n.str("area"),
            aliases=n.strs("aliases", optional=True),
            name=n.str("name"),
            rank=n.str("rank", optional=True),
            role=n.str("role"),
            organisation=n.str("organisation"),
            email=email,
            phone_text=n.str("phone_text"),
            phones=tuple(phones),
            section=section_of(n),
            verified=n.date("verified"),
        )

    facts_doc = docs["facts"]
    facts = {}
    for fid, required in FACT_FIELDS.items():
        n = facts_doc.table(fid)
        values: dict[str, Any] = {}
        for key in required:
            if isinstance(n.raw.get(key), list):
                values[key] = n.strs(key)
            else:
                values[key] = n.str(key)
        facts[fid] = Fact(fid, section_of(n), values)
    for fid in facts_doc.raw:
        if fid not in FACT_FIELDS:
            raise facts_doc.error(fid, f"unknown fact (known: {', '.join(FACT_FIELDS)})")
    for key in ("opens", "closes"):
        _check_hhmm(facts_doc.table("triage_line"), key)

    places_doc = docs["places"]
    authorities = {}
    for aid, n in _unique(places_doc.tables("authority")).items():
        authorities[aid] = Authority(
            id=aid,
            name=n.str("name"),
            council=n.str("council"),
            kind=n.one_of("kind", AUTHORITY_KINDS),
            aliases=n.strs("aliases", optional=True),
            contact=n.one_of("contact", contacts),
            child_protection_page=n.str("child_protection_page"),
            section=section_of(n),
        )
    quadrants = {
        qid: Quadrant(qid, n.str("name"), n.str("text"), section_of(n))
        for qid, n in _unique(places_doc.tables("quadrant")).items()
    }
    districts = {}
    for did, n in _unique(places_doc.tables("district")).items():
        authority = n.one_of("authority", authorities)
        quadrant = n.one_of("quadrant", quadrants, optional=authorities[authority].kind != "county")
        if quadrant and authorities[authority].kind != "county":
            raise n.error("quadrant", "only districts of the county are in an Essex MACE quadrant")
        districts[did] = District(
            did, n.str("name"), n.strs("aliases", optional=True), authority, quadrant, section_of(n)
        )
    for qid in quadrants:
        if not any(d.quadrant == qid for d in districts.values()):
            raise DataError("places.toml", f"quadrant {qid!r}", "has no district")

    forums_doc = docs["forums"]
    themes = {
        tid: Theme(tid, n.str("label"), n.str("description")) for tid, n in _unique(forums_doc.tables("theme")).items()
    }
    forums: dict[str, Forum] = {}
    for fid, n in _unique(forums_doc.tables("forum")).items():
        authority = n.one_of("authority", [*authorities, SET_WIDE])
        quadrant_ids = n.strs("quadrants", optional=True)
        for i, q in enumerate(quadrant_ids):
            if q not in quadrants:
                raise n.error(f"quadrants[{i}]", f"unknown id {q!r} (known: {', '.join(quadrants)})")
        themes_of = n.strs("themes")
        for i, t in enumerate(themes_of):
            if t not in themes:
                raise n.error(f"themes[{i}]", f"unknown id {t!r} (known: {', '.join(themes)})")
        common = dict(
            authority=authority,
            cadence=n.one_of("cadence", CADENCES, optional=True),
            cadence_text=n.str("cadence_text"),
            chair=n.str("chair"),
            attendees=n.str("attendees"),
            purpose=n.strs("purpose"),
            themes=themes_of,
            section=section_of(n),
        )
        if quadrant_ids:
            for q in quadrant_ids:
                qid = f"{fid}-{q}"
                forums[qid] = Forum(
                    id=qid,
                    name=f"{n.str('name')} – {quadrants[q].name}",
                    long_name=f"{n.str('long_name')} – {quadrants[q].name}",
                    quadrant=q,
                    **common,
                )
        else:
            forums[fid] = Forum(id=fid, name=n.str("name"), long_name=n.str("long_name"), quadrant=None, **common)
    notes = {}
    for key in ("essex_mace_channel", "thurrock_governance", "southend_governance"):
        n = forums_doc.table(key)
        values = {k: (n.strs(k) if isinstance(v, list) else n.str(k)) for k, v in n.raw.items() if k != "section"}
        notes[key] = Fact(key, section_of(n), values)

    gaz = docs["gazetteer"]
    places = []
    seen_names: dict[tuple[str, str], Node] = {}
    for n in gaz.tables("place"):
        p = Place(
            name=n.str("name"),
            district=n.one_of("district", districts),
            kind=n.one_of("kind", PLACE_KINDS),
            aliases=n.strs("aliases", optional=True),
            source=n.str("source"),
        )
        key = (p.name.casefold(), p.district)
        if key in seen_names:
            raise n.error("name", f"duplicate place {p.name!r} in {p.district}")
        seen_names[key] = n
        places.append(p)
    outside = [
        OutsidePlace(n.str("name"), n.str("where"), n.str("source")) for n in gaz.tables("outside", optional=True)
    ]

    return Data(
        title=meta.str("title"),
        edition=meta.str("edition"),
        read_on=meta.date("read_on"),
        sections=sections,
        contacts=contacts,
        facts=facts,
        authorities=authorities,
        quadrants=quadrants,
        districts=districts,
        themes=themes,
        forums=forums,
        notes=notes,
        places=tuple(places),
        outside=tuple(outside),
        source_dir=directory,
    )


def _check_hhmm(node: Node, key: str) -> None:
    value = node.str(key)
    hh, _, mm = value.partition(":")
    if not (hh.isdigit() and mm.isdigit() and len(hh) == 2 and len(mm) == 2 and int(hh) < 24 and int(mm) < 60):
        raise node.error(key, f"expected a time HH:MM, found {value!r}")
