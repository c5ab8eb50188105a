"""The triage core: every path through the tree against a table written out by hand
from the protocol, the triage line's hours at every hour of a week, across the
clock changes and on bank holidays, and the tree's validation."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
import pytest
from freezegun import freeze_time

from setguide.base import clock
from setguide.base.errors import DataError, UsageError
from setguide.model.data import read_toml
from setguide.triage import tree as routing

LONDON = ZoneInfo("Europe/London")
IN_HOURS = datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)  # a Tuesday, no bank holiday

# --- the expected plans, from the protocol (not from the tree) ---------------------
# Written out by hand from the protocol's §1-§3 and design §1: the facts each part of
# the plan must show (Now, Also, Then) and facts it must not show anywhere.

SIX_CAIT = ["Colchester", "Chelmsford", "Basildon", "Southend", "Grays", "Harlow"]
TRIAGE = ["101", "180022", "180043"]
OUT_OF_HOURS = ["Force Control Room", "Child Abuse Investigation Team (CAIT)"]
FORM_URL = "http://www.escb.co.uk/media/2065/partner-information-submission-form.docx"
TRIAGE_EMAIL = "OC.triage.team.essex@essex.pnn.police.uk"
SECURE = "a secure email address, e.g. .gsi/.pnn/.nhs.net"
PROCEDURES_URL = "https://www.escb.co.uk/media/2086/set-procedures-oct-2019-updated-southend-logo.pdf"
SOUTHEND_PAGE = "http://www.southend.gov.uk/info/200223/childrens_social_care/277/child_protection"
ESSEX_PAGE = (
    "https://www.essex.gov.uk/Health-Social-Care/Families-and-childrens-social-care/"
    "Protecting-Vulnerable-Children/Pages/Children-at-Risk-of-Abuse-or-Neglect.aspx"
)
THURROCK_PAGE = (
    "https://www.thurrock.gov.uk/what-to-do-if-you-are-worried-about-child/what-to-do-if-you-are-worried-about-child"
)
LA_PAGES = [SOUTHEND_PAGE, ESSEX_PAGE, THURROCK_PAGE]
SHARE = ["can and should be shared with Essex Police", "101", FORM_URL]
ESSEX_SPOC, SOUTHEND_SPOC, THURROCK_SPOC = (
    "sally-ann.millar@essex.gov.uk",
    "alexbridge@southend.gov.uk",
    "SMoules@thurrock.gov.uk",
)
POLICE_SPOC = "Tony.Benjamin@essex.police.co.uk"
SPOC_EMAILS = [ESSEX_SPOC, SOUTHEND_SPOC, THURROCK_SPOC]
CENSOR, TASK_FORCE, MASE = "Operation Censor", "Gangs, County Lines, Vulnerability and Exploitation Task Force", "MASE"
T_MACE, RMM, TRACKER, GRV = (
    "Thurrock MACE",
    "Risk Management Meeting",
    "Child Exploitation tracker meetings",
    "Gang Related Violence forum",
)
NORTH = ["Essex MACE Part 1 – North Quadrant", "Essex MACE Part 2 – North Quadrant"]
MACE_LIST = "https://www.escb.co.uk/media/2570/mace-principal-contact-list-updated-mid.docx"
NO_CONTACTS = "holds no contacts for areas outside"


class Plan(NamedTuple):
    code: str
    now: list[str]
    also: list[str] = []
    then: list[str] = []
    hidden: list[str] = []


# A police Now with no area given: Also says how to get the area's forums and SPOC.
AREA_UNKNOWN = ["--area PLACE"]
URGENT_THEN = [FORM_URL, TRIAGE_EMAIL, PROCEDURES_URL]


# Each council's front door, from its named sources (data/frontdoors.toml), written out by
# hand: (office-hours number, out-of-hours number, whether the source states the hours).
# At IN_HOURS (a Tuesday, 10:00) Southend's and Essex's offices are open: the office number
# is Now and the out-of-hours one Then; Thurrock's source states no office hours: both, Now.
FRONT_DOORS = {
    SOUTHEND_PAGE: ("01702 215007", "0345 606 1212", True),
    ESSEX_PAGE: ("0345 603 7627", "0345 606 1212", True),
    THURROCK_PAGE: ("01375 652 802", "01375 372468", False),
}
CURRENT_PROCEDURES = "https://www.escb.co.uk/working-with-children/safeguarding-policies-procedures"


def cp(page: str, spoc: str, first: tuple[str, ...] = ()) -> Plan:
    others = [p for p in LA_PAGES if p != page] + [e for e in SPOC_EMAILS if e != spoc]
    office, out, by_hour = FRONT_DOORS[page]
    now = [*first, PROCEDURES_URL, CURRENT_PROCEDURES, page, office, "named source"]
    return Plan(
        "CHILD-PROTECTION",
        now if by_hour else [*now, out],
        [*SHARE, spoc, "for sharing intelligence"],
        [out] if by_hour else [],
        [*others, "999"],
    )


UNSURE = ("come first",)


def unsure(page: str, spoc: str, *forums: str) -> Plan:
    """Not sure: the child-protection front door, and Also every other level's route, in the
    protocol's modality: Essex Police (§1), the area's forums (§2), the strategic route (§3)."""
    plan = cp(page, spoc, UNSURE)
    also = [*plan.also, "forums can be used", *forums, "SET CSE Strategic Group can consider it"]
    return plan._replace(also=also)


def southend(*forums: str) -> Plan:
    hidden = [f for f in (CENSOR, TASK_FORCE, MASE) if f not in forums]
    return Plan("FORUM", [*forums, SOUTHEND_SPOC], [*SHARE, "SET CSE Strategic Group"], [], [*hidden, ESSEX_SPOC])


def thurrock(*forums: str) -> Plan:
    hidden = [f for f in (T_MACE, RMM, TRACKER, GRV) if f not in forums]
    return Plan("FORUM", [*forums, THURROCK_SPOC], [*SHARE, "SET CSE Strategic Group"], [], [*hidden, ESSEX_SPOC])


ESSEX_ANY_QUADRANT = Plan(
    "FORUM",
    ["Mid Quadrant", "North Quadrant", "West Quadrant", "South Quadrant", MACE_LIST, ESSEX_SPOC],
    SHARE,
    [],
    [SOUTHEND_SPOC],
)
# Nowhere in SET: the protocol covers sharing across SET; setguide points to the police
# force and council where the concern is (101), and claims no SET route that does not apply.
OUTSIDE_NOWHERE = Plan(
    "OUTSIDE-SET",
    [NO_CONTACTS, "across SET", "police force and the council where the concern is", "101"],
    [],
    [],
    [*SPOC_EMAILS, *LA_PAGES, PROCEDURES_URL, "can and should be shared with Essex Police", "0345 603 7627", "MACE"],
)

# §1: any concern about a child must follow the SET Child Protection Procedures, whose links
# "detail first point of contact". With no area, each council's front door with its number for
# the moment, written out by hand from data/frontdoors.toml's sources: at 10:00 on a Tuesday
# Southend's and Essex's offices are open; from 17:30 (Mon-Thu) both are out of hours
# (0345 606 1212); on a weekday bank holiday neither source says the office is open, so both
# numbers; Thurrock's source states no office hours (both numbers on a weekday) but counts
# weekends and bank holidays as out of hours.
THURROCK_BOTH = ["01375 652 802", "01375 372468"]
DOORS_OPEN = ["0345 603 7627", "01702 215007", *THURROCK_BOTH]
DOORS_CLOSED = ["0345 606 1212", *THURROCK_BOTH]
DOORS_BANK_HOLIDAY = ["0345 603 7627", "01702 215007", "0345 606 1212", "01375 372468"]
NO_AREA_CP = ["The links to the child protection pages of Southend, Essex and Thurrock detail first point of contact"]

# The answers of a path (the computed hours check included) -> the plan. For a place,
# the branch stands for one representative answer: essex = Colchester, southend =
# Southend, thurrock = Thurrock, outside = "outside SET". Thurrock MACE identifies
# "developing CE and more widely exploitative concerns across the Borough" [§2.2]:
# every theme.
EXPECTED: dict[tuple[str, ...], Plan] = {
    ("yes",): Plan(
        "EMERGENCY",
        ["999", "should be contacted on 999"],
        [],
        [PROCEDURES_URL, *NO_AREA_CP, *DOORS_OPEN],
        ["180022", *LA_PAGES, "0345 606 1212"],
    ),
    ("no", "yes", "yes", "in-hours"): Plan(
        "POLICE-URGENT", TRIAGE, AREA_UNKNOWN, [*URGENT_THEN, *NO_AREA_CP, *DOORS_OPEN], ["CAIT", "0345 606 1212"]
    ),
    ("no", "yes", "yes", "closing-soon"): Plan(
        "POLICE-URGENT",
        [*TRIAGE, "18:00", *OUT_OF_HOURS],
        AREA_UNKNOWN,
        [*URGENT_THEN, *NO_AREA_CP, *DOORS_CLOSED],
        ["0345 603 7627", "01702 215007"],
    ),
    ("no", "yes", "yes", "bank-holiday"): Plan(
        "POLICE-URGENT",
        [*TRIAGE, *OUT_OF_HOURS],
        AREA_UNKNOWN,
        [*URGENT_THEN, *NO_AREA_CP, *DOORS_BANK_HOLIDAY],
        ["01375 652 802"],
    ),
    ("no", "yes", "yes", "out-of-hours"): Plan(
        "POLICE-URGENT",
        ["101", *OUT_OF_HOURS, *SIX_CAIT],
        AREA_UNKNOWN,
        [*URGENT_THEN, *NO_AREA_CP, *DOORS_CLOSED],
        ["180022", "0345 603 7627", "01702 215007"],
    ),
    ("no", "yes", "no"): Plan(
        "POLICE-WRITTEN",
        [FORM_URL, TRIAGE_EMAIL, SECURE],
        AREA_UNKNOWN,
        ["180022", "999", PROCEDURES_URL, *NO_AREA_CP, *DOORS_OPEN],
        [*LA_PAGES, "0345 606 1212"],
    ),
    ("no", "no", "operational", "essex"): cp(ESSEX_PAGE, ESSEX_SPOC),
    ("no", "no", "operational", "southend"): cp(SOUTHEND_PAGE, SOUTHEND_SPOC),
    ("no", "no", "operational", "thurrock"): cp(THURROCK_PAGE, THURROCK_SPOC),
    ("no", "no", "operational", "outside", "essex"): cp(ESSEX_PAGE, ESSEX_SPOC),
    ("no", "no", "operational", "outside", "southend"): cp(SOUTHEND_PAGE, SOUTHEND_SPOC),
    ("no", "no", "operational", "outside", "thurrock"): cp(THURROCK_PAGE, THURROCK_SPOC),
    ("no", "no", "operational", "outside", "none"): OUTSIDE_NOWHERE,
    ("no", "no", "potential", "essex"): Plan(
        "FORUM",
        [*NORTH, MACE_LIST, ESSEX_SPOC],
        [*SHARE, "SET CSE Strategic Group"],
        [],
        ["Mid Quadrant", SOUTHEND_SPOC],
    ),
    ("no", "no", "potential", "southend", "county-lines"): southend(CENSOR, TASK_FORCE),
    ("no", "no", "potential", "southend", "criminal-exploitation"): southend(CENSOR, TASK_FORCE),
    ("no", "no", "potential", "southend", "gangs"): southend(TASK_FORCE),
    ("no", "no", "potential", "southend", "missing"): southend(MASE),
    ("no", "no", "potential", "southend", "sexual-exploitation"): southend(MASE),
    ("no", "no", "potential", "southend", "trafficking"): southend(TASK_FORCE),
    ("no", "no", "potential", "southend", "not-sure"): southend(CENSOR, TASK_FORCE, MASE),
    ("no", "no", "potential", "thurrock", "county-lines"): thurrock(T_MACE, GRV),
    ("no", "no", "potential", "thurrock", "criminal-exploitation"): thurrock(T_MACE, RMM, TRACKER, GRV),
    ("no", "no", "potential", "thurrock", "gangs"): thurrock(T_MACE, RMM, GRV),
    ("no", "no", "potential", "thurrock", "missing"): thurrock(T_MACE, RMM),
    ("no", "no", "potential", "thurrock", "sexual-exploitation"): thurrock(T_MACE, RMM, TRACKER),
    ("no", "no", "potential", "thurrock", "trafficking"): thurrock(T_MACE, RMM),
    ("no", "no", "potential", "thurrock", "not-sure"): thurrock(T_MACE, RMM, TRACKER, GRV),
    ("no", "no", "potential", "outside", "essex"): ESSEX_ANY_QUADRANT,
    ("no", "no", "potential", "outside", "southend"): southend(CENSOR, TASK_FORCE, MASE),
    ("no", "no", "potential", "outside", "thurrock"): thurrock(T_MACE, RMM, TRACKER, GRV),
    ("no", "no", "potential", "outside", "none"): OUTSIDE_NOWHERE,
    # §3 names no contact for the group: share it with Essex Police [§1], which chairs it;
    # the SPOC table's Essex Police entry under Also, labelled so.
    ("no", "no", "strategic"): Plan(
        "STRATEGIC",
        [*SHARE, "SET CSE Strategic Group", "Chaired by Essex Police", "names no contact", "no way into it"],
        ["Essex Police entry", POLICE_SPOC],
        [],
        [ESSEX_SPOC, SOUTHEND_SPOC, THURROCK_SPOC],
    ),
    # Not sure which level: the child-protection front door, with setguide's note first.
    ("no", "no", "not-sure", "essex"): unsure(ESSEX_PAGE, ESSEX_SPOC, "Essex MACE Part 1"),
    ("no", "no", "not-sure", "southend"): unsure(SOUTHEND_PAGE, SOUTHEND_SPOC, CENSOR, TASK_FORCE, MASE),
    ("no", "no", "not-sure", "thurrock"): unsure(THURROCK_PAGE, THURROCK_SPOC, T_MACE, RMM, TRACKER, GRV),
    ("no", "no", "not-sure", "outside", "essex"): unsure(ESSEX_PAGE, ESSEX_SPOC, "Essex MACE Part 1"),
    ("no", "no", "not-sure", "outside", "southend"): unsure(SOUTHEND_PAGE, SOUTHEND_SPOC, CENSOR, TASK_FORCE, MASE),
    ("no", "no", "not-sure", "outside", "thurrock"): unsure(THURROCK_PAGE, THURROCK_SPOC, T_MACE, RMM, TRACKER, GRV),
    ("no", "no", "not-sure", "outside", "none"): OUTSIDE_NOWHERE,
}
PLACE_FOR = {"essex": "Colchester", "southend": "Southend", "thurrock": "Thurrock", "outside": "outside SET"}
MOMENT_FOR = {
    "in-hours": IN_HOURS,
    "closing-soon": datetime(2026, 6, 2, 17, 45, tzinfo=LONDON),
    "bank-holiday": datetime(2026, 12, 28, 10, 0, tzinfo=LONDON),
    "out-of-hours": datetime(2026, 6, 2, 22, 0, tzinfo=LONDON),
}


@pytest.fixture(scope="module")
def tree(data):
    return routing.tree_for(data)


def steps_text(steps) -> str:
    parts = []
    for s in steps:
        parts += [
            s.text,
            *([f"setguide: {s.note!s}"] if s.note else []),
            *(f"{i.label!s}: {i.value!s}" for i in s.items),
        ]
        parts += s.bullets
        parts += [*s.flags, *s.commands]  # what to type stands apart from the words
    return "\n".join(parts)


def text_of(o: routing.Outcome) -> str:
    return "\n".join([o.title, *o.cautions, steps_text(o.steps), o.complement])


def answers_for(tree, trail) -> tuple[dict, datetime]:
    answers: dict = {}
    now = IN_HOURS
    for node_id, value in trail:
        q = tree.nodes[node_id]
        if q.kind == "check":
            now = MOMENT_FOR[value]
        elif q.kind == "place":
            answers[q.answer] = PLACE_FOR[value]
        else:
            answers[q.answer] = value
    return answers, now


def test_every_path_in_the_tree_is_in_the_hand_written_table(tree):
    paths = {tuple(v for _, v in trail) for trail, _ in tree.paths()}
    assert paths == set(EXPECTED)


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: "-".join(p))
def test_each_path_gives_the_protocols_outcome(data, tree, path):
    trail = next(t for t, _ in tree.paths() if tuple(v for _, v in t) == path)
    answers, now = answers_for(tree, trail)
    o = routing.route(answers, now, data)
    plan = EXPECTED[path]
    assert o.code == plan.code
    for part in ("now", "also", "then"):
        text = steps_text(getattr(o, part)) + ("\n" + "\n".join(o.cautions) if part == "now" else "")
        for fact in getattr(plan, part):
            assert fact in text, f"{path}: {fact!r} missing from {part.upper()}"
    for fact in plan.hidden:
        assert fact not in text_of(o), f"{path}: {fact!r} should not be shown"
    # Also uses the protocol's modality; only Now and Then instruct.
    for s in o.also:
        assert " must " not in s.text, f"{path}: an Also step instructs: {s.text!r}"
    # Every outcome cites its section and ends with the complement line.
    assert o.citations[0] in {"§1", "§2.1", "§2.2", "§2.3", "§3", "protocol: purpose"}
    assert not any(c.startswith("§") and "setguide" in c for c in o.citations)
    assert "protocol: purpose" in o.citations  # where the complement line comes from
    assert o.complement == "This protocol complements, and does not replace, the SET Child Protection Procedures, " + (
        "which must be followed in all cases of direct safeguarding concerns."
    )


def test_each_outcome_cites_its_own_section(data):
    cases = {
        ("EMERGENCY", "§1"): {"threat": "yes"},
        ("POLICE-WRITTEN", "§1"): {"threat": "no", "offence": "yes", "urgent": "no"},
        ("FORUM", "§2.1"): {"threat": "no", "offence": "no", "level": "potential", "area": "Harlow"},
        ("FORUM", "§2.2"): {"threat": "no", "offence": "no", "level": "potential", "area": "Grays", "theme": "missing"},
        ("FORUM", "§2.3"): {
            "threat": "no",
            "offence": "no",
            "level": "potential",
            "area": "Leigh-on-Sea",
            "theme": "gangs",
        },
        # Sharing with Essex Police is §1's; the Group is §3's (cited after it).
        ("STRATEGIC", "§1"): {"threat": "no", "offence": "no", "level": "strategic"},
    }
    for (code, section), answers in cases.items():
        o = routing.route(answers, IN_HOURS, data)
        assert (o.code, o.citations[0]) == (code, section)


def test_no_outcome_needs_more_than_five_answers_and_emergency_needs_one(tree):
    needed = tree.answers_needed()
    assert needed["emergency"] == (1, 1)
    assert max(most for _, most in needed.values()) <= 5
    assert needed["forum-southend"] == (5, 5)
    # A police Now, then the offered area and theme: five in all.
    assert needed["police-urgent-in-hours"] == (3, 5)


def test_a_threat_to_life_decides_everything_else_unasked(data):
    o = routing.next_step({"threat": True}, IN_HOURS, data)
    assert o.code == "EMERGENCY" and len(o.answers) == 1


def test_the_walk_stops_at_the_first_unanswered_question(data):
    step = routing.next_step({"threat": "no", "offence": "no"}, IN_HOURS, data)
    assert isinstance(step, routing.Pending) and step.question.flag == "--level"
    with pytest.raises(UsageError, match="--level"):
        routing.route({"threat": "no", "offence": "no"}, IN_HOURS, data)


def test_an_area_given_picks_that_authoritys_page_and_spoc_only(data):
    o = routing.route({"threat": "no", "offence": "no", "level": "operational", "area": "Grays"}, IN_HOURS, data)
    text = text_of(o)
    assert THURROCK_PAGE in text and SOUTHEND_PAGE not in text and ESSEX_PAGE not in text
    assert "No SET area given" not in text


# A police Now goes on: with the area (and theme) the plan's Also names the area's
# §2 forum(s) and SPOC, while the Now stays the police route.
POLICE_WITH_AREA = [
    (
        {**{"offence": "yes", "urgent": "yes"}, "area": "Grays", "theme": "county-lines"},
        "POLICE-URGENT",
        [GRV, T_MACE, THURROCK_SPOC],
        [ESSEX_SPOC],
    ),
    (
        {"offence": "yes", "urgent": "yes", "area": "Harlow"},
        "POLICE-URGENT",
        ["Essex MACE Part 1 – West Quadrant", ESSEX_SPOC],
        [THURROCK_SPOC],
    ),
    (
        {"offence": "yes", "urgent": "no", "area": "Leigh-on-Sea", "theme": "missing"},
        "POLICE-WRITTEN",
        [MASE, SOUTHEND_SPOC],
        [CENSOR],
    ),
    (
        {"offence": "yes", "urgent": "no", "area": "outside SET", "touches": "thurrock"},
        "POLICE-WRITTEN",
        [RMM, THURROCK_SPOC],
        [ESSEX_SPOC],
    ),
]


@pytest.mark.parametrize("answers, code, also, hidden", POLICE_WITH_AREA)
def test_a_police_route_with_an_area_names_its_forums_and_spoc(data, answers, code, also, hidden):
    o = routing.route({"threat": "no", **answers}, IN_HOURS, data)
    assert o.code == code and o.offer is None
    assert "180022" in steps_text(o.now) or FORM_URL in steps_text(o.now)
    for fact in also:
        assert fact in steps_text(o.also), fact
    for fact in hidden:
        assert fact not in text_of(o), fact
    assert "can be used" in steps_text(o.also)


@pytest.mark.parametrize("moment", sorted(MOMENT_FOR))
@pytest.mark.parametrize("urgent", ["yes", "no"])
def test_a_police_plan_touching_nowhere_in_set_becomes_the_outside_plan(data, moment, urgent):
    """--touches none: no Essex Police route, no SET forum or front door, at any hour; the
    local police force and council instead (setguide's words), and what the protocol covers."""
    answers = {"threat": "no", "offence": "yes", "urgent": urgent, "area": "outside SET", "touches": "none"}
    o = routing.route(answers, MOMENT_FOR[moment], data)
    assert o.code == OUTSIDE_NOWHERE.code and not o.also and not o.then and o.offer is None
    for fact in OUTSIDE_NOWHERE.now:
        assert fact in steps_text(o.now), fact
    assert o.now[0].section == "setguide"
    text = text_of(o)
    for fact in (*SPOC_EMAILS, *LA_PAGES, PROCEDURES_URL, "01702 215007", "0345 603 7627", "forums", FORM_URL,
                 "180022", "Child Abuse Investigation Team", "Triage Team"):  # fmt: skip
        assert fact not in text, fact


def test_a_police_route_offers_the_area_then_the_theme(data):
    o = routing.route({"threat": "no", "offence": "yes", "urgent": "yes"}, IN_HOURS, data)
    assert o.offer is not None and o.offer.flag == "--area"
    o = routing.route({"threat": "no", "offence": "yes", "urgent": "yes", "area": "Southend"}, IN_HOURS, data)
    assert o.offer is not None and o.offer.flag == "--theme"
    assert o.code == "POLICE-URGENT"


def test_out_of_hours_never_maps_an_area_to_a_cait(data):
    o = routing.route(
        {"threat": "no", "offence": "yes", "urgent": "yes", "area": "Tilbury"}, MOMENT_FOR["out-of-hours"], data
    )
    text = text_of(o)
    # All six are listed and the Force Control Room chooses: the protocol gives no mapping.
    assert "The six CAIT: Colchester, Chelmsford, Basildon, Southend, Grays, Harlow" in text
    assert "not the area each covers" in text


# --- UK time ------------------------------------------------------------------------

URGENT = {"threat": "no", "offence": "yes", "urgent": "yes"}


def timing_at(data, moment: datetime) -> str:
    return routing.route(URGENT, moment, data).timing


def expected_timing(local: datetime) -> str:
    if local.weekday() >= 5 or not (8 <= local.hour < 18):
        return "out-of-hours"
    if date(local.year, local.month, local.day) in holidays.country_holidays("GB", subdiv="ENG"):
        return "bank-holiday"
    if local.hour == 17 and local.minute >= 30:
        return "closing-soon"
    return "in-hours"


def test_every_hour_of_a_whole_week(data):
    start = datetime(2026, 6, 1, 0, 0, tzinfo=LONDON)  # Monday; no bank holiday that week
    with freeze_time(start) as frozen:
        for hour in range(7 * 24):
            for minute in (0, 30):
                moment = start + timedelta(hours=hour, minutes=minute)
                frozen.move_to(moment)
                now = clock.now()
                assert now == moment
                got = timing_at(data, now)
                want = (
                    "out-of-hours"
                    if moment.weekday() >= 5 or not 8 <= moment.hour < 18
                    else ("closing-soon" if (moment.hour, moment.minute) == (17, 30) else "in-hours")
                )
                assert got == want, moment.isoformat()


@pytest.mark.parametrize(
    "moment, timing",
    [
        (datetime(2026, 6, 1, 7, 59, 59, tzinfo=LONDON), "out-of-hours"),
        (datetime(2026, 6, 1, 8, 0, tzinfo=LONDON), "in-hours"),
        (datetime(2026, 6, 1, 17, 29, 59, tzinfo=LONDON), "in-hours"),
        (datetime(2026, 6, 1, 17, 30, tzinfo=LONDON), "closing-soon"),
        (datetime(2026, 6, 1, 17, 59, 59, tzinfo=LONDON), "closing-soon"),
        (datetime(2026, 6, 1, 18, 0, tzinfo=LONDON), "out-of-hours"),
        (datetime(2026, 6, 5, 17, 45, tzinfo=LONDON), "closing-soon"),  # Friday
        (datetime(2026, 6, 6, 10, 0, tzinfo=LONDON), "out-of-hours"),  # Saturday
    ],
)
def test_the_edges_of_the_day(data, moment, timing):
    with freeze_time(moment):
        assert timing_at(data, clock.now()) == timing


# Clock changes: 2026-03-29 and 2027-03-28 (spring forward), 2026-10-25 and 2027-10-31 (fall back).
CLOCK_CHANGE_SUNDAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]


