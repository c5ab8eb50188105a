"""Place resolution: a town, district or authority to its authority, district and
Essex MACE quadrant. Pure: it takes `Data` and a string and returns an answer or
raises `UnknownName` with the candidates."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from setguide.base.errors import UnknownName
from setguide.base.facts import fill, join
from setguide.base.names import CUTOFF, close
from setguide.base.text import echo, shell_arg
from setguide.model.data import Data, District, OutsidePlace, Place

OUTSIDE_WORDS = ("outside", "outside set", "outside of set", "out of area", "elsewhere", "not in set")


class Resolution(NamedTuple):
    """Where a concern is. `authority` is None only outside SET."""

    query: str
    name: str  # the canonical name of what matched
    kind: str  # authority, district, town, village, civil-parish, hamlet, area, outside
    authority: str | None
    district: str | None
    quadrant: str | None
    source: str  # protocol section id, or the public page a gazetteer entry was read in
    outside_where: str | None = None
    # One line a view shows beside the answer: a namesake outside SET ("There is also a
    # Hadleigh in Suffolk ..."), or the other places that share the name and the answer.
    note: str | None = None
    # Every district the name stands for: more than one when places in different
    # districts share the name but not the answer (both Debdens are in the West quadrant).
    districts: tuple[str, ...] = ()
    # The public page named as the source, e.g. "Wikipedia: Stock, Essex"; empty for the protocol's own.
    source_title: str = ""
    # What to type to name one of the places sharing the name ("Debden, Uttlesford"), given
    # as an example after the note's words; empty where the note gives none.
    example: str = ""

    @property
    def note_text(self) -> str | None:
        """The note as one line, its example in quote marks (for JSON and search)."""
        return fill("{} {}.", self.note, shell_arg(self.example)) if self.note and self.example else self.note

    @property
    def outside(self) -> bool:
        return self.authority is None


def normalise(text: str) -> str:
    """The form names are compared in: case, punctuation and "Saint"/"St." do not
    matter, and an apostrophe joins ("St Luke's" = "St Lukes")."""
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"['’‘`]", "", text)
    text = re.sub(r"[-.,()/]", " ", text)
    text = re.sub(r"\bsaint\b", "st", text)
    return " ".join(text.split())


# People add the county to a town ("Hadleigh, Essex"); what they add after the name
# of a place in SET changes nothing, so it is tried without when the whole fails.
_COUNTY_SUFFIX = re.compile(r"\s+(essex|uk|england|gb)$")


def _keys(text: str) -> list[str]:
    key = normalise(text)
    keys = [key]
    while (shorter := _COUNTY_SUFFIX.sub("", keys[-1])) != keys[-1] and shorter:
        keys.append(shorter)
    return keys


class _Target(NamedTuple):
    resolution: Resolution
    label: str  # shown when a name is ambiguous


@cache
def _index(data: Data) -> dict[str, list[_Target]]:
    index: dict[str, list[_Target]] = {}

    def add(name: str, target: _Target) -> None:
        bucket = index.setdefault(normalise(name), [])
        if target not in bucket:
            bucket.append(target)

    for a in data.authorities.values():
        # The county on its own has no district; a unitary authority is its own district.
        district = (
            next((d for d in data.districts.values() if d.authority == a.id), None) if a.kind == "unitary" else None
        )
        r = Resolution("", a.name, "authority", a.id, district.id if district else None, None, a.section)
        for name in (a.id, a.name, a.council, *a.aliases):
            add(name, _Target(r, fill("{} ({} authority)", a.name, a.kind)))
    for d in data.districts.values():
        r = _district_resolution(d)
        for name in (d.id, d.name, *d.aliases):
            add(name, _Target(r, fill("{} (district)", d.name)))
    for p in data.places:
        r = _place_resolution(data, p)
        if p.also_outside:
            where = join(" and ", p.also_outside)
            note = fill("There is also a {} in {}, outside SET; for that one, give: outside SET.", p.name, where)
            r = r._replace(note=note)
        for name in (p.name, *p.aliases):
            add(name, _Target(r, fill("{} ({})", p.name, data.districts[p.district].name)))
    for o in data.outside:
        add(o.name, _Target(_outside_resolution(o), fill("{} ({}, outside SET)", o.name, o.where)))
    generic = Resolution("", "outside SET", "outside", None, None, None, "purpose")
    for word in OUTSIDE_WORDS:
        add(word, _Target(generic, "outside SET"))
    return index


def _district_resolution(d: District) -> Resolution:
    return Resolution("", d.name, "district", d.authority, d.id, d.quadrant, d.section)


def _place_resolution(data: Data, p: Place) -> Resolution:
    d = data.districts[p.district]
    return Resolution("", p.name, p.kind, d.authority, d.id, d.quadrant, p.source, source_title=p.source_title)


def _outside_resolution(o: OutsidePlace) -> Resolution:
    return Resolution(
        "", o.name, "outside", None, None, None, o.source, outside_where=o.where, source_title=o.source_title
    )


# A UK postcode, whole (CM20 1AB) or its outward part (SS1, RM17).
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?$", re.IGNORECASE)
# What a postcode is told ({}: the postcode): the terminal and the card's place box say the same.
POSTCODE_MESSAGE = "{} is a postcode; setguide knows places by name, not by postcode"
POSTCODE_HINT = "type the town or district instead (e.g. Harlow, Grays, Southend-on-Sea)"
# Words people add after a place's name that do not change which place it is.
_PLACE_WORDS = re.compile(r"\s+(town|town centre|village|city|centre)$")


class Lookup(NamedTuple):
    """What a name is, found once: one place, a choice between places, or unknown.
    `problem` (an UnknownName, not raised) says why it is not one place: ambiguous,
    with the forms that choose, or unknown, with suggestions."""

    place: Resolution | None
    choices: tuple[Resolution, ...] = ()
    problem: UnknownName | None = None

    @property
    def ambiguous(self) -> bool:
        return bool(self.choices)


def resolve(data: Data, text: str) -> Resolution:
    """The one place `text` names, or `UnknownName` (ambiguous, or with suggestions):
    `lookup` for callers that take an error as an exit."""
    found = lookup(data, text)
    if found.place is None:
        raise found.problem
    return found.place


def lookup(data: Data, text: str) -> Lookup:
    """The one place `text` names, the places it could mean, or why it names none."""
    index = _index(data)
    targets = next((index[k] for k in _keys(text) if k in index), [])
    if not targets:
        targets = _qualified(index, text) or _run_together(index, text)
    if not targets and _POSTCODE.match(text.strip()):
        exc = UnknownName("place", text.strip(), [])
        exc.message = POSTCODE_MESSAGE.format(echo(text.strip().upper()))
        exc.hint = POSTCODE_HINT
        return Lookup(None, (), exc)
    if not targets:
        exc = UnknownName("place", text.strip(), suggest(data, text))
        outside = "for a place outside Southend, Essex and Thurrock, give: outside SET"
        plain = f"give a town, district or authority; {outside}"
        exc.hint = fill("{} Or, {}.", exc.hint, outside) if exc.hint else plain
        return Lookup(None, (), exc)
    # Several entries that agree on the district are one answer (Colchester the
    # district and Colchester the town); the broadest (an authority or district) wins.
    by_where: dict[tuple, _Target] = {}
    for t in targets:
        r = t.resolution
        where = (r.authority, r.district, r.outside_where)
        if where not in by_where or _rank(r.kind) < _rank(by_where[where].resolution.kind):
            by_where[where] = t
    if len(by_where) > 1:
        found = [t.resolution for t in by_where.values()]
        shared = _same_answer(data, found)
        if shared is not None:
            return Lookup(shared._replace(query=text.strip()))
        # The county and a unitary authority never share a name; a district and one
        # of its own towns do. What is left is a real ambiguity between two places.
        given = text.strip()
        return Lookup(None, tuple(r._replace(query=given) for r in found), _ambiguous(data, given, found))
    chosen = next(iter(by_where.values())).resolution
    return Lookup(chosen._replace(query=text.strip(), districts=chosen.districts or _district_ids(chosen)))


def _district_ids(r: Resolution) -> tuple[str, ...]:
    return (r.district,) if r.district else ()


def _same_answer(data: Data, found: list[Resolution]) -> Resolution | None:
    """Places that share a name and lie in one authority and one Essex quadrant give the
    same answer: it is given at once, naming every district (both Debdens are West)."""
    if any(r.outside for r in found) or len({(r.authority, r.quadrant) for r in found}) != 1:
        return None
    if found[0].quadrant is None:
        return None
    names = [data.districts[r.district].name for r in found if r.district]
    first = found[0]
    note = fill(
        "{} is the name of places in {}, {} in the same quadrant; to name one, give e.g.",
        first.name,
        _words(names),
        "both" if len(names) == 2 else "all",
    )
    example = f"{first.name!s}, {names[-1]!s}"  # what to type: plain text, its words are keyed in the note
    return first._replace(note=note, example=example, districts=tuple(r.district for r in found if r.district))


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else fill("{} and {}", join(", ", items[:-1]), items[-1])


def _ambiguous(data: Data, given: str, found: list[Resolution]) -> UnknownName:
    """Which place? Each candidate is the exact text that chooses it ('Debden, Uttlesford'),
    one to a line, so no terminal splits it."""
    forms = []
    for r in found:
        if r.outside:
            forms.append(("outside SET", f"outside SET{f' ({r.outside_where})' if r.outside_where else ''}"))
            continue
        area = data.districts[r.district].name if r.district else data.authorities[r.authority].name
        where = fill("{}: {}", area, data.quadrants[r.quadrant].name) if r.quadrant else area
        forms.append((fill("{}, {}", r.name, area), where))
    forms.sort()
    exc = UnknownName("place", given, [form for form, _ in forms], ambiguous=True)
    exc.message = f"more than one place is called {echo(given)}; give one as written:"
    exc.hint = join("\n  ", (fill("{}  ({})", shell_arg(str(form)), where) for form, where in forms))
    return exc


MAX_NAME_WORDS = 8


def _run_together(index: dict[str, list[_Target]], text: str) -> list[_Target]:
    """'Debden Uttlesford', 'Grays Thurrock', 'Harlow Town': a name followed by its
    district or authority, or by a word that does not change the place."""
    key = normalise(text)
    plain = _PLACE_WORDS.sub("", key)
    if plain != key and plain in index:
        return index[plain]
    words = key.split()
    if len(words) > MAX_NAME_WORDS:  # no place is named in more words; a pasted page is not split word by word
        return []
    for cut in range(len(words) - 1, 0, -1):
        name, area = " ".join(words[:cut]), " ".join(words[cut:])
        if name in index and area in index:
            found = _within(index, name, area)
            if found:
                return found
    return []


_QUALIFIED = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<paren>[^()]+)\)|,\s*(?P<comma>[^,]+))\s*$")


def _qualified(index: dict[str, list[_Target]], text: str) -> list[_Target]:
    """'Debden (Uttlesford)' or 'Debden, Uttlesford': a shared name with the district
    or authority that tells the places apart, as the ambiguity message lists them."""
    m = _QUALIFIED.match(text.strip())
    if not m:
        return []
    return _within(index, normalise(m["name"]), normalise(m["paren"] or m["comma"]))


def _within(index: dict[str, list[_Target]], name: str, area: str) -> list[_Target]:
    """The places called `name` that lie in the district or authority called `area`."""
    places = index.get(name, [])
    areas = [t.resolution for t in index.get(area, [])]
    areas = [a for a in areas if a.kind in ("authority", "district")]
    return [
        t
        for t in places
        for a in areas
        if (a.district and t.resolution.district == a.district)
        or (a.district is None and t.resolution.authority == a.authority)
    ]


def _rank(kind: str) -> int:
    return {"authority": 0, "district": 1}.get(kind, 2)


def suggest(data: Data, text: str, limit: int = 5) -> list[str]:
    """Names close to `text`, best first, as they are spelt in the data: a misspelling
    ("Colchster"), then names that begin with what was typed ("Saffron")."""

    by_key = _completion_keys(data)
    longest = max(map(len, by_key), default=0)
    # "Grays Thurock": a name and its area, either misspelt; the places of that area come first.
    hits: list[str] = [normalise(n) for n in _in_named_area(data, text)]
    for key in _keys(text):
        # Text far longer than any name cannot be a misspelling of one, and fuzzy
        # matching it would take time in proportion to its length.
        if not key or len(key) > 2 * longest:
            continue
        hits += close(key, list(by_key), limit)
        # A typo in one word of a longer name ("Canvy Island") scores low as a whole.
        if not hits and " " not in key and len(key) >= 4:
            hits += _word_matches(key, by_key)
        hits += [k for k in by_key if k.startswith(key) and k != key]
    seen: list[str] = []
    for h in hits:
        if h not in seen:
            seen.append(h)
    return [by_key[h] for h in seen[:limit]]


@cache
def area_names(data: Data) -> dict[str, tuple[str, str | None]]:
    """Every name of an authority or district, normalised: (authority, district or None)."""
    areas: dict[str, tuple[str, str | None]] = {}
    for a in data.authorities.values():
        for name in (a.id, a.name, *a.aliases):
            areas.setdefault(normalise(name), (a.id, None))
    for d in data.districts.values():
        for name in (d.id, d.name, *d.aliases):
            areas[normalise(name)] = (d.authority, d.id)
    return areas


def _in_named_area(data: Data, text: str) -> list[str]:
    """For words that end (or begin) with an authority or district, misspelt or not
    ("Grays Thurock", "Lakside Thurrock", "Thurock Grays"): the names in that area
    closest to the other words. What
    else was typed says where to look, so a namesake elsewhere is never offered first."""
    words = normalise(text).split()
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return []
    areas = area_names(data)
    splits = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(len(words) - 1, 0, -1)]
    splits += [(" ".join(words[cut:]), " ".join(words[:cut])) for cut in range(1, len(words))]  # "Thurrock Grays"
    for name, area in splits:
        found = [area] if area in areas else close(area, list(areas), 1)
        if not found or len(name) < 3:
            continue
        authority, district = areas[found[0]]
        names = {
            normalise(n): n
            for p in data.places
            if (p.district == district if district else data.districts[p.district].authority == authority)
            for n in (p.name, *p.aliases)
        }
        hits = [name] if name in names else close(name, list(names), 3)
        if hits:
            return [names[h] for h in hits]
    return []


def _word_matches(key: str, by_key: dict[str, str]) -> list[str]:
    import difflib

    scored = []
    for k in by_key:
        words = k.split()
        if len(words) < 2:
            continue
        best = max(difflib.SequenceMatcher(None, key, w).ratio() for w in words)
        if best >= CUTOFF:
            scored.append((-best, k))
    return [k for _, k in sorted(scored)]


@cache
def _completion_keys(data: Data) -> dict[str, str]:
    return {normalise(n): n for n in names_for_completion(data)}


def choices(data: Data, text: str) -> list[Resolution]:
    """Every place `text` could mean, for a question that asks which."""
    index = _index(data)
    targets = next((index[k] for k in _keys(text) if k in index), [])
    return [t.resolution for t in targets]


@cache
def names_for_completion(data: Data) -> tuple[str, ...]:
    names: list[str] = []
    names += [a.name for a in data.authorities.values()]
    names += [d.name for d in data.districts.values()]
    names += [d for x in data.districts.values() for d in x.aliases]
    names += [p.name for p in data.places]
    names += [a for p in data.places for a in p.aliases]
    names += [o.name for o in data.outside]
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(normalise(n), n)
    return tuple(sorted(seen.values(), key=str.casefold))
