"""What the newest named source says, beside the protocol, on every surface: the terminal,
--json, the record and the card. The expected words are written out by hand from the
pages read (data/frontdoors.toml records each page), not taken from the data."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from setguide.base.errors import DataError
from setguide.model.data import data_dir, read_raw
from setguide.model.validate import build

OPERATIONAL = ("triage", "--no-threat-to-life", "--no-offence", "--level", "operational")
TUESDAY_0850 = "2026-12-01T08:50"  # between Active Essex's 8.45am and setguide's reading, 9am
TUESDAY_0840 = "2026-12-01T08:40"
TUESDAY_0900 = "2026-12-01T09:00"
TUESDAY_10 = "2026-12-01T10:00"
TUESDAY_22 = "2026-12-01T22:00"
HUB, OUT_OF_HOURS = "0345 603 7627", "0345 606 1212"
PRIORITY = "call the Children and Families Hub on 0345 603 7627 and ask for the Priority Line"
CONSULTATION = "asking for the Consultation Line"
PHONE_FIRST = "you must phone and speak to a social worker. This will need to be supported by an email"
FORM_LINK = "http://www.escb.co.uk/media/2065/partner-information-submission-form.docx"


@pytest.fixture(autouse=True)
def moment():
    """Commands without --at (contacts, forums, card) run at a set moment, never the real clock."""
    with freeze_time(datetime(2026, 12, 6, 12, 0, tzinfo=ZoneInfo("Europe/London"))):
        yield


def now_values(r) -> list[str]:
    doc = json.loads(r.out)
    return [c["value"] for s in doc["now"] for c in s["contacts"]]


def named(doc: dict) -> dict[str, dict]:
    return {n["id"]: n for n in doc.get("named_sources", [])}


def test_essex_hub_number_says_to_ask_for_the_priority_line_on_every_surface(run, tmp_path):
    record = tmp_path / "r.md"
    r = run(*OPERATIONAL, "--area", "Harlow", "--at", TUESDAY_10, "--record", str(record))
    assert r.code == 0, r.err
    for text in (r.out, record.read_text(encoding="utf-8")):
        assert HUB in text and PRIORITY in text and CONSULTATION in text
        assert "NHS North East Essex CCG: abolished 1 July 2022" in text
    r = run("contacts", "essex")
    assert PRIORITY in r.out
    doc = json.loads(run(*OPERATIONAL, "--area", "Harlow", "--at", TUESDAY_10, "--json").out)
    line = named(doc)["essex-priority-line"]
    assert "ask for the 'Priority Line'" in " ".join(line["says"])  # verbatim in JSON, quote marks kept
    assert line["source"]["publisher_status"].startswith("abolished 1 July 2022")
    assert line["not_the_protocol"] is True


@pytest.mark.parametrize(
    "at, has, lacks",
    [
        (TUESDAY_0840, [OUT_OF_HOURS], [HUB]),  # before either source opens the line
        (TUESDAY_0850, [HUB, OUT_OF_HOURS], []),  # the sources disagree: both numbers
        (TUESDAY_0900, [HUB], [OUT_OF_HOURS]),  # both sources: open
    ],
)
def test_between_845_and_9_both_essex_numbers_show_with_the_disagreement(run, at, has, lacks):
    r = run(*OPERATIONAL, "--area", "Chelmsford", "--at", at, "--json")
    assert r.code == 0, r.err
    values = now_values(r)
    assert all(v in values for v in has) and not any(v in values for v in lacks), values
    if at == TUESDAY_0850:
        text = run(*OPERATIONAL, "--area", "Chelmsford", "--at", at).out
        assert "the sources disagree" in text and "This phoneline is open Monday – Thursday 8.45am" in text
        assert "activeessex.org" in text


def test_southend_says_phone_first_then_email_the_same_day(run):
    r = run(*OPERATIONAL, "--area", "Southend", "--at", TUESDAY_10)
    assert "01702 215007" in r.out and PHONE_FIRST in r.out and "the same day" in r.out
    doc = json.loads(run("contacts", "southend", "--json").out)
    assert PHONE_FIRST in " ".join(named(doc[0])["southend-phone-first"]["says"])


def test_southend_out_of_hours_email_shows_where_the_named_page_gives_it(run):
    r = run(*OPERATIONAL, "--area", "Southend", "--at", TUESDAY_22)
    assert OUT_OF_HOURS in r.out and "fct@southend.gov.uk (Southend)" in r.out
    assert "Estuary Housing Association: Safeguarding" in r.out


def test_the_intelligence_form_keeps_the_protocols_link_and_says_where_it_is_now(run):
    r = run("triage", "--no-threat-to-life", "--offence", "--not-urgent", "--at", TUESDAY_10)
    assert r.code == 0, r.err
    assert FORM_LINK in r.out
    assert "Police Partner Intel Form - in the SET Partnership Child Exploitation Pathway page 6" in r.out
    assert "currently being updated" in r.out


def test_the_police_spocs_address_is_verbatim_with_a_caution_to_confirm_it(run):
    r = run("contacts", "police")
    assert "Tony.Benjamin@essex.police.co.uk" in r.out
    assert "appears in no public source setguide found" in r.out
    assert "Essex Police uses essex.police.uk" in r.out and "Confirm the address before sending" in r.out
    doc = json.loads(run("contacts", "police", "--json").out)
    assert doc[0]["email"] == "Tony.Benjamin@essex.police.co.uk"
    assert "Confirm the address before sending" in named(doc[0])["police-spoc-domain"]["setguide"]


def test_the_gcsx_advice_of_a_cited_page_is_flagged_out_of_date_with_govuk(run):
    r = run("contacts", "essex")
    assert "only those addresses that include gcsx are secure" in r.out
    assert "out of date" in r.out and "GOV.UK guidance: Securing government email" in r.out
    assert "must now be replaced with a government domain" in r.out


def test_mace_shows_quarterly_beside_bi_monthly_with_chairs_and_members(run):
    r = run("forums", "--authority", "essex")
    assert "MACE Part 2 takes place quarterly" in r.out and "bi-monthly" in r.out
    assert "co-Chaired by ECC Social Care and Essex Police" in r.out
    assert "British Transport Police and National Probation Service" in r.out


def test_mace_projections_say_which_cadence_they_follow_and_show_the_other(run):
    assert run("forums", "add-date", "essex-mace-2-south", "10/12/2026", "--time", "10:00").code == 0
    r = run("forums", "--next", "--authority", "essex", "--at", "2026-12-07T10:00")
    assert "Thu 11 Feb 2027 10:00  Essex MACE Part 2 – South Quadrant (projected)" in r.out  # every other month
    assert "follow the protocol's frequency (bi-monthly)" in r.out
    assert "gives quarterly instead: from the same recorded date, the next would be Thu 11 Mar 2027" in r.out
    doc = json.loads(run("forums", "--next", "--authority", "essex", "--at", "2026-12-07T10:00", "--json").out)
    recorded, projected = doc[0], doc[1]
    # A date the user records always wins: it is the date, with no other cadence beside it.
    assert recorded["date"] == "2026-12-10" and recorded["basis"] == "recorded" and recorded["other_cadence"] is None
    assert projected["other_cadence"]["follows"] == "bi-monthly"
    assert projected["other_cadence"]["other_cadence"] == "quarterly"
    assert projected["other_cadence"]["other_dates"] == ["2027-03-11"]


def test_every_named_source_says_who_published_it_whether_they_exist_and_its_age(run):
    doc = json.loads(run("contacts", "--json").out)
    sources = [v["source"] for c in doc if c["front_door"] for v in c["front_door"].values() if isinstance(v, dict)]
    assert sources
    for s in sources:
        assert s["publisher"] and s["publisher_status"] and s["age"]
    assert {s["age"] for s in sources} >= {"undated"}


def test_the_card_carries_the_named_sources_words(run):
    r = run("card", "--html", "-")
    assert r.code == 0, r.err
    shown = (
        "Priority Line",
        "8.45am",
        "EHFSA",
        "page 6",
        "Confirm the address before sending",
        "MACE Part 2 takes place quarterly",
        "fct@southend.gov.uk",
        "Sources and how current they are",
    )
    for words in shown:
        assert words in r.out, words


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda b: b.update(source="no-such-page"), "source"),
        (lambda b: b.update(says=[]), "says"),
        (lambda b: b.update(applies_to=["not a key"]), "applies_to[0]"),
    ],
)
def test_a_bad_beside_entry_does_not_load_and_names_the_file_and_field(change, field):
    raw = copy.deepcopy(read_raw())
    change(raw["frontdoors"]["beside"][0])
    with pytest.raises(DataError) as e:
        build(raw, data_dir())
    assert "frontdoors.toml" in str(e.value) and field in str(e.value)


@pytest.mark.parametrize("field", ["publisher", "status"])
def test_a_named_source_without_publisher_or_its_status_does_not_load(field):
    raw = copy.deepcopy(read_raw())
    del raw["frontdoors"]["source"][0][field]
    with pytest.raises(DataError) as e:
        build(raw, data_dir())
    assert "frontdoors.toml" in str(e.value) and field in str(e.value)