@pytest.mark.parametrize("sunday", CLOCK_CHANGE_SUNDAYS, ids=str)
def test_clock_change_weekend_and_the_monday_after(data, sunday):
    # Walk Saturday 00:00 to Tuesday 00:00 in real (UTC) time, so the missing or
    # repeated hour is crossed exactly as a clock would cross it.
    begin = datetime(sunday.year, sunday.month, sunday.day, tzinfo=LONDON) - timedelta(days=1)
    begin_utc = begin.astimezone(UTC)
    seen_monday_open = False
    with freeze_time(begin_utc) as frozen:
        for quarter in range(4 * 24 * 3 + 8):
            moment = begin_utc + timedelta(minutes=15 * quarter)
            frozen.move_to(moment)
            now = clock.now()
            local = moment.astimezone(LONDON)
            # freezegun drops `fold` in the repeated autumn hour, so compare wall clocks.
            assert now.replace(tzinfo=None) == local.replace(tzinfo=None)
            assert timing_at(data, now) == expected_timing(local), local.isoformat()
            seen_monday_open |= local.weekday() == 0 and local.hour == 8 and local.minute == 0
    assert seen_monday_open


@pytest.mark.parametrize(
    "text, timing",
    [
        ("2026-03-30T07:00:00Z", "in-hours"),  # 08:00 BST, the Monday after spring forward
        ("2026-03-30T06:59Z", "out-of-hours"),  # 07:59 BST
        ("2026-03-30T17:00Z", "out-of-hours"),  # 18:00 BST: closed, though 17:00 in UTC
        ("2026-03-30T16:45+00:00", "closing-soon"),  # 17:45 BST
        ("2026-10-26T08:00Z", "in-hours"),  # 08:00 GMT, the Monday after fall back
        ("2026-10-26T07:30Z", "out-of-hours"),
        ("2026-10-26T17:59Z", "closing-soon"),
        ("2027-03-29T09:00+02:00", "bank-holiday"),  # 08:00 BST on Easter Monday 2027
        ("2027-03-29T08:59+02:00", "out-of-hours"),
        ("2027-03-30T07:00Z", "in-hours"),  # 08:00 BST, the Tuesday
        ("2027-11-01T18:00+01:00", "in-hours"),  # 17:00 GMT: an hour left
        ("2027-11-01T18:45+01:00", "closing-soon"),  # 17:45 GMT
        ("2027-11-01T08:00", "in-hours"),  # naive: UK local time
        ("2027-11-01T07:59", "out-of-hours"),
    ],
)
def test_at_with_offsets_is_converted_to_uk_time(data, text, timing):
    moment = clock.parse_at(text, need_time=False)
    assert moment.tzinfo == LONDON
    assert timing_at(data, moment) == timing == expected_timing(moment)


