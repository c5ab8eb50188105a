"""The front door: each council's children's social care numbers, from named public
sources, beside the protocol's 2019 links. The expected numbers are written out by hand
from the sources read (data/frontdoors.toml records them), not taken from the data."""

from __future__ import annotations

import copy
import json

import pytest

from setguide.base.errors import DataError
from setguide.model.data import data_dir, read_raw
from setguide.model.validate import build

OPERATIONAL = ("triage", "--no-threat-to-life", "--no-offence", "--level", "operational")
# (office-hours number, out-of-hours number, source title the office number comes from)
SOUTHEND = ("01702 215007", "0345 606 1212", "Southend City Council: Child protection")
ESSEX = ("0345 603 7627", "0345 606 1212", "Essex Safeguarding Children Board: Safeguarding Practice and Guidance")
THURROCK = ("01375 652 802", "01375 372468", "NHS Thurrock CCG")
TUESDAY_10 = "2026-12-01T10:00"  # a Tuesday, no bank holiday
TUESDAY_22 = "2026-12-01T22:00"
FRIDAY_1645 = "2026-12-04T16:45"  # Southend's office closes at 16:30 on Fridays
CHRISTMAS_10 = "2026-12-25T10:00"  # a Friday and a bank holiday
SATURDAY_11 = "2026-12-05T11:00"
LABEL = "Named source, not the protocol"


