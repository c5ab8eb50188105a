"""Every route the protocol gives, on every plan: the council's child-protection first point
of contact wherever §1 applies (every police plan and the 999 plan's Then, with and without an
area), a Now that is an action with its number first, "not sure" offering every level, the
words for a place outside SET, and readings labelled as setguide's. Numbers written out by
hand from data/frontdoors.toml's sources."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from setguide.triage import tree as routing

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = "2026-12-01T10:00"
TUESDAY_19 = "2026-12-01T19:00"
BOXING_DAY_OBSERVED_10 = "2026-12-28T10:00"
PAGES = {
    "Southend": "http://www.southend.gov.uk/info/200223/childrens_social_care/277/child_protection",
    "Harlow": "https://www.essex.gov.uk/Health-Social-Care/Families-and-childrens-social-care/"
    "Protecting-Vulnerable-Children/Pages/Children-at-Risk-of-Abuse-or-Neglect.aspx",
    "Grays": "https://www.thurrock.gov.uk/what-to-do-if-you-are-worried-about-child/what-to-do-if-you-are-worried-about-child",
}
# (the number at 10:00 on a Tuesday, the number at 19:00): Thurrock's source states no hours.
DOORS = {
    "Southend": (["01702 215007"], ["0345 606 1212"]),
    "Harlow": (["0345 603 7627"], ["0345 606 1212"]),
    "Grays": (["01375 652 802", "01375 372468"], ["01375 652 802", "01375 372468"]),
}
POLICE = {
    "emergency": ["--threat-to-life"],
    "urgent": ["--no-threat-to-life", "--offence", "--urgent"],
    "written": ["--no-threat-to-life", "--offence", "--not-urgent"],
}


def plan(run, *args: str) -> dict:
    r = run("triage", *args, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def values(steps: list[dict]) -> list[str]:
    return [c["value"] for s in steps for c in s["contacts"]]


@pytest.mark.parametrize("route", POLICE)
@pytest.mark.parametrize("area", DOORS)
@pytest.mark.parametrize("at, which", [(TUESDAY_10, 0), (TUESDAY_19, 1)])
def test_every_police_plan_and_999_name_the_areas_front_door_under_then(run, route, area, at, which):
    p = plan(run, *POLICE[route], "--area", area, "--at", at)
    then = values(p["then"])
    assert PAGES[area] in then
    for number in DOORS[area][which]:
        assert number in then, f"{route} {area} {at}: {number} missing from Then"
    # Only the area's council: no other council's page.
    assert not [page for a, page in PAGES.items() if a != area and page in then]
    if route == "emergency":
        assert values(p["now"]) == ["999"]  # 999 first, alone


@pytest.mark.parametrize("route", POLICE)
def test_without_an_area_then_lists_the_three_front_doors_for_this_moment(run, route):
    p = plan(run, *POLICE[route], "--at", TUESDAY_19)
    then = p["then"]
    door_step = next(s for s in then if s["source"] == "named source, not the protocol")
    labels = [c["label"] for c in door_step["contacts"]]
    assert [label.split(":")[0].split(",")[0] for label in labels] == ["Southend", "Essex", "Thurrock", "Thurrock"]
    assert values([door_step]) == ["0345 606 1212", "0345 606 1212", "01375 652 802", "01375 372468"]
    assert all(c["source"] and c["source"]["link"].startswith("http") for c in door_step["contacts"])
    cp = next(s for s in then if s["source"] == "§1" and "first point of contact" in s["text"])
    assert "detail first point of contact" in cp["text"]


def test_999_with_an_area_uses_it(run):
    """`--threat-to-life --area Southend` once ignored the area: its Then gave only the procedures."""
    p = plan(run, "--threat-to-life", "--area", "Southend", "--at", TUESDAY_10)
    assert p["outcome"] == "EMERGENCY" and "01702 215007" in values(p["then"])


@pytest.mark.parametrize(
    "area, at, title",
    [
        ("Harlow", TUESDAY_10, "Phone the Children and Families Hub: 0345 603 7627"),
        ("Southend", TUESDAY_19, "Phone the Emergency duty team: 0345 606 1212"),
        ("Grays", "2026-12-05T11:00", "Phone Thurrock Emergency Duty Team (EDT): 01375 372468"),
        (
            "Grays",
            TUESDAY_10,
            "Phone the Thurrock Multi-agency Safeguarding Hub (MASH): 01375 652 802, or out of hours 01375 372468",
        ),
    ],
)
def test_the_child_protection_now_is_an_action_number_first(run, area, at, title):
    p = plan(run, "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", area, "--at", at)
    assert p["title"] == title
    number = title.split(": ")[1].split(",")[0]
    assert values(p["now"])[0] == number  # the number before any link
    first_link = next(i for i, v in enumerate(values(p["now"])) if v.startswith("http"))
    assert first_link > 0


def test_a_page_with_a_newer_home_shows_it_labelled_as_setguides_inference(run):
    p = plan(run, "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "Southend",
             "--at", TUESDAY_10)  # fmt: skip
    contacts = [c for s in p["now"] for c in s["contacts"]]
    i = [c["value"] for c in contacts].index(PAGES["Southend"])
    newer = contacts[i + 1]
    assert newer["value"] == "https://southend.gov.uk/childrens-social-care/child-protection"
    assert "setguide's inference" in newer["label"] and "moved to" not in json.dumps(p)


def test_a_bank_holiday_the_source_names_ambiguously_shows_both_numbers_in_its_words(run):
    p = plan(run, "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "Harlow",
             "--at", BOXING_DAY_OBSERVED_10)  # fmt: skip
    now = values(p["now"])
    assert "0345 603 7627" in now and "0345 606 1212" in now
    assert "Out of hours: (Mon-Thurs 5.30pm-9am. Fri & Bank Holidays 4.30pm-9am)" in now
    assert "counts" not in json.dumps(p)
    assert p["title"] == "Phone the Children and Families Hub: 0345 603 7627, or out of hours 0345 606 1212"


@pytest.mark.parametrize(
    "area, forum", [("Southend", "MASE"), ("Colchester", "Essex MACE"), ("Grays", "Thurrock MACE")]
)
def test_not_sure_offers_every_level(run, area, forum):
    p = plan(run, "--no-threat-to-life", "--no-offence", "--level", "not-sure", "--area", area, "--at", TUESDAY_10)
    also = p["also"]
    assert [s["source"] for s in also][:1] == ["§1"]
    forums = next(s for s in also if s["source"] == "§2")
    assert "can be used" in forums["text"] and forum in json.dumps(forums)
    assert any(s["source"] == "§3" and "SET CSE Strategic Group" in s["text"] for s in also)
    assert not any(" must " in s["text"] for s in also)


@pytest.mark.parametrize(
    "area, theme, spoc",
    [("Harlow", None, "sally-ann.millar@essex.gov.uk"), ("Southend", "missing", "alexbridge@southend.gov.uk")],
)
def test_the_potential_information_now_is_the_areas_spoc_labelled_forums_after(run, area, theme, spoc):
    args = ["--no-threat-to-life", "--no-offence", "--level", "potential", "--area", area, "--at", TUESDAY_10]
    p = plan(run, *args, *(["--theme", theme] if theme else []))
    first = p["now"][0]
    assert spoc in p["title"] and first["source"] == "SPOC table" and spoc in values([first])
    assert first["note"]["source"] == "setguide" and first["note"]["text"].startswith("setguide's reading")
    assert any(s["items"] for s in p["now"][1:])  # the forums follow
    if area == "Harlow":
        assert "https://www.escb.co.uk/media/2570/mace-principal-contact-list-updated-mid.docx" in values(p["now"][:2])


def test_an_outside_place_that_touches_set_says_so_and_names_the_area(run):
    r = run("triage", "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "Ipswich",
            "--touches", "southend", "--at", TUESDAY_10)  # fmt: skip
    assert "setguide: Ipswich is outside SET; this plan is for Southend, the SET area it touches." in r.out


def test_touching_nowhere_in_set_claims_no_set_route(run):
    p = plan(run, "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "Ipswich",
             "--touches", "none", "--at", TUESDAY_10)  # fmt: skip
    text = json.dumps(p)
    assert p["outcome"] == "OUTSIDE-SET" and not p["also"] and not p["then"]
    local = p["now"][0]
    assert local["source"] == "setguide" and "101" in values([local]) and "police force" in local["text"]
    assert any("across SET" in s["text"] and s["source"] == "protocol: purpose" for s in p["now"])
    for claim in ("Essex Police Child Information Sharing Form", "SPOC", "forums", "0345 603 7627"):
        assert claim not in text
    # A police plan for a place touching nowhere in SET is the same plan: no Essex Police route applies.
    for urgent in ("--urgent", "--not-urgent"):
        police = plan(run, "--no-threat-to-life", "--offence", urgent, "--area", "Ipswich", "--touches", "none",
                      "--at", TUESDAY_10)  # fmt: skip
        assert (police["outcome"], police["now"]) == (p["outcome"], p["now"])
        assert "Essex Police" not in json.dumps(police["now"])


def test_the_strategic_title_cites_1_for_essex_police_and_3_for_the_group(data):
    at = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    o = routing.route({"threat": "no", "offence": "no", "level": "strategic"}, at, data)
    assert o.citations[:2] == ("§1", "§3")
    from setguide.triage.view import tree_outline

    outline = str(tree_outline(routing.tree_for(data)))
    assert "Share it with Essex Police, for the SET CSE Strategic Group [§1; §3]" in outline


def test_with_no_area_the_police_plan_cites_2_for_forums_only(run):
    p = plan(run, *POLICE["urgent"], "--at", TUESDAY_10)
    step = next(s for s in p["also"] if s["source"] == "§2")
    assert "SPOC" not in step["text"] and "forums" in step["text"]


def test_the_offered_area_question_says_it_finds_the_front_door(data):
    tree = routing.tree_for(data)
    for o in tree.outcomes.values():
        if o.code.startswith("POLICE"):
            assert "child-protection front door" in tree.nodes[o.offer].hint


def test_a_front_door_with_no_stated_hours_is_not_labelled_office_hours(run):
    p = plan(run, "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "Grays",
             "--at", TUESDAY_10)  # fmt: skip
    assert not any("office hours" in c["label"] for s in p["steps"] for c in s["contacts"] if "MASH" in c["label"])


def test_quadrant_json_cites_the_named_source_for_a_unitary_authority(run):
    p = json.loads(run("quadrant", "Southend", "--json").out)
    assert p["source"] == "https://en.wikipedia.org/wiki/Southend-on-Sea_City_Council"
    assert p["source_title"] == "Wikipedia: Southend-on-Sea City Council"


def test_triage_help_keeps_q3_whole(run):
    out = " ".join(run("triage", "--help").out.split())
    assert "no immediate threat to life or safety" in out


def test_the_next_footer_cites_only_sections_that_state_a_frequency(run):
    out = run("forums", "--next", "--at", TUESDAY_10).out
    footer = next(line for line in out.splitlines() if "frequencies:" in line)
    assert "§3" not in footer and "§2.1" in footer


def test_the_cards_offence_rows_say_a_concern_about_a_child_also_goes_to_the_council(data):
    from setguide.card.build import decision_doc
    from setguide.output.blocks import Table

    table = next(b for b in decision_doc(data, routing.tree_for(data)) if isinstance(b, Table))
    offence = [row for row in table.rows if str(row[0]).startswith("An offence likely")]
    assert len(offence) == 3
    assert all("a concern about a child also goes to the council" in str(row[1]) for row in offence)