def test_a_weekday_bank_holiday_shows_both_routes_with_a_caution(data):
    day = date(2026, 12, 28)
    assert holidays.country_holidays("GB", subdiv="ENG").get(day) == "Boxing Day (observed)"
    with freeze_time(datetime(2026, 12, 28, 11, 0, tzinfo=LONDON)):
        o = routing.route(URGENT, clock.now(), data)
    assert o.timing == "bank-holiday"
    text = text_of(o)
    assert all(x in text for x in [*TRIAGE, *OUT_OF_HOURS])
    caution = o.cautions[0]
    assert "Boxing Day (observed)" in caution and "does not say whether the line is staffed" in caution
    assert caution.startswith("setguide:") and "setguide" in o.citations
    # Before opening and on the weekend holiday itself, only the out-of-hours route.
    assert timing_at(data, datetime(2026, 12, 28, 7, 0, tzinfo=LONDON)) == "out-of-hours"
    assert timing_at(data, datetime(2026, 12, 26, 11, 0, tzinfo=LONDON)) == "out-of-hours"  # Saturday
    assert timing_at(data, datetime(2026, 4, 3, 9, 0, tzinfo=LONDON)) == "bank-holiday"  # Good Friday
    assert timing_at(data, datetime(2026, 12, 29, 9, 0, tzinfo=LONDON)) == "in-hours"


