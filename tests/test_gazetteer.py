"""Every gazetteer entry answers for the district its source gives, through the core
and through `setguide quadrant NAME --json`; a name two entries share asks which."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from setguide.base.errors import UnknownName
from setguide.model.data import get
from setguide.places.resolve import normalise, resolve

DATA = get()


def _district_names_by_key() -> dict[str, set[str]]:
    """Every name (and alias) of a gazetteer place, with the districts it is given in."""
    found: dict[str, set[str]] = defaultdict(set)
    for p in DATA.places:
        for name in (p.name, *p.aliases):
            found[normalise(name)].add(p.district)
    return found


BY_KEY = _district_names_by_key()
ENTRIES = [(name, p.district) for p in DATA.places for name in (p.name, *p.aliases)]


def _district_of_name(name: str) -> set[str]:
    """A town with the district's own name ("Basildon") is the district: one answer."""
    districts = set(BY_KEY[normalise(name)])
    for d in DATA.districts.values():
        if normalise(name) in {normalise(n) for n in (d.id, d.name, *d.aliases)}:
            districts.add(d.id)
    return districts


@pytest.mark.parametrize(("name", "district"), ENTRIES, ids=[f"{n}-{d}" for n, d in ENTRIES])
def test_every_entry_resolves_to_its_district(name, district):
    districts = _district_of_name(name)
    if len(districts) > 1 and len({DATA.districts[d].quadrant for d in districts}) == 1:
        r = resolve(DATA, name)  # one answer for all of them: it is given at once
        assert set(r.districts) == set(districts)
        assert r.quadrant == DATA.districts[district].quadrant
        return
    if len(districts) > 1:
        with pytest.raises(UnknownName) as err:
            resolve(DATA, name)
        assert err.value.ambiguous
        for d in districts:
            assert any(DATA.districts[d].name in c for c in err.value.candidates)
        return
    r = resolve(DATA, name)
    assert r.district == district
    assert r.authority == DATA.districts[district].authority
    assert r.quadrant == DATA.districts[district].quadrant


@pytest.mark.slow  # every entry through the whole command line
def test_every_entry_resolves_through_the_command_line(run):
    """One pass over the whole gazetteer, as a user would type each name."""
    wrong = []
    for name, district in ENTRIES:
        result = run("quadrant", name, "--json")
        districts = _district_of_name(name)
        if len(districts) > 1 and len({DATA.districts[d].quadrant for d in districts}) == 1:
            quadrant = DATA.quadrants[DATA.districts[district].quadrant].name
            ok = result.code == 0 and quadrant in result.out
        elif len(districts) > 1:
            ok = result.code == 2 and all(DATA.districts[d].name in result.err for d in districts)
        else:
            ok = result.code == 0 and json.loads(result.out)["district"] == DATA.districts[district].name
        if not ok:
            wrong.append((name, district, result.code, result.err.strip()))
    assert not wrong


def test_the_ambiguous_names_are_the_ones_meant_to_be():
    shared = {k for k, ds in BY_KEY.items() if len(ds) > 1}
    assert {"debden", "thorpe", "victoria"} <= shared


def test_debden_answers_west_at_once(run):
    result = run("quadrant", "Debden")
    assert result.code == 0
    assert "West Quadrant" in result.out


def test_thorpe_asks_which_with_each_exact_form_whole_on_its_own_line(run):
    result = run("quadrant", "Thorpe")
    assert result.code == 2
    lines = result.err.splitlines()
    assert any(line.strip().startswith('"Thorpe, Tendring"') for line in lines)
    assert any(line.strip().startswith('"Thorpe, Southend-on-Sea"') for line in lines)
    assert all(len(line) <= 80 for line in lines)
    assert "Traceback" not in result.err


def test_every_entry_names_a_public_page_and_is_not_listed_twice():
    seen = set()
    for p in DATA.places:
        assert p.source.startswith(("http://", "https://")), p
        assert "/tmp/" not in p.source and "file:" not in p.source
        key = (normalise(p.name), p.district)
        assert key not in seen, p
        seen.add(key)
    for o in DATA.outside:
        assert o.source.startswith(("http://", "https://")), o


@pytest.mark.parametrize("district", sorted({p.district for p in DATA.places}))
def test_every_area_has_places_beyond_the_district_name(district):
    assert sum(1 for p in DATA.places if p.district == district) >= 6


def test_all_fourteen_areas_are_covered():
    assert {p.district for p in DATA.places} == set(DATA.districts)


@pytest.mark.parametrize("outside", [o.name for o in DATA.outside])
def test_every_outside_entry_is_outside_set(run, outside):
    r = resolve(DATA, outside)
    assert r.outside and r.authority is None and r.quadrant is None
    result = run("quadrant", outside)
    assert result.code == 0
    assert "outside Southend, Essex and Thurrock" in result.out
    assert json.loads(run("quadrant", outside, "--json").out)["outside_set"] is True
