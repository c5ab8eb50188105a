"""`contacts`, `quadrant` and `protocol` as a user sees them."""

from __future__ import annotations

import json

import pytest

SPOC = {
    "essex": ("Sally-Ann Millar", "sally-ann.millar@essex.gov.uk", "07788303718 / 033301 34258"),
    "southend": ("Alex Bridge", "alexbridge@southend.gov.uk", "01702 534300 or extension 4050"),
    "thurrock": ("Seema Moules", "SMoules@thurrock.gov.uk", "01375 652973"),
    "essex-police": (
        "Tony Benjamin DI 42002881",
        "Tony.Benjamin@essex.police.co.uk",
        "Dial: 101 then ext 203584 / 07855515869",
    ),
}


@pytest.mark.parametrize("cid", SPOC)
def test_contacts_prints_each_spoc_exactly(run, cid):
    result = run("contacts", cid)
    assert result.code == 0
    for value in SPOC[cid]:
        assert value in result.out
    others = [v for k, vals in SPOC.items() if k != cid for v in vals[1:2]]
    assert not any(o in result.out for o in others)
    assert "SPOC table" in result.out


def test_contacts_without_authority_lists_all_four(run):
    result = run("contacts")
    assert result.code == 0
    for values in SPOC.values():
        for value in values:
            assert value in result.out


@pytest.mark.parametrize(
    ("typed", "cid"),
    [
        ("THURROCK", "thurrock"),
        ("thu", "thurrock"),
        ("police", "essex-police"),
        ("Police", "essex-police"),
        ("essex-p", "essex-police"),
        ("Essex", "essex"),
        ("south", "southend"),
        ("Essex Police", "essex-police"),
    ],
)
def test_contacts_accepts_any_case_prefixes_and_the_police_alias(run, typed, cid):
    result = run("contacts", typed, "--json")
    assert result.code == 0
    assert [c["id"] for c in json.loads(result.out)] == [cid]


@pytest.mark.parametrize(
    ("typed", "suggestion"), [("thurok", "thurrock"), ("sothend", "southend"), ("polise", "essex-police")]
)
def test_a_misspelt_authority_exits_2_with_did_you_mean(run, typed, suggestion):
    result = run("contacts", typed)
    assert result.code == 2
    assert "did you mean" in result.err and suggestion in result.err
    assert result.out == "" and "Traceback" not in result.err


def test_an_ambiguous_prefix_lists_the_candidates(run):
    result = run("contacts", "e")
    assert result.code == 2
    assert "essex" in result.err and "essex-police" in result.err


def test_contacts_json_has_every_field(run):
    (c,) = json.loads(run("contacts", "southend", "--json").out)
    assert c["email"] == "alexbridge@southend.gov.uk"
    assert c["phone_text"] == "01702 534300 or extension 4050"
    assert {"number": None, "extension": "4050"} in c["phones"]
    assert c["source"] == "SPOC table"


QUADRANTS = {
    "Braintree": "Mid",
    "Chelmsford": "Mid",
    "Maldon": "Mid",
    "Colchester": "North",
    "Tendring": "North",
    "Brentwood": "West",
    "Epping Forest": "West",
    "Harlow": "West",
    "Uttlesford": "West",
    "Basildon": "South",
    "Castle Point": "South",
    "Rochford": "South",
}


@pytest.mark.parametrize("district", QUADRANTS)
def test_quadrant_for_every_essex_district_in_any_case(run, district):
    for typed in (district, district.upper(), district.lower()):
        result = run("quadrant", typed, "--json")
        assert result.code == 0, result.err
        answer = json.loads(result.out)
        assert answer["quadrant"]["name"] == f"{QUADRANTS[district]} Quadrant"
        assert answer["authority"] == "essex" and not answer["unitary"]
        assert {f["cadence"] for f in answer["forums"]} == {"monthly", "bi-monthly"}
    text = run("quadrant", district).out
    assert f"{QUADRANTS[district]} Quadrant" in text and "§2.1" in text


def test_quadrant_takes_the_protocols_spelling_castlepoint(run):
    assert json.loads(run("quadrant", "Castlepoint", "--json").out)["quadrant"]["id"] == "south"