# --- validation of tree.toml ----------------------------------------------------------


@pytest.fixture
def raw(data):
    return read_toml(data.source_dir / "tree.toml")


def node(raw, node_id):
    return next(n for n in raw["node"] if n["id"] == node_id)


def broken(data, raw) -> DataError:
    with pytest.raises(DataError) as info:
        routing.load_tree(data, raw)
    assert info.value.file == "tree.toml"
    return info.value


def test_the_packaged_tree_loads(data, raw):
    assert routing.load_tree(data, raw).start == "threat"


def test_a_dangling_id_is_named(data, raw):
    node(raw, "urgent")["branch"][1]["next"] = "police-writen"
    err = broken(data, raw)
    assert "'urgent'" in err.field and "police-writen" in err.problem


def test_an_unreachable_outcome_is_named(data, raw):
    raw["outcome"].append({**copy.deepcopy(raw["outcome"][0]), "id": "orphan"})
    err = broken(data, raw)
    assert "orphan" in err.field and err.problem == "unreachable"


def test_a_loop_never_ends_in_an_outcome(data, raw):
    node(raw, "level")["branch"][0]["next"] = "threat"
    assert "loop" in broken(data, raw).problem


def test_a_yes_no_question_needs_both_answers(data, raw):
    node(raw, "offence")["branch"].pop()
    assert "yes, no" in broken(data, raw).problem


