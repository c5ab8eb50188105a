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
    Beside,
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
# Every packaged data file and what reads it: the files above are built into Data by
# `build`; the features load the rest beside it, each with its own function, which
# `data verify` (setguide.verify, above the features) is given and runs; a data file
# missing here is an error there. "tests": a file setguide itself never reads (its tests
# do): its syntax is checked.
FEATURE_FILES = ("tree", "search", "notes")
DATA_FILES: dict[str, str] = {
    **dict.fromkeys(FILES, "data"),
    **dict.fromkeys(FEATURE_FILES, "feature"),
    "paraphrases": "tests",
}

CADENCES = ("weekly", "fortnightly", "six-weekly", "monthly", "bi-monthly", "quarterly")
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
    contacts = _contacts(docs["contacts"], sections)
    facts = _facts(docs["facts"], sections)
    authorities, quadrants, districts = _places(docs["places"], sections, contacts)
    sources, front_doors, current_procedures = _named_sources(docs["frontdoors"], authorities)
    besides = _besides(docs["frontdoors"], sources)
    themes, forums, notes = _forums(docs["forums"], sections, authorities, quadrants, sources)
    places, outside = _gazetteer(docs["gazetteer"], districts)
    _check_names(docs["places"], authorities, districts, places)
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
        theme_reading=docs["forums"].table("theme_reading").str("text"),
        places=places,
        outside=outside,
        sources=sources,
        front_doors=front_doors,
        current_procedures=current_procedures,
        besides=besides,
        source_dir=directory,
    )


def _section_of(node: Node, sections: dict[str, Section]) -> str:
    return node.one_of("section", sections)


def _contacts(doc: Node, sections: dict[str, Section]) -> dict[str, Contact]:
    contacts = {}
    for cid, n in _unique(doc.tables("contact")).items():
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
            section=_section_of(n, sections),
            checked=n.date("checked"),
            confirmed=n.date("confirmed") if "confirmed" in n.raw else None,
            confirmed_by=n.str("confirmed_by", optional="confirmed" not in n.raw),
        )
    return contacts


def _facts(doc: Node, sections: dict[str, Section]) -> dict[str, Fact]:
    facts = {}
    for fid, required in FACT_FIELDS.items():
        n = doc.table(fid).as_fact(f"facts.{fid}")
        values: dict[str, Any] = {}
        for key in required:
            values[key] = n.strs(key) if isinstance(n.raw.get(key), list) else n.str(key)
            _check_shape(n, key, values[key])
        if "phone_text" in values:
            # The number as written restates the number and extensions: a correction to
            # either changes what it means, so it is marked with them.
            parts = [values[k] for k in ("number", "extensions") if k in values]
            values["phone_text"] = Val(values["phone_text"], facts_in((values["phone_text"], parts)))
        facts[fid] = Fact(fid, _section_of(n, sections), values)
    for fid in doc.raw:
        if fid not in FACT_FIELDS:
            raise doc.error(fid, f"unknown fact (known: {', '.join(FACT_FIELDS)})")
    secure = doc.table("secure_email")
    if len(facts["secure_email"]["suffixes"]) != len(facts["secure_email"]["domains"]):
        raise secure.error(
            "suffixes",
            "needs one suffix for each of the domains, in the same order "
            "(to change both, set facts.secure_email.domains and facts.secure_email.suffixes in one command)",
        )
    _check_line_hours(doc.table("triage_line"))
    return facts


def _check_shape(n: Node, key: str, value: Any) -> None:
    shape = FACT_SHAPES.get(key)
    if shape is None:
        return
    items = value if isinstance(value, tuple) else (value,)
    for i, item in enumerate(items):
        if not shape[0].fullmatch(item):
            where = key if isinstance(value, str) else f"{key}[{i}]"
            raise n.error(where, f"not {shape[1]}: {item!r}")


# The shortest day the triage line can have: setguide shows a moment in its hours, one
# just before it closes (from `closing_minutes`, 30, in tree.toml) and one after it.
MIN_LINE_MINUTES = 120
# England's weekday bank holidays fall every year on a Monday (Easter Monday, May, August)
# and a Friday (Good Friday): a line open on neither would never meet the bank-holiday rule.
HOLIDAY_WEEKDAYS = ("mon", "fri")


