"""Place resolution: the traps, the areas in any case, suggestions for near misses,
places outside SET, and names that belong to two places."""

from __future__ import annotations

import json

import pytest

from setguide.base.errors import UnknownName
from setguide.places.resolve import choices, lookup, names_for_completion, normalise, resolve, suggest

TRAPS = [
    # (typed, district id, kind)
    ("Hadleigh", "castle-point", "town"),
    ("Hadleigh, Essex", "castle-point", "town"),
    ("London Southend Airport", "rochford", None),
    ("Southend Airport", "rochford", None),
    ("Stansted Airport", "uttlesford", None),
    ("Castlepoint", "castle-point", "district"),
    ("Southend", "southend-on-sea", None),
    ("Epping", "epping-forest", "town"),
    ("Clacton", "tendring", None),
    ("St Luke's", "southend-on-sea", "area"),
    ("St Lukes", "southend-on-sea", "area"),
    ("saint lukes", "southend-on-sea", "area"),
]


@pytest.mark.parametrize(("typed", "district", "kind"), TRAPS)
def test_the_traps(data, typed, district, kind):
    r = resolve(data, typed)
    assert r.district == district
    if kind:
        assert r.kind == kind


def test_the_suffolk_hadleigh_is_outside(data):
    r = resolve(data, "Hadleigh, Suffolk")
    assert r.outside and "Suffolk" in r.outside_where


def test_london_southend_airport_is_not_in_southend(run):
    answer = json.loads(run("quadrant", "London Southend Airport", "--json").out)
    assert answer["district"] == "Rochford" and answer["quadrant"]["id"] == "south"
    assert answer["unitary"] is False


AREAS = {
    "Basildon": ("basildon", "south"),
    "Braintree": ("braintree", "mid"),
    "Brentwood": ("brentwood", "west"),
    "Castle Point": ("castle-point", "south"),
    "Chelmsford": ("chelmsford", "mid"),
    "Colchester": ("colchester", "north"),
    "Epping Forest": ("epping-forest", "west"),
    "Harlow": ("harlow", "west"),
    "Maldon": ("maldon", "mid"),
    "Rochford": ("rochford", "south"),
    "Tendring": ("tendring", "north"),
    "Uttlesford": ("uttlesford", "west"),
    "Southend-on-Sea": ("southend-on-sea", None),
    "Thurrock": ("thurrock", None),
}


@pytest.mark.parametrize("area", AREAS)
def test_all_fourteen_areas_in_any_case(data, area):
    district, quadrant = AREAS[area]
    for typed in (area, area.upper(), area.lower(), area.title(), f"  {area}  "):
        r = resolve(data, typed)
        assert (r.district, r.quadrant) == (district, quadrant), typed
        assert not r.outside


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Colchster", "Colchester"), ("Chelmsfrod", "Chelmsford"), ("Basildn", "Basildon"), ("Thurok", "Thurrock")],
)
def test_a_near_miss_suggests_the_place(data, run, typed, expected):
    assert suggest(data, typed)[0] == expected
    with pytest.raises(UnknownName) as err:
        resolve(data, typed)
    assert not err.value.ambiguous and err.value.candidates[0] == expected
    result = run("quadrant", typed)
    assert result.code == 2
    assert "did you mean" in result.err and expected in result.err
    assert "Traceback" not in result.err


def test_a_typo_in_one_word_of_a_longer_name_is_suggested(data):
    assert "Stansted Mountfitchet" in suggest(data, "Mountfichet")
    assert "Canvey Island" in suggest(data, "Canvy Island")


def test_the_start_of_a_name_is_suggested(data):
    assert "Saffron Walden" in suggest(data, "Saffron")


def test_nothing_like_a_place_suggests_nothing(data, run):
    assert suggest(data, "zzqx") == []
    result = run("quadrant", "zzqx")
    assert result.code == 2 and "unknown place" in result.err


@pytest.mark.parametrize("typed", ["Ipswich", "Bishop's Stortford", "Bishops Stortford", "Romford", "outside SET"])
def test_a_place_outside_set_says_so_and_exits_0(data, run, typed):
    assert resolve(data, typed).outside
    result = run("quadrant", typed)
    assert result.code == 0
    assert "outside Southend, Essex and Thurrock" in result.out
    assert "outside of SET" in result.out or "outside SET" in result.out