@pytest.mark.parametrize(
    ("place", "forums", "spoc"),
    [
        (
            "Southend",
            ["Operation Censor", "MASE", "Gangs, County Lines, Vulnerability and Exploitation Task Force"],
            "Alex Bridge",
        ),
        ("Southend-on-Sea", ["Operation Censor"], "Alex Bridge"),
        ("thurrock", ["Thurrock MACE", "Risk Management Meeting", "Gang Related Violence forum"], "Seema Moules"),
        ("Grays", ["Thurrock MACE"], "Seema Moules"),
    ],
)
def test_unitary_authorities_are_in_no_quadrant_and_name_their_forums(run, place, forums, spoc):
    result = run("quadrant", place)
    assert result.code == 0
    assert "unitary authority" in result.out and "not in an Essex MACE quadrant" in result.out
    for name in forums:
        assert name in result.out
    assert spoc in result.out
    answer = json.loads(run("quadrant", place, "--json").out)
    assert answer["quadrant"] is None and answer["unitary"] is True


def test_an_unknown_place_exits_2_with_suggestions(run):
    result = run("quadrant", "Colchster")
    assert result.code == 2
    assert "Colchester" in result.err and "did you mean" in result.err


def test_quadrant_without_a_place_shows_all_four(run):
    result = run("quadrant")
    assert result.code == 0
    for q in ("Mid", "North", "West", "South"):
        assert f"{q} Quadrant" in result.out


@pytest.mark.parametrize(
    ("section", "phrase"),
    [
        ("2.3", "Operation Censor"),
        ("§2.2", "Gang Related Violence"),
        ("spoc", "Seema Moules"),
        ("1", "180022"),
        ("Strategic", "chaired by Essex Police"),
    ],
)
def test_protocol_prints_each_section_offline(run, section, phrase):
    result = run("protocol", section)
    assert result.code == 0
    assert phrase in result.out


def test_protocol_unknown_section_is_a_usage_error(run):
    result = run("protocol", "9")
    assert result.code == 2 and "section" in result.err


def test_protocol_lists_sections(run):
    out = run("protocol").out
    for sid in ("spoc", "2.1", "2.2", "2.3", "3"):
        assert f"{sid}:" in out


# --- quadrant: the SPOC as contacts shows it, and setguide's readings said as such --------


@pytest.mark.parametrize(
    ("place", "who"),
    [
        ("Harlow", "Sally-Ann Millar – Child Exploitation Project Manager, Essex Safeguarding Children Board"),
        ("Grays", "Seema Moules – Child Exploitation & Missing Team Manager, Thurrock Council"),
        (
            "Southend",
            "Alex Bridge – Service Manager – Adolescent Intervention & Prevention Team/Early Help/Edge of Care, "
            "Southend-On-Sea Borough Council",
        ),
    ],
)
def test_quadrant_shows_the_spocs_role_and_organisation_as_contacts_does(run, place, who):
    out = run("quadrant", place).out
    assert who in out.splitlines()
    authority = {"Harlow": "essex", "Grays": "thurrock", "Southend": "southend"}[place]
    numbers = [
        line for line in run("contacts", authority).out.splitlines() if line.startswith(("Email", "Phone", "Or "))
    ]
    assert numbers and all(line in out.splitlines() for line in numbers)
    assert "SPOC table" in out.splitlines()[-1]


def test_quadrant_says_part_2_per_quadrant_is_setguides_reading(run):
    out = run("quadrant", "Harlow").out
    assert "- Essex MACE Part 1 – West Quadrant (monthly) [§2.1]" in out
    assert "setguide's reading: Part 2 is listed once for each quadrant" in out
    assert "setguide's reading: later dates are projected every other month." in out
    assert "setguide's reading" not in run("quadrant", "Southend").out


def test_the_words_outside_set_are_not_taken_for_a_place(run):
    out = run("quadrant", "outside SET").out
    assert out.splitlines()[0] == "A place outside Southend, Essex and Thurrock (SET)"
    assert "outside SET: outside" not in out and "\nIt is in none" not in out
    assert "setguide: contact the SPOC of the SET area the concern touches (setguide contacts)." in out
    ipswich = run("quadrant", "Ipswich").out
    assert ipswich.startswith("Ipswich (Suffolk): outside Southend, Essex and Thurrock")


def test_a_shared_place_name_is_said_as_setguides_note(run):
    assert run("quadrant", "Sutton").out.startswith("setguide: There is also a Sutton in Greater London")