def _check_line_hours(n: Node) -> None:
    """The triage line's hours as setguide routes by them and the card shows them."""
    opens, closes = (_check_hhmm(n, key) for key in ("opens", "closes"))
    if not opens < closes:
        raise n.error("opens", f"the line opens ({n.raw['opens']}) after it closes ({n.raw['closes']}): check the time")
    if closes - opens < MIN_LINE_MINUTES:
        raise n.error(
            "closes",
            f"the line is open {n.raw['opens']}-{n.raw['closes']}, under {MIN_LINE_MINUTES // 60} hours a day: "
            "check the times",
        )
    days = _days(n, "days")
    if not days:
        raise n.error("days", "no day given: the line must open on at least one day")
    if len(set(days)) != len(days):
        raise n.error("days", "a day is given twice")
    if not set(days) & set(HOLIDAY_WEEKDAYS):
        raise n.error(
            "days",
            "the line must open on a Monday or a Friday: England's weekday bank holidays fall on them, "
            "and setguide says what to do on one",
        )


def _places(
    doc: Node, sections: dict[str, Section], contacts: dict[str, Contact]
) -> tuple[dict[str, Authority], dict[str, Quadrant], dict[str, District]]:
    authorities = {}
    for aid, n in _unique(doc.tables("authority")).items():
        n.as_fact(f"authorities.{aid}")
        authorities[aid] = Authority(
            id=aid,
            name=n.str("name"),
            council=n.str("council"),
            kind=n.one_of("kind", AUTHORITY_KINDS),
            aliases=n.strs("aliases", optional=True),
            contact=n.one_of("contact", contacts),
            child_protection_page=_checked(n, "child_protection_page", URL),
            section=_section_of(n, sections),
            kind_source=n.str("kind_source", optional=True),
            kind_source_url=n.str("kind_source_url", optional="kind_source" not in n.raw),
        )
    quadrants = {
        qid: Quadrant(qid, n.str("name"), n.str("text"), _section_of(n, sections))
        for qid, n in ((q, m.as_fact(f"quadrants.{q}")) for q, m in _unique(doc.tables("quadrant")).items())
    }
    districts = {}
    for did, n in _unique(doc.tables("district")).items():
        n.as_fact(f"districts.{did}")
        authority = n.one_of("authority", authorities)
        quadrant = n.one_of("quadrant", quadrants, optional=authorities[authority].kind != "county")
        if quadrant and authorities[authority].kind != "county":
            raise n.error("quadrant", "only districts of the county are in an Essex MACE quadrant")
        districts[did] = District(
            did, n.str("name"), n.strs("aliases", optional=True), authority, quadrant, _section_of(n, sections)
        )
    for qid in quadrants:
        if not any(d.quadrant == qid for d in districts.values()):
            raise DataError("places.toml", f"quadrant {qid!r}", "has no district")
    return authorities, quadrants, districts


def _forums(
    doc: Node,
    sections: dict[str, Section],
    authorities: dict[str, Authority],
    quadrants: dict[str, Quadrant],
    sources: dict[str, NamedSource],
) -> tuple[dict[str, Theme], dict[str, Forum], dict[str, Fact]]:
    themes = {tid: Theme(tid, n.str("label"), n.str("description")) for tid, n in _unique(doc.tables("theme")).items()}
    forums: dict[str, Forum] = {}
    for fid, n in _unique(doc.tables("forum")).items():
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
            section=_section_of(n, sections),
            said=_said(n),
            readings=n.strs("readings", optional=True),
            # A named source's frequency beside the protocol's (ESCB: MACE Part 2 quarterly).
            other_cadence=n.one_of("other_cadence", CADENCES, optional=True),
            other_cadence_source=n.one_of("other_cadence_source", sources) if "other_cadence" in n.raw else None,
        )
        forums.update(_forum_entries(fid, n, quadrant_ids, quadrants, common))
    notes = {}
    for key in ("essex_mace_channel", "thurrock_governance", "southend_governance"):
        n = doc.table(key)
        values = {
            k: (n.strs(k) if isinstance(v, list) else n.str(k))
            for k, v in n.raw.items()
            if k not in ("section", "said")
        }
        values["said"] = _said(n)
        notes[key] = Fact(key, _section_of(n, sections), values)
    return themes, forums, notes