def test_the_hours_check_must_cover_every_result(data, raw):
    node(raw, "hours")["branch"] = [b for b in node(raw, "hours")["branch"] if b["value"] != "bank-holiday"]
    assert "bank-holiday" in broken(data, raw).problem


def test_an_unknown_fact_in_a_step_is_named(data, raw):
    raw["step"][0]["text"] = "Call {emergency.numbr}"
    err = broken(data, raw)
    assert err.field.endswith("text") and "emergency.numbr" in err.problem


def test_an_unknown_step_in_an_outcome_is_named(data, raw):
    raw["outcome"][0]["now"].append("nope")
    assert "nope" in broken(data, raw).problem


def test_more_than_five_answers_is_refused(data, raw):
    raw["tree"]["max_answers"] = 4
    assert "needs 5 answers" in broken(data, raw).problem


def test_an_offer_must_be_a_question(data, raw):
    next(o for o in raw["outcome"] if o["id"] == "police-written")["offer"] = "strategic"
    assert "offer" in broken(data, raw).problem


def test_an_unknown_theme_is_named(data, raw):
    node(raw, "theme-thurrock")["branch"][0]["value"] = "county-line"
    err = broken(data, raw)
    assert err.field.endswith("branch[0].value") and "county-line" in err.problem


def test_route_reads_the_packaged_data_by_default():
    assert routing.route({"threat": True}, IN_HOURS).code == "EMERGENCY"


def test_the_first_question_is_read_by_the_trees_own_reader(data, tmp_path):
    """Asked before the data loads, it is still the validated tree's question, word for word."""
    from setguide.base.errors import DataError
    from setguide.triage.questions import first_question

    tree = routing.tree_for(data)
    assert first_question(data.source_dir / "tree.toml") == tree.nodes[tree.start]
    broken = tmp_path / "tree.toml"
    text = (data.source_dir / "tree.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace('kind = "yesno"', 'kind = "yes-or-no"', 1), encoding="utf-8")
    with pytest.raises(DataError, match="kind"):
        first_question(broken)