def plan(run, area: str, at: str, *more: str) -> dict:
    r = run(*OPERATIONAL, "--area", area, "--at", at, *more, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def values(steps: list[dict]) -> list[str]:
    return [c["value"] for s in steps for c in s["contacts"]]


def contact(steps: list[dict], value: str) -> dict:
    return next(c for s in steps for c in s["contacts"] if c["value"] == value)


@pytest.mark.parametrize(
    "area, at, now_has, now_lacks",
    [
        # Southend's page states its hours: the number for this moment only, the other under Then.
        ("Southend", TUESDAY_10, SOUTHEND[0], SOUTHEND[1]),
        ("Southend", TUESDAY_22, SOUTHEND[1], SOUTHEND[0]),
        ("Leigh-on-Sea", FRIDAY_1645, SOUTHEND[1], SOUTHEND[0]),
        # Thurrock's source counts weekends and bank holidays as out of hours.
        ("Grays", SATURDAY_11, THURROCK[1], THURROCK[0]),
        ("Tilbury", CHRISTMAS_10, THURROCK[1], THURROCK[0]),
        # Essex's source states the out-of-hours times (Mon-Thurs 5.30pm-9am, Fri 4.30pm-9am):
        # the hours between are setguide's reading.
        ("Harlow", TUESDAY_10, ESSEX[0], ESSEX[1]),
        ("Chelmsford", TUESDAY_22, ESSEX[1], ESSEX[0]),
        ("Basildon", SATURDAY_11, ESSEX[1], ESSEX[0]),
    ],
)
def test_the_number_to_phone_at_this_moment(run, area, at, now_has, now_lacks):
    p = plan(run, area, at)
    assert p["outcome"] == "CHILD-PROTECTION"
    assert now_has in values(p["now"]) and now_lacks not in values(p["now"])
    assert now_lacks in values(p["then"])  # the other number, under Then


@pytest.mark.parametrize("at", [TUESDAY_10, TUESDAY_22])
def test_where_the_source_states_no_hours_both_numbers_show_labelled(run, at):
    door = THURROCK
    p = plan(run, "Grays", at)
    now = p["now"]
    office, out = contact(now, door[0]), contact(now, door[1])
    # The source states no hours: the office number is not labelled "office hours".
    assert "(office hours)" not in office["label"] and "out of hours" in out["label"].lower()
    assert any("not stated in the source" in s["text"] for s in now)


@pytest.mark.parametrize("area, door", [("Southend", SOUTHEND), ("Harlow", ESSEX), ("Grays", THURROCK)])
def test_json_carries_the_named_source_beside_each_value(run, area, door):
    p = plan(run, area, TUESDAY_10)
    office = contact(p["now"], door[0])
    src = office["source"]
    assert src["title"].startswith(door[2]) and src["link"].startswith("https://") and src["read_at"]
    assert office["key"].startswith("frontdoors.")
    # The protocol's own values say so: no named source.
    assert all(c["source"] is None for s in p["now"] for c in s["contacts"] if c["key"].startswith("authorities."))


def test_the_protocols_link_stays_verbatim_beside_the_number(run):
    p = plan(run, "Southend", TUESDAY_10)
    assert "http://www.southend.gov.uk/info/200223/childrens_social_care/277/child_protection" in values(p["now"])
    assert "https://www.escb.co.uk/media/2086/set-procedures-oct-2019-updated-southend-logo.pdf" in values(p["now"])


def test_every_view_of_a_front_door_says_it_is_a_named_source(run):
    for args in (
        (*OPERATIONAL, "--area", "Basildon", "--at", TUESDAY_10),
        ("triage", "--no-threat-to-life", "--offence", "--urgent", "--area", "Grays", "--at", TUESDAY_22),
        ("contacts", "southend"),
        ("contacts",),
    ):
        r = run(*args)
        assert r.code == 0 and LABEL in r.out and "Confirm it before you rely on it" in r.out, args


def test_police_plans_with_an_area_keep_the_child_protection_front_door(run):
    for flags in (("--urgent",), ("--not-urgent",)):
        r = run("triage", "--no-threat-to-life", "--offence", *flags, "--area", "Grays", "--at", TUESDAY_10, "--json")
        p = json.loads(r.out)
        then = values(p["then"])
        assert THURROCK[0] in then and THURROCK[1] in then
        assert any(v.startswith("https://www.thurrock.gov.uk/what-to-do-if") for v in then)
        assert THURROCK[0] not in values(p["now"])


def test_outside_set_with_touches_gives_the_touched_areas_front_door(run):
    p = plan(run, "Romford", TUESDAY_10, "--touches", "southend")
    assert SOUTHEND[0] in values(p["now"])


def test_not_sure_leads_to_the_front_door_with_setguides_note(run):
    r = run("triage", "--no-threat-to-life", "--no-offence", "--level", "not-sure", "--area", "Southend",
            "--at", TUESDAY_10, "--json")  # fmt: skip
    p = json.loads(r.out)
    assert p["outcome"] == "CHILD-PROTECTION" and p["answers_given"] == 4
    # The number first (the title says it), then setguide's note, then the protocol's links.
    assert p["title"] == "Phone the Southend Children's Single Point of Contact Team: 01702 215007"
    assert SOUTHEND[0] in values(p["now"][:1])
    assert p["now"][1]["source"] == "setguide" and "come first" in p["now"][1]["text"]


def test_hours_that_are_setguides_reading_of_the_source_say_so(run):
    p = plan(run, "Harlow", TUESDAY_22)
    step = next(s for s in p["now"] if ESSEX[1] in [c["value"] for c in s["contacts"]])
    assert step["note"]["source"] == "setguide" and "setguide's reading" in step["note"]["text"]


def test_the_spoc_is_under_also_as_the_contact_for_intelligence(run):
    p = plan(run, "Grays", TUESDAY_10)
    assert "SMoules@thurrock.gov.uk" not in values(p["now"])
    assert "SMoules@thurrock.gov.uk" in values(p["also"])
    assert any("for sharing intelligence" in s["text"] for s in p["also"])


def test_the_current_procedures_are_named_beside_the_2019_link(run):
    p = plan(run, "Harlow", TUESDAY_10)
    current = contact(p["now"], "https://www.escb.co.uk/working-with-children/safeguarding-policies-procedures")
    assert "2025" in current["label"] and current["source"]["title"].startswith("Essex Safeguarding Children Board")


def test_contacts_shows_the_front_door_beside_the_spoc(run):
    r = run("contacts", "thurrock")
    assert "SMoules@thurrock.gov.uk" in r.out and THURROCK[0] in r.out and THURROCK[1] in r.out
    j = json.loads(run("contacts", "thurrock", "--json").out)[0]
    door = j["front_door"]
    assert door["office_phone"]["value"] == THURROCK[0]
    assert door["office_phone"]["source"]["read_at"] and door["not_the_protocol"] is True
    assert json.loads(run("contacts", "police", "--json").out)[0]["front_door"] is None


def test_a_corrected_front_door_number_is_marked_where_it_shows(run):
    r = run("data", "set", "frontdoors.thurrock.office_phone", "01375 000000", "--source", "Thurrock MASH, phoned")
    assert r.code == 0, r.err
    out = run(*OPERATIONAL, "--area", "Grays", "--at", TUESDAY_10).out
    assert "01375 000000" in out and "LOCAL CORRECTION" in out and "01375 652 802" in out
    p = plan(run, "Grays", TUESDAY_10)
    assert [c["key"] for c in p["local_corrections"]] == ["frontdoors.thurrock.office_phone"]


def test_a_corrected_rule_that_changes_the_number_is_marked(run):
    r = run("data", "set", "frontdoors.southend.hours", "mon tue wed thu fri 09:00-23:00", "--source", "SCC, phoned")
    assert r.code == 0, r.err
    p = plan(run, "Southend", TUESDAY_22)
    assert SOUTHEND[0] in values(p["now"])
    assert "frontdoors.southend.hours" in [c["key"] for c in p["local_corrections"]]


@pytest.mark.parametrize("field", ["title", "url", "read_at"])
def test_a_named_source_without_title_link_or_read_at_does_not_load(field):
    raw = copy.deepcopy(read_raw())
    del raw["frontdoors"]["source"][0][field]
    with pytest.raises(DataError) as e:
        build(raw, data_dir())
    assert "frontdoors.toml" in str(e.value) and field in str(e.value)


def test_a_front_door_value_without_a_source_does_not_load():
    raw = copy.deepcopy(read_raw())
    raw["frontdoors"]["front_door"][0]["sources"] = {}
    with pytest.raises(DataError) as e:
        build(raw, data_dir())
    assert "sources" in str(e.value)


def test_bad_hours_are_refused_naming_the_file_and_field():
    raw = copy.deepcopy(read_raw())
    door = next(d for d in raw["frontdoors"]["front_door"] if "hours" in d)
    door["hours"] = ["mon 17:30-09:00"]
    with pytest.raises(DataError) as e:
        build(raw, data_dir())
    assert "frontdoors.toml" in str(e.value) and "hours[0]" in str(e.value)