def _forum_entries(
    fid: str, n: Node, quadrant_ids: tuple[str, ...], quadrants: dict[str, Quadrant], common: dict[str, Any]
) -> dict[str, Forum]:
    """One forum, or one per quadrant it is held in (Essex MACE)."""
    name, long_name = n.str("name"), n.str("long_name")
    if not quadrant_ids:
        return {
            fid: Forum(
                id=fid,
                name=name,
                long_name=long_name,
                quadrant=None,
                data_id=fid,
                base_name=name,
                base_long_name=long_name,
                **common,
            )
        }
    return {
        f"{fid}-{q!s}": Forum(
            id=f"{fid}-{q!s}",
            name=fill("{} – {}", name, quadrants[q].name),
            long_name=fill("{} – {}", long_name, quadrants[q].name),
            quadrant=q,
            data_id=fid,
            base_name=name,
            base_long_name=long_name,
            **common,
        )
        for q in quadrant_ids
    }


def _gazetteer(gaz: Node, districts: dict[str, District]) -> tuple[tuple[Place, ...], tuple[OutsidePlace, ...]]:
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
    return tuple(places), tuple(outside)


def name_key(text: str) -> str:
    """The form a name is looked up in (as places.resolve compares them): case, punctuation
    and "Saint"/"St." do not matter."""
    text = re.sub(r"['’‘`]", "", text.casefold().replace("&", " and "))
    text = re.sub(r"\bsaint\b", "st", re.sub(r"[-.,()/]", " ", text))
    return " ".join(text.split())


def _check_names(
    doc: Node, authorities: dict[str, Authority], districts: dict[str, District], places: tuple[Place, ...]
) -> None:
    """Each name of an authority or a district leads to one place: a name that is also
    another authority's, another district's or a town elsewhere would make `--area` ambiguous."""
    owner: dict[str, tuple[str, str]] = {}  # name key -> (what, id)
    for p in places:
        owner.setdefault(name_key(p.name), ("district", p.district))
    named = [("authority", a.id, a.id, a) for a in authorities.values()]
    named += [("district", d.id, d.authority, d) for d in districts.values()]
    seen: dict[str, tuple[str, str, str]] = {}
    for what, ident, authority, entry in named:
        for field, name in (("name", entry.name), *(("aliases", a) for a in entry.aliases)):
            key = name_key(name)
            other = seen.get(key)
            if other is not None and other[2] != authority and (other[0], other[1]) != (what, ident):
                raise _name_clash(doc, what, ident, field, name, f"the name of {other[0]} {other[1]!r}")
            if other is not None and other[0] == what == "district" and other[1] != ident:
                raise _name_clash(doc, what, ident, field, name, f"the name of district {other[1]!r}")
            seen.setdefault(key, (what, ident, authority))
            town = owner.get(key)
            # An error's text: it has no trust pass, so the district name's keys are dropped (`!s`).
            if town is not None and districts[town[1]].authority != authority:
                raise _name_clash(doc, what, ident, field, name, f"a place in {districts[town[1]].name!s}")
            if town is not None and what == "district" and town[1] != ident:
                raise _name_clash(doc, what, ident, field, name, f"a place in {districts[town[1]].name!s}")


