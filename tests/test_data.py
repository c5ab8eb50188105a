"""Every packaged fact is checked against the protocol text itself, so a typo in
data/ is caught here, not by someone dialling a wrong number."""

from __future__ import annotations

import re

import pytest

from setguide.model.data import cite
from tests.conftest import PROTOCOL

TEXT = PROTOCOL.read_text(encoding="utf-8")
FOLDED = " ".join(re.sub(r"\[bookmark: [^\]]*\]", "", TEXT).split())


def in_protocol(fragment: str) -> bool:
    return " ".join(fragment.split()) in FOLDED


@pytest.mark.parametrize(
    ("cid", "name", "phone", "email"),
    [
        ("essex", "Sally-Ann Millar", "07788303718 / 033301 34258", "sally-ann.millar@essex.gov.uk"),
        ("southend", "Alex Bridge", "01702 534300 or extension 4050", "alexbridge@southend.gov.uk"),
        ("thurrock", "Seema Moules", "01375 652973", "SMoules@thurrock.gov.uk"),
        (
            "essex-police",
            "Tony Benjamin",
            "Dial: 101 then ext 203584 / 07855515869",
            "Tony.Benjamin@essex.police.co.uk",
        ),
    ],
)
def test_each_spoc_is_exactly_as_the_protocol_gives_it(data, cid, name, phone, email):
    c = data.contacts[cid]
    assert (c.name, c.phone_text, c.email) == (name, phone, email)
    for value in (c.display_name, c.role, c.organisation, c.email, c.phone_text):
        assert in_protocol(value), value


def test_spoc_phones_taken_apart_are_the_numbers_in_the_text(data):
    for c in data.contacts.values():
        digits = re.sub(r"\D", "", c.phone_text)
        for p in c.phones:
            for part in (p.number, p.extension):
                if part:
                    assert re.sub(r"\D", "", part) in digits, (c.id, part)


def test_every_string_fact_of_section_1_is_in_the_protocol(data):
    # Free-text summaries (`when`, `team`, `complement`, ...) are setguide's words; the
    # facts a user acts on (numbers, addresses, links, quoted rules) must be verbatim.
    verbatim = {
        "emergency": ("number", "text"),
        "police_point_of_contact": ("text",),
        "triage_line": ("phone_text", "verbal_referral", "number"),
        "out_of_hours": ("text", "cait_text", "number"),
        "sharing_form": ("name", "url", "text"),
        "secure_email": ("rule_text",),
        "triage_email": ("address", "team"),
        "share_with_police": ("text",),
        "procedures": ("name", "url"),
        "weisf": ("url",),
        "outside_set": ("text",),
        "mace_contact_list": ("url",),
    }
    for fid, keys in verbatim.items():
        for key in keys:
            assert in_protocol(data.facts[fid][key]), (fid, key)
    for ext in data.facts["triage_line"]["extensions"]:
        assert "extn 180022 or 180043".count(ext) == 1
    for cait in data.facts["out_of_hours"]["cait"]:
        assert cait in data.facts["out_of_hours"]["cait_text"]
    for domain in data.facts["secure_email"]["domains"]:
        assert domain in data.facts["secure_email"]["rule_text"]


def test_triage_line_hours_are_the_protocols(data):
    t = data.facts["triage_line"]
    assert (t["opens"], t["closes"], t["days"]) == ("08:00", "18:00", ("mon", "tue", "wed", "thu", "fri"))
    assert in_protocol(t["hours_text"])
    assert t["extensions"] == ("180022", "180043")
    assert data.facts["out_of_hours"]["cait"] == ("Colchester", "Chelmsford", "Basildon", "Southend", "Grays", "Harlow")


def test_child_protection_pages_are_the_protocols(data):
    assert len(data.authorities) == 3
    for a in data.authorities.values():
        assert in_protocol(a.child_protection_page), a.id
        assert a.section == "1"


def test_share_examples_come_from_the_protocol(data):
    examples = data.facts["share_with_police"]["examples"]
    assert any("blue car" in e for e in examples)
    assert any("make, colour and registration number" in e for e in examples)
    for e in examples:
        assert in_protocol(e), e


