"""`setguide sources`: every source setguide's facts rest on, how old each is, oldest
first; the card's short section. Expected values are written out by hand from the
pages read, not taken from the data."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from tests.conftest import clear_data_caches


@pytest.fixture(autouse=True)
def moment():
    with freeze_time(datetime(2026, 12, 6, 12, 0, tzinfo=ZoneInfo("Europe/London"))):
        yield


def correct(run) -> None:
    assert run("data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "switchboard").code == 0
    clear_data_caches()  # one process per command in use; here `get()` would keep the data read before


def ledger(run) -> list[dict]:
    r = run("sources", "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)["sources"]


def test_the_ledger_names_the_protocol_as_undated_citing_october_2019(run):
    (protocol,) = [e for e in ledger(run) if e["kind"] == "protocol"]
    assert protocol["age"] == "undated; cites documents of October 2019" and protocol["dated"] is None
    r = run("sources")
    assert r.code == 0 and "undated; cites documents of October 2019" in r.out


def test_each_named_source_has_title_publisher_status_link_age_and_facts(run):
    named = {e["id"]: e for e in ledger(run) if e["kind"] == "named source"}
    ccg = named["nee-ccg-referral-advice"]
    assert ccg["title"] == "NHS North East Essex CCG: Referral advice and guidance"
    assert ccg["publisher"] == "NHS North East Essex CCG"
    assert ccg["publisher_status"].startswith("abolished 1 July 2022")
    assert ccg["link"] == "https://www.neessexccg.nhs.uk/referral-advice-guidance" and ccg["age"] == "undated"
    assert "frontdoors.essex.out_of_hours_phone" in ccg["facts"]
    assert "2022 or later" in named["escb-ce-tools"]["age"]
    assert "forums.essex-mace-2.other_cadence" in named["escb-mace"]["facts"]
    for e in named.values():
        assert e["title"] and e["publisher"] and e["publisher_status"] and e["link"] and e["age"]


def test_oldest_first_undated_first_then_by_date_then_corrections(run):
    correct(run)
    kinds = [e["kind"] for e in ledger(run)]
    ages = [e.get("age", "") for e in ledger(run)]
    first_dated = kinds.index("protocol")
    assert all(a == "undated" for a in ages[:first_dated])  # age unknown: listed first
    assert kinds[-1] == "local correction"
    named = [e["id"] for e in ledger(run) if e["kind"] == "named source"]
    # probably before 2020, then November 2022 or later, then 2025 or later
    assert (
        named.index("southend-child-protection-www")
        < named.index("escb-ce-tools")
        < named.index("escb-practice-guidance")
    )


def test_a_local_correction_is_listed_with_value_source_who_and_when_and_marked(run):
    correct(run)
    (c,) = [e for e in ledger(run) if e["kind"] == "local correction"]
    assert c == {
        "kind": "local correction",
        "key": "contacts.thurrock.phone_text",
        "value": "01375 000000",
        "protocol_value": "01375 652973",
        "source": "switchboard",
        "who": "local",
        "team": None,
        "set_on": "2026-12-06",
    }
    r = run("sources")
    assert "Value (LOCAL CORRECTION): 01375 000000" in r.out and "When: 2026-12-06" in r.out


def test_the_card_has_a_short_sources_section(run):
    r = run("card", "--html", "-")
    assert r.code == 0, r.err
    section = r.out.split("Sources and how current they are", 1)[1].split("</ul>", 1)[0]
    assert "The protocol: undated; cites documents of October" in section
    assert "NHS Thurrock CCG: abolished 1 July" in section