def _name_clash(doc: Node, what: str, ident: str, field: str, name: str, other: str) -> DataError:
    table = "authority" if what == "authority" else "district"
    return DataError(
        doc.file,
        f"{table}[id={ident}].{field}",
        f"{name!r} is also {other}: a name must lead to one place. Check the spelling",
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
    "disputed_hours",
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


def _hours(node: Node, key: str = "hours") -> tuple[Hours, ...]:
    found = []
    for i, text in enumerate(node.strs(key, optional=True)):
        m = HOURS.fullmatch(text)
        if m is None:
            raise node.error(f"{key}[{i}]", f"not days and hours like 'mon tue 08:45-17:15': {text!r}")
        days = tuple(m.group(1).split())
        bad = [d for d in days if d not in WEEKDAYS]
        if bad:
            raise node.error(f"{key}[{i}]", f"not days of the week: {', '.join(bad)} (use {', '.join(WEEKDAYS)})")
        opens, closes = m.group(2), m.group(3)
        for t in (opens, closes):
            try:
                parse_hhmm(t)
            except ValueError:
                raise node.error(f"{key}[{i}]", f"not a time of day (HH:MM): {t!r}") from None
        if not opens < closes:
            raise node.error(f"{key}[{i}]", f"opens ({opens}) must be before it closes ({closes})")
        found.append(Hours(tuple(Val(d, (f"{node.fact}.{key}",)) for d in days), opens, closes))
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
    sources = {sid: _named_source(sid, n) for sid, n in _unique(doc.tables("source")).items()}
    doors = _unique(doc.tables("front_door"))
    front_doors = {aid: _front_door(aid, n, authorities, sources) for aid, n in doors.items()}
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


def _named_source(sid: str, n: Node) -> NamedSource:
    return NamedSource(
        id=sid,
        title=n.str("title"),
        url=_checked(n, "url", URL),
        read_at=n.str("read_at"),
        dated=n.date("dated") if "dated" in n.raw else None,
        kind=n.one_of("kind", SOURCE_KINDS),
        publisher=n.str("publisher"),
        status=n.str("status"),
        dates_to=n.str("dates_to", optional=True),
    )


def _front_door(aid: str, n: Node, authorities: dict[str, Authority], sources: dict) -> FrontDoor:
    n.one_of("id", authorities)
    n.as_fact(f"frontdoors.{aid}")
    return FrontDoor(
        id=aid,
        name=n.str("name"),
        office_phone=_checked(n, "office_phone", PHONE_TEXT),
        office_hours=n.str("office_hours", optional=True),
        hours=_hours(n),
        hours_reading=n.str("hours_reading", optional=True),
        disputed_hours=_hours(n, "disputed_hours"),
        bank_holidays=n.one_of("bank_holidays", BANK_HOLIDAYS),
        closed_days=_days(n, "closed_days"),
        out_of_hours_phone=_checked(n, "out_of_hours_phone", PHONE_TEXT),
        out_of_hours_name=n.str("out_of_hours_name", optional=True),
        out_of_hours_hours=n.str("out_of_hours_hours", optional=True),
        refer=n.str("refer", optional=True),
        refer_url=_checked(n, "refer_url", URL) if "refer_url" in n.raw else None,
        refer_email=_checked(n, "refer_email", EMAIL) if "refer_email" in n.raw else None,
        moved_to=_checked(n, "moved_to", URL) if "moved_to" in n.raw else None,
        sources=_door_sources(n, sources),
        disagreement=n.str("disagreement", optional=True),
    )


def _door_sources(n: Node, sources: dict) -> dict[str, str]:
    """`sources`: the source of every field shown ("default"), and of any field read elsewhere."""
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
    return {f: per_field.get(f, default) for f in FRONT_DOOR_SHOWN if f in n.raw}


# A fact key a [[beside]] entry may name: a table's field, as the trust pass keys it.
FACT_KEY = re.compile(r"(contacts|facts|forums|frontdoors|authorities|current)\.[a-z0-9_-]+(\.[a-z0-9_]+)?")


def _besides(doc: Node, sources: dict[str, NamedSource]) -> tuple[Beside, ...]:
    """frontdoors.toml [[beside]]: what a named source says beside a fact, in its words."""
    found = []
    for bid, n in _unique(doc.tables("beside", optional=True)).items():
        keys = n.strs("applies_to", optional=True)
        for i, key in enumerate(keys):
            if not FACT_KEY.fullmatch(key):
                raise n.error(f"applies_to[{i}]", f"not a fact key like 'frontdoors.essex.office_phone': {key!r}")
        cited_with = n.get("cited_with", bool, optional=True) or False
        if not keys and not cited_with:
            raise n.error("applies_to", "name the facts it sits beside, or set cited_with = true")
        says = n.strs("says")
        if not says:
            raise n.error("says", "give the source's own words")
        against = n.one_of("contradicted_by", sources) if "contradicted_by" in n.raw else None
        found.append(
            Beside(
                id=bid,
                applies_to=tuple(keys),
                source=n.one_of("source", sources),
                says=tuple(says),
                setguide=n.str("setguide", optional=True),
                cited_with=cited_with,
                contradicted_by=against,
                contradicted_says=tuple(n.strs("contradicted_says", optional=True)),
            )
        )
    return tuple(found)


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


def _check_hhmm(node: Node, key: str) -> int:
    """The time `key` holds, as minutes after midnight."""
    value = node.str(key)
    try:
        t = parse_hhmm(value)
    except ValueError:
        raise node.error(key, f"expected a time HH:MM, found {value!r}") from None
    return t.hour * 60 + t.minute