@pytest.mark.parametrize(
    ("quadrant", "districts"),
    [
        ("mid", {"Braintree", "Chelmsford", "Maldon"}),
        ("north", {"Colchester", "Tendring"}),
        ("west", {"Brentwood", "Epping Forest", "Harlow", "Uttlesford"}),
        ("south", {"Basildon", "Castle Point", "Rochford"}),
    ],
)
def test_quadrant_table_matches_section_2_1(data, quadrant, districts):
    q = data.quadrants[quadrant]
    assert {d.name for d in data.quadrant_districts(quadrant)} == districts
    assert in_protocol(f"{q.name!s} {q.text!s}")


def test_twelve_essex_districts_and_two_unitary_authorities(data):
    essex = [d for d in data.districts.values() if d.authority == "essex"]
    assert len(essex) == 12 and all(d.quadrant for d in essex)
    unitary = {d.name for d in data.districts.values() if d.authority != "essex"}
    assert unitary == {"Southend-on-Sea", "Thurrock"}


# (forum id, cadence, the protocol's words for it, section)
FORUMS = [
    ("essex-mace-1-mid", "monthly", "on a monthly basis", "2.1"),
    ("essex-mace-2-south", "bi-monthly", "Part 2 of the meeting is run bi-monthly", "2.1"),
    ("thurrock-mace", "six-weekly", "sits every six weeks", "2.2"),
    ("thurrock-rmm", None, "reported as missing during the week", "2.2"),
    ("thurrock-tracker", None, "CSE/CE tracker meetings take place", "2.2"),
    ("thurrock-grv", "monthly", "sits each month", "2.2"),
    ("southend-censor", "fortnightly", "This takes place fortnightly", "2.3"),
    ("southend-task-force", "monthly", "task force held monthly", "2.3"),
    ("southend-mase", "six-weekly", "takes place every 6 weeks", "2.3"),
    ("set-cse-strategic-group", None, "The SET CSE Strategic Group is chaired by Essex Police", "3"),
]


@pytest.mark.parametrize(("fid", "cadence", "words", "section"), FORUMS)
def test_forum_cadence_and_section_follow_the_protocol(data, fid, cadence, words, section):
    f = data.forums[fid]
    assert f.cadence == cadence
    assert f.section == section
    assert in_protocol(words)
    assert f.purpose and f.themes and f.chair and f.attendees


def test_every_forum_of_sections_2_and_3(data):
    # 4 quadrants x 2 parts in Essex, 4 in Thurrock, 3 in Southend, 1 SET-wide group.
    by_authority = {}
    for f in data.forums.values():
        by_authority[f.authority] = by_authority.get(f.authority, 0) + 1
    assert by_authority == {"essex": 8, "thurrock": 4, "southend": 3, "set": 1}


def test_forum_leads_and_members_as_the_protocol_says(data):
    assert "Youth Offending Service" in data.forums["thurrock-grv"].chair
    assert "Police Inspector and Head of Children" in data.forums["southend-task-force"].chair
    assert "LA, Police and Health" in data.forums["southend-mase"].attendees
    group = data.forums["set-cse-strategic-group"]
    assert group.chair == "Chaired by Essex Police"
    assert in_protocol(group.attendees[0].lower() + group.attendees[1:])
    assert in_protocol(data.forums["thurrock-tracker"].attendees)
    assert data.forums["thurrock-tracker"].kind("chair") == "setguide"


def test_themes_pick_the_forums_the_protocol_describes(data):
    def with_theme(authority, theme):
        return {f.id for f in data.forums_of(authority) if theme in f.themes}

    assert "southend-censor" in with_theme("southend", "county-lines")
    assert with_theme("southend", "missing") == {"southend-mase"}
    assert "southend-task-force" in with_theme("southend", "trafficking")  # the NRM
    assert "thurrock-rmm" in with_theme("thurrock", "missing")
    assert "thurrock-grv" in with_theme("thurrock", "gangs")


def test_every_citation_resolves_to_a_section(data):
    cited = [c.section for c in data.contacts.values()]
    cited += [f.section for f in data.facts.values()]
    cited += [f.section for f in data.forums.values()]
    cited += [x.section for x in (*data.authorities.values(), *data.quadrants.values(), *data.districts.values())]
    assert set(cited) <= set(data.sections)
    assert cite("2.1") == "§2.1" and cite("spoc") == "SPOC table"


def test_section_texts_are_the_protocols_own(data):
    for s in data.sections.values():
        for paragraph in s.text.split("\n\n"):
            assert in_protocol(paragraph), (s.id, paragraph[:60])
    assert set(data.sections) >= {"spoc", "purpose", "1", "2", "2.1", "2.2", "2.3", "3"}