def test_a_name_for_two_places_in_one_quadrant_answers_at_once_naming_both(data):
    r = resolve(data, "debden")
    assert r.quadrant == "west" and r.authority == "essex"
    assert set(r.districts) == {"epping-forest", "uttlesford"}
    assert "Epping Forest" in r.note and "Uttlesford" in r.note
    options = choices(data, "Debden")
    assert {r.district for r in options} == {"epping-forest", "uttlesford"}


def test_a_name_for_two_places_in_different_quadrants_asks_with_the_exact_form_that_chooses(data):
    with pytest.raises(UnknownName) as err:
        resolve(data, "thorpe")
    assert err.value.ambiguous
    assert err.value.candidates == ["Thorpe, Southend-on-Sea", "Thorpe, Tendring"]
    for form in err.value.candidates:
        assert resolve(data, form).name == "Thorpe"
    assert '"Thorpe, Tendring"' in err.value.hint


def test_a_district_and_its_own_town_are_one_answer(data):
    r = resolve(data, "Colchester")
    assert r.kind == "district" and r.quadrant == "north"


def test_names_for_completion_holds_the_gazetteer_once_each(data):
    names = names_for_completion(data)
    keys = [normalise(n) for n in names]
    assert len(keys) == len(set(keys))
    for wanted in ("Pilgrims Hatch", "Great Totham", "Nazeing", "Castlepoint", "Southend", "Ipswich", "Debden"):
        assert wanted in names
    assert list(names) == sorted(names, key=str.casefold)


def test_every_completion_name_resolves_or_asks_which(data):
    for name in names_for_completion(data):
        try:
            resolve(data, name)
        except UnknownName as err:
            assert err.ambiguous, name


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("Debden (Uttlesford)", "uttlesford"),
        ("Debden, Epping Forest", "epping-forest"),
        ("debden (epping forest)", "epping-forest"),
        ("Thorpe (Tendring)", "tendring"),
        ("Victoria, Southend", "southend-on-sea"),
    ],
)
def test_a_shared_name_with_its_district_is_one_place(data, typed, district):
    # The ambiguity message lists "Debden (Uttlesford)"; typing that back must work.
    assert resolve(data, typed).district == district


def test_a_shared_name_with_the_wrong_district_is_unknown(data):
    with pytest.raises(UnknownName) as caught:
        resolve(data, "Debden (Basildon)")
    assert not caught.value.ambiguous


def test_an_unknown_place_points_to_outside_set(run):
    result = run("quadrant", "Nowheresville")
    assert result.code == 2 and "give: outside SET" in result.err


# --- names people use for places, and suggestions that stay in the area typed ---------


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("Lakeside", "thurrock"),
        ("lakeside shopping centre", "thurrock"),
        ("Intu Lakeside", "thurrock"),
        ("Festival Leisure Park", "basildon"),
        ("Bas Vegas", "basildon"),
        ("Eastgate", "basildon"),
        ("Harvey Centre", "harlow"),
        ("The Royals", "southend-on-sea"),
        ("Victoria Shopping Centre", "southend-on-sea"),
        ("Freeport Braintree", "braintree"),
        ("Chafford Hundred", "thurrock"),
    ],
)
def test_shopping_centres_and_leisure_parks_people_name(data, typed, district):
    r = resolve(data, typed)
    assert r.district == district
    assert r.source.startswith("https://") and r.source_title  # each from a named public page


def test_lakeside_is_in_thurrock_and_its_near_misses_suggest_it(data, run):
    r = run("quadrant", "Lakeside")
    assert r.code == 0 and "Thurrock" in r.out and "Arkesden" not in r.out
    assert suggest(data, "Lakside")[0] == "Lakeside"


def test_bluewater_is_in_kent_outside_set(data):
    r = resolve(data, "Bluewater")
    assert r.outside and "Kent" in r.outside_where


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Grays Thurock", "Grays"),
        ("Thurock Grays", "Grays"),
        ("Lakside Thurrock", "Lakeside"),
        ("Billercay Basildon", "Billericay"),
    ],
)
def test_a_misspelt_name_and_area_suggests_the_place_in_that_area_first(data, typed, first):
    assert suggest(data, typed)[0] == first


def test_lookup_returns_one_place_a_choice_or_why_not(data):
    one = lookup(data, "Grays")
    assert one.place is not None and one.place.district == "thurrock" and one.problem is None
    two = lookup(data, "Thorpe")
    assert two.place is None and two.ambiguous and {r.district for r in two.choices} == {"tendring", "southend-on-sea"}
    assert two.problem.ambiguous  # the message that lists the forms, for an exit
    none = lookup(data, "Nowhereville")
    assert none.place is None and not none.ambiguous and isinstance(none.problem, UnknownName)
