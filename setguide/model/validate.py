"""Validation: the raw TOML of `data/*.toml` checked field by field and every
cross-reference followed, into typed records. A fault becomes one `DataError`
naming the file and the field, so a broken edit is found at load, not in the
middle of an emergency. Local corrections pass through the same checks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from setguide.base.clock import parse_hhmm
from setguide.base.errors import DataError
from setguide.base.facts import Val, facts_in, fill
from setguide.base.text import CONTROL
from setguide.model.records import (
    Authority,
    Contact,
    CurrentProcedures,
    Data,
    District,
    Fact,
    Forum,
    FrontDoor,
    Hours,
    NamedSource,
    OutsidePlace,
    Phone,
    Place,
    Quadrant,
    Section,
    Theme,
)

FILES = ("protocol", "contacts", "facts", "places", "forums", "gazetteer", "frontdoors")
# Every packaged data file and what loads it: the files above are built into Data by
# `build`; the rest are loaded beside it, each by its feature's own function
# ("module:function", called with the Data). `data verify` checks each file with the very
# function that loads it, and a data file missing here is an error there.
# "" marks a file setguide itself never reads (its tests do): its syntax is checked.
LOADERS: dict[str, str | None] = {
    **dict.fromkeys(FILES),
    "tree": "setguide.triage.tree:load_tree",
    "search": "setguide.find.lexicon:search_data",
    "notes": "setguide.find.lexicon:notes",
    "paraphrases": "",
}

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
    "secure_email": ("domains", "rule_text", "suffixes"),
    "triage_email": ("address", "team"),
    "share_with_police": ("text", "how", "examples"),
    "procedures": ("name", "url", "complement"),
    "weisf": ("name", "url"),
    "outside_set": ("text",),
    "mace_contact_list": ("name", "url", "text"),
}


class Node:
    """One TOML table, with the file and dotted path to name in any error."""

    def __init__(self, file: str, path: str, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise DataError(file, path or "(top)", f"expected a table, found {_kind(raw)}")
        self.file = file
        self.path = path
        self.raw = raw
        self.fact: str | None = None

    def as_fact(self, prefix: str) -> Node:
        """From now on its strings are `Val`s keyed `prefix.field`: the keys local
        corrections use, so every view that shows one can be marked."""
        self.fact = prefix
        return self

    def _val(self, key: str, value: str) -> str:
        return Val(value, (f"{self.fact}.{key}",)) if self.fact else value

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
        if value is not None and CONTROL.search(value):
            # An escape sequence in a value could rewrite the screen: hide a caution, fake a number.
            raise self.error(key, "contains a control character")
        return value if value is None else self._val(key, value)

    def strs(self, key: str, optional: bool = False) -> tuple[str, ...]:
        value = self.get(key, list, optional)
        if value is None:
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{key}[{i}]", f"expected a non-empty string, found {_kind(item)}")
        return tuple(self._val(key, item) for item in value)

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


def _unique(nodes: list[Node], key: str = "id") -> dict[str, Node]:
    seen: dict[str, Node] = {}
    for node in nodes:
        value = node.str(key)
        if value in seen:
            raise node.error(key, f"duplicate id {value!r}")
        seen[value] = node
    return seen


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
        n.as_fact(f"contacts.{cid}")
        phones = []
        for p in n.tables("phones"):
            number, ext = p.str("number", optional=True), p.str("extension", optional=True)
            for key, value in (("number", number), ("extension", ext)):
                if value is not None and not DIGITS.fullmatch(value):
                    raise p.error(key, f"not a phone number: {value!r}")
            if number is None and ext is None:
                raise p.error("number", "missing (a phone needs a number, an extension, or both)")
            phones.append(Phone(number, ext))
        if not phones:
            raise n.error("phones", "is empty")
        email = _checked(n, "email", EMAIL)
        _checked(n, "phone_text", PHONE_TEXT)
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
            checked=n.date("checked"),
            confirmed=n.date("confirmed") if "confirmed" in n.raw else None,
            confirmed_by=n.str("confirmed_by", optional="confirmed" not in n.raw),
        )

    facts_doc = docs["facts"]
    facts = {}
    for fid, required in FACT_FIELDS.items():
        n = facts_doc.table(fid).as_fact(f"facts.{fid}")
        values: dict[str, Any] = {}
        for key in required:
            if isinstance(n.raw.get(key), list):
                values[key] = n.strs(key)
            else:
                values[key] = n.str(key)
            shape = FACT_SHAPES.get(key)
            if shape is not None:
                items = values[key] if isinstance(values[key], tuple) else (values[key],)
                for i, item in enumerate(items):
                    if not shape[0].fullmatch(item):
                        where = key if isinstance(values[key], str) else f"{key}[{i}]"
                        raise n.error(where, f"not {shape[1]}: {item!r}")
        if "phone_text" in values:
            # The number as written restates the number and extensions: a correction to
            # either changes what it means, so it is marked with them.
            parts = [values[k] for k in ("number", "extensions") if k in values]
            values["phone_text"] = Val(values["phone_text"], facts_in((values["phone_text"], parts)))
        facts[fid] = Fact(fid, section_of(n), values)
    for fid in facts_doc.raw:
        if fid not in FACT_FIELDS:
            raise facts_doc.error(fid, f"unknown fact (known: {', '.join(FACT_FIELDS)})")
    secure = facts_doc.table("secure_email")
    if len(facts["secure_email"]["suffixes"]) != len(facts["secure_email"]["domains"]):
        raise secure.error("suffixes", "needs one suffix for each of the domains, in the same order")
    for key in ("opens", "closes"):
        _check_hhmm(facts_doc.table("triage_line"), key)

    places_doc = docs["places"]
    authorities = {}
    for aid, n in _unique(places_doc.tables("authority")).items():
        n.as_fact(f"authorities.{aid}")
        authorities[aid] = Authority(
            id=aid,
            name=n.str("name"),
            council=n.str("council"),
            kind=n.one_of("kind", AUTHORITY_KINDS),
            aliases=n.strs("aliases", optional=True),
            contact=n.one_of("contact", contacts),
            child_protection_page=_checked(n, "child_protection_page", URL),
            section=section_of(n),
            kind_source=n.str("kind_source", optional=True),
            kind_source_url=n.str("kind_source_url", optional="kind_source" not in n.raw),
        )
    quadrants = {
        qid: Quadrant(qid, n.str("name"), n.str("text"), section_of(n))
        for qid, n in ((q, m.as_fact(f"quadrants.{q}")) for q, m in _unique(places_doc.tables("quadrant")).items())
    }
    districts = {}
    for did, n in _unique(places_doc.tables("district")).items():
        n.as_fact(f"districts.{did}")
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
        n.as_fact(f"forums.{fid}")
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
            said=_said(n),
            readings=n.strs("readings", optional=True),
        )
        if quadrant_ids:
            for q in quadrant_ids:
                qid = f"{fid}-{q!s}"  # an id, not shown: its keys are not wanted
                forums[qid] = Forum(
                    id=qid,
                    name=fill("{} – {}", n.str("name"), quadrants[q].name),
                    long_name=fill("{} – {}", n.str("long_name"), quadrants[q].name),
                    quadrant=q,
                    data_id=fid,
                    base_name=n.str("name"),
                    base_long_name=n.str("long_name"),
                    **common,
                )
        else:
            name, long_name = n.str("name"), n.str("long_name")
            forums[fid] = Forum(
                id=fid,
                name=name,
                long_name=long_name,
                quadrant=None,
                data_id=fid,
                base_name=name,
                base_long_name=long_name,
                **common,
            )
    notes = {}
    for key in ("essex_mace_channel", "thurrock_governance", "southend_governance"):
        n = forums_doc.table(key)
        values = {
            k: (n.strs(k) if isinstance(v, list) else n.str(k))
            for k, v in n.raw.items()
            if k not in ("section", "said")
        }
        values["said"] = _said(n)
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
            source=_checked(n, "source", URL),
            source_title=n.str("source_title"),
            read_at=n.str("read_at", optional=True),
            also_outside=n.strs("also_outside", optional=True),
        )
        key = (p.name.casefold(), p.district)
        if key in seen_names:
            raise n.error("name", f"duplicate place {p.name!r} in {p.district}")
        seen_names[key] = n
        places.append(p)
    outside = [
        OutsidePlace(
            n.str("name"),
            n.str("where"),
            _checked(n, "source", URL),
            n.str("source_title"),
            n.str("read_at", optional=True),
        )
        for n in gaz.tables("outside", optional=True)
    ]

    sources, front_doors, current_procedures = _named_sources(docs["frontdoors"], authorities)

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
        theme_reading=forums_doc.table("theme_reading").str("text"),
        places=tuple(places),
        outside=tuple(outside),
        sources=sources,
        front_doors=front_doors,
        current_procedures=current_procedures,
        source_dir=directory,
    )


SOURCE_KINDS = ("authority", "partner")
BANK_HOLIDAYS = ("out-of-hours", "not-stated")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# "mon tue wed thu 08:45-17:15": the days, then opens-closes (UK time).
HOURS = re.compile(r"((?:[a-z]{3} )+)([0-9]{2}:[0-9]{2})-([0-9]{2}:[0-9]{2})")
FRONT_DOOR_SHOWN = (
    "name",
    "office_phone",
    "office_hours",
    "hours",
    "bank_holidays",
    "closed_days",
    "out_of_hours_phone",
    "out_of_hours_name",
    "out_of_hours_hours",
    "refer",
    "refer_url",
    "refer_email",
    "moved_to",
)


def _hours(node: Node) -> tuple[Hours, ...]:
    found = []
    for i, text in enumerate(node.strs("hours", optional=True)):
        m = HOURS.fullmatch(text)
        if m is None:
            raise node.error(f"hours[{i}]", f"not days and hours like 'mon tue 08:45-17:15': {text!r}")
        days = tuple(m.group(1).split())
        bad = [d for d in days if d not in WEEKDAYS]
        if bad:
            raise node.error(f"hours[{i}]", f"not days of the week: {', '.join(bad)} (use {', '.join(WEEKDAYS)})")
        opens, closes = m.group(2), m.group(3)
        for t in (opens, closes):
            try:
                parse_hhmm(t)
            except ValueError:
                raise node.error(f"hours[{i}]", f"not a time of day (HH:MM): {t!r}") from None
        if not opens < closes:
            raise node.error(f"hours[{i}]", f"opens ({opens}) must be before it closes ({closes})")
        found.append(Hours(tuple(Val(d, (f"{node.fact}.hours",)) for d in days), opens, closes))
    return tuple(found)


def _days(node: Node, key: str) -> tuple[str, ...]:
    days = node.strs(key, optional=True)
    for i, d in enumerate(days):
        if d not in WEEKDAYS:
            raise node.error(f"{key}[{i}]", f"not a day of the week: {d!r} (use {', '.join(WEEKDAYS)})")
    return days


def _named_sources(doc: Node, authorities: dict[str, Authority]):
    """frontdoors.toml: the named public sources, each authority's front door from them,
    and where the current SET Child Protection Procedures are."""
    sources = {}
    for sid, n in _unique(doc.tables("source")).items():
        sources[sid] = NamedSource(
            id=sid,
            title=n.str("title"),
            url=_checked(n, "url", URL),
            read_at=n.str("read_at"),
            dated=n.date("dated") if "dated" in n.raw else None,
            kind=n.one_of("kind", SOURCE_KINDS),
        )
    front_doors = {}
    for aid, n in _unique(doc.tables("front_door")).items():
        n.one_of("id", authorities)
        n.as_fact(f"frontdoors.{aid}")
        # `sources`: the source of every field shown ("default"), and of any field read elsewhere.
        per_field = dict(n.get("sources", dict))
        default = per_field.pop("default", None)
        for field, sid in (("default", default), *per_field.items()):
            if field != "default" and field not in FRONT_DOOR_SHOWN:
                raise n.error(f"sources.{field}", f"not a field shown (known: {', '.join(FRONT_DOOR_SHOWN)})")
            if sid not in sources:
                raise n.error(f"sources.{field}", f"unknown source {sid!r} (known: {', '.join(sorted(sources))})")
        for field in FRONT_DOOR_SHOWN:
            if field in n.raw and per_field.get(field, default) is None:
                raise n.error("sources", f"no source for {field!r}: give sources.default or sources.{field}")
        front_doors[aid] = FrontDoor(
            id=aid,
            name=n.str("name"),
            office_phone=_checked(n, "office_phone", PHONE_TEXT),
            office_hours=n.str("office_hours", optional=True),
            hours=_hours(n),
            hours_reading=n.str("hours_reading", optional=True),
            bank_holidays=n.one_of("bank_holidays", BANK_HOLIDAYS),
            closed_days=_days(n, "closed_days"),
            out_of_hours_phone=_checked(n, "out_of_hours_phone", PHONE_TEXT),
            out_of_hours_name=n.str("out_of_hours_name", optional=True),
            out_of_hours_hours=n.str("out_of_hours_hours", optional=True),
            refer=n.str("refer", optional=True),
            refer_url=_checked(n, "refer_url", URL) if "refer_url" in n.raw else None,
            refer_email=_checked(n, "refer_email", EMAIL) if "refer_email" in n.raw else None,
            moved_to=_checked(n, "moved_to", URL) if "moved_to" in n.raw else None,
            sources={f: per_field.get(f, default) for f in FRONT_DOOR_SHOWN if f in n.raw},
            disagreement=n.str("disagreement", optional=True),
        )
    current = None
    if "procedures" in doc.raw:
        n = doc.table("procedures").as_fact("current.procedures")
        current = CurrentProcedures(
            name=n.str("name"),
            edition=n.str("edition"),
            url=_checked(n, "url", URL),
            source=n.one_of("source", sources),
        )
    return sources, front_doors, current


# The shape of every exact value a user acts on. A typo, or a local correction
# that is not a number, an address or a link, is refused here, at load.
# ASCII digits only: "١٨٠٠٢٢" and "１０１" match \d but are not what a phone dials.
DIGITS = re.compile(r"[0-9][0-9 ]*[0-9]|[0-9]")
PHONE_TEXT = (re.compile(r"[^\n]*[0-9]{3}[^\n]*"), "a phone number")
EMAIL = (re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"), "an email address")
URL = (re.compile(r"https?://[^\s/]+\.[^\s]+"), "a web address (http:// or https://)")
FACT_SHAPES = {
    "number": (DIGITS, "a phone number"),
    "extensions": (DIGITS, "a phone extension"),
    "url": URL,
    "address": EMAIL,
}


SAID_KINDS = ("verbatim", "paraphrase", "setguide", "source")


def _said(node: Node) -> dict[str, str]:
    """A table's `said` map: the provenance of those of its fields that are not verbatim."""
    said = node.get("said", dict, optional=True) or {}
    for field, kind in said.items():
        if kind not in SAID_KINDS:
            raise node.error(f"said.{field}", f"unknown kind {kind!r} (known: {', '.join(SAID_KINDS)})")
    return said


def _checked(node: Node, key: str, shape: tuple[re.Pattern, str]) -> str:
    value = node.str(key)
    if not shape[0].fullmatch(value):
        raise node.error(key, f"not {shape[1]}: {value!r}")
    return value


def _check_hhmm(node: Node, key: str) -> None:
    value = node.str(key)
    try:
        parse_hhmm(value)
    except ValueError:
        raise node.error(key, f"expected a time HH:MM, found {value!r}") from None
