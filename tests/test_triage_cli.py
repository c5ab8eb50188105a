"""`setguide triage` and `setguide tree` as a user runs them: flags, --at, --json,
missing answers from a pipe, names that match nothing, narrow terminals."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from rich.console import Console

from setguide.output import rich_renderer as render_rich
from setguide.triage import tree as routing
from setguide.triage import view as triage_view

IN_HOURS = "2026-06-02T10:00"
URGENT = ("triage", "--no-threat-to-life", "--offence", "--urgent")


def test_threat_to_life_flag_gives_999(run):
    r = run("triage", "--threat-to-life")
    assert r.code == 0
    assert r.out.startswith("EMERGENCY: Call 999 now")
    assert "Phone: 999" in r.out


def test_urgent_in_hours_gives_the_triage_line_and_extensions(run):
    r = run(*URGENT, "--at", IN_HOURS)
    assert r.code == 0
    assert "Phone: 101" in r.out and "Extension: 180022 or 180043" in r.out
    assert "CAIT" not in r.out


def test_urgent_out_of_hours_gives_101_and_the_six_cait(run):
    r = run(*URGENT, "--at", "2026-06-02T21:15")
    assert r.code == 0
    assert "Phone: 101" in r.out and "Force Control Room" in r.out
    assert "The six CAIT: Colchester, Chelmsford, Basildon, Southend, Grays, Harlow" in r.out
    assert "180022" not in r.out


def test_at_with_z_is_converted_to_uk_time(run):
    # 17:00 UTC on 30 March 2026 is 18:00 BST: the line has closed.
    assert "180022" not in run(*URGENT, "--at", "2026-03-30T17:00:00Z").out
    # 16:45 UTC is 17:45 BST: closing soon, both routes.
    r = run(*URGENT, "--at", "2026-03-30T16:45Z")
    assert "180022" in r.out and "Force Control Room" in r.out and "closes at 18:00" in r.out


def test_bank_holiday_caution(run):
    r = run(*URGENT, "--at", "2026-12-28T10:00")
    assert "Caution: setguide: today is an England bank holiday (Boxing Day (observed))" in r.out
    assert "does not say whether the line is staffed on bank holidays" in r.out
    assert "180022" in r.out and "Force Control Room" in r.out


def test_every_outcome_ends_with_the_complement_line_and_its_sources(run):
    r = run("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Basildon")
    body, _, repeat = r.out.strip().rpartition("\n\nNOW: ")
    lines = body.splitlines()
    assert lines[-2].startswith("This protocol complements, and does not replace, the SET Child Protection Procedures")
    assert lines[-1].startswith("Source: §2.1")
    assert "Essex MACE Part 1 – South Quadrant" in r.out
    # The Now comes again, last, with its exact values: the forums and the SPOC.
    assert "Essex MACE Part 1 – South Quadrant" in repeat and "sally-ann.millar@essex.gov.uk" in repeat


@pytest.mark.parametrize(
    "args, flag",
    [
        ((), "--threat-to-life/--no-threat-to-life"),
        (("--no-threat-to-life",), "--offence/--no-offence"),
        (("--no-threat-to-life", "--offence"), "--urgent/--not-urgent"),
        (("--no-threat-to-life", "--no-offence"), "--level"),
        (("--no-threat-to-life", "--no-offence", "--level", "potential"), "--area"),
        (("--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Grays"), "--theme"),
    ],
)
def test_a_missing_answer_off_a_terminal_is_a_usage_error_naming_the_flag(run, args, flag):
    r = run("triage", *args)
    assert r.code == 2
    assert f"missing answer: {flag}" in r.err
    assert r.out == ""
    assert "Traceback" not in r.err


def test_a_decided_outcome_needs_no_more_flags(run):
    # Q1 yes decides it: nothing about offence, level or area is missing.
    assert run("triage", "--threat-to-life").code == 0
    assert run("triage", "--no-threat-to-life", "--offence", "--not-urgent").code == 0


def test_unknown_area_suggests_names(run):
    r = run("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Chelmsfrod")
    assert r.code == 2
    assert "unknown place 'Chelmsfrod'" in r.err and "Chelmsford" in r.err


def test_a_mistyped_area_never_stands_between_a_user_and_999(run):
    r = run("triage", "--threat-to-life", "--area", "Thorpe")
    assert r.code == 0 and "Phone: 999" in r.out
    assert "Caution: --area was not used: more than one place is called 'Thorpe'" in r.out
    r = run("triage", "--threat-to-life", "--at", "soon", "--level", "x")
    assert r.code == 0 and "Phone: 999" in r.out
    assert "Caution: --at was not used" in r.out and "Caution: --level was not used" in r.out


def test_ambiguous_area_lists_the_candidates(run):
    r = run("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Thorpe")
    assert r.code == 2
    assert "Thorpe, Southend-on-Sea" in r.err and "Thorpe, Tendring" in r.err


def test_bad_level_and_theme_are_usage_errors_even_when_not_reached(run):
    r = run("triage", "--no-threat-to-life", "--offence", "--not-urgent", "--level", "urgentish")
    assert r.code == 2 and "level" in r.err
    r = run("triage", "--no-threat-to-life", "--offence", "--not-urgent", "--theme", "drugs")
    assert r.code == 2 and "theme" in r.err


def test_unique_prefixes_of_level_and_theme_are_accepted(run):
    r = run("triage", "--no-threat-to-life", "--no-offence", "--level", "pot", "--area", "Southend", "--theme", "miss")
    assert r.code == 0 and "MASE (every six weeks;" in r.out


def test_bad_at_is_a_usage_error(run):
    r = run(*URGENT, "--at", "next tuesday")
    assert r.code == 2 and "--at" in r.err


def test_json_schema(run):
    r = run(*URGENT, "--area", "Harlow", "--at", "2026-06-02T17:40+01:00", "--json")
    assert r.code == 0
    doc = json.loads(r.out)
    assert set(doc) - {"named_sources"} == {
        "version",
        "outcome",
        "id",
        "title",
        "at",
        "timing",
        "answers",
        "answers_given",
        "area",
        "steps",
        "now",
        "also",
        "then",
        "cautions",
        "citations",
        "complement",
        "local_corrections",
    }
    assert doc["outcome"] == "POLICE-URGENT" and doc["timing"] == "closing-soon"
    assert doc["at"] == "2026-06-02T17:40:00+01:00"
    # --area answers the question the police route offers: Also names Harlow's quadrant and SPOC.
    assert doc["answers"] == {"threat": "no", "offence": "yes", "urgent": "yes", "area": "Harlow"}
    assert doc["answers_given"] == 4
    assert [s["n"] for s in doc["now"] + doc["also"] + doc["then"]] == [s["n"] for s in doc["steps"]]
    now = [(c["label"], c["value"], c["key"]) for s in doc["now"] for c in s["contacts"]]
    assert ("Extension", "180022 or 180043", "facts.triage_line.extensions") in now
    also = json.dumps(doc["also"], ensure_ascii=False)
    assert "Essex MACE Part 1 – West Quadrant" in also and "sally-ann.millar@essex.gov.uk" in also
    spoc = next(c for s in doc["also"] for c in s["contacts"] if c["value"] == "sally-ann.millar@essex.gov.uk")
    assert spoc["key"] == "contacts.essex.email"
    assert doc["area"]["district"] == "harlow" and doc["area"]["quadrant"] == "west"
    contacts = [(c["label"], c["value"]) for s in doc["steps"] for c in s["contacts"]]
    assert ("Extension", "180022 or 180043") in contacts
    assert ("Email", "OC.triage.team.essex@essex.pnn.police.uk") in contacts
    assert [s["n"] for s in doc["steps"]] == list(range(1, len(doc["steps"]) + 1))
    assert doc["citations"][0] == "§1"
    assert doc["complement"].startswith("This protocol complements, and does not replace")


@pytest.mark.slow  # a fresh interpreter
def test_a_flag_complete_triage_never_imports_questionary():
    code = (
        "import sys\n"
        "from setguide import cli\n"
        "rc = cli.run(['triage', '--no-threat-to-life', '--offence', '--urgent', '--json'])\n"
        "print('questionary' in sys.modules, 'prompt_toolkit' in sys.modules, rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.stdout.strip().splitlines()[-1] == "False False 0"


def all_outcomes(data):
    tree = routing.tree_for(data)
    moments = {
        "in-hours": "2026-06-02T10:00",
        "closing-soon": "2026-06-02T17:45",
        "bank-holiday": "2026-12-28T10:00",
        "out-of-hours": "2026-06-02T22:00",
    }
    places = {"essex": "Colchester", "southend": "Southend", "thurrock": "Thurrock", "outside": "outside SET"}
    from setguide.base.clock import parse_at

    for trail, _ in tree.paths():
        answers, at = {}, parse_at(moments["in-hours"], need_time=False)
        for node_id, value in trail:
            q = tree.nodes[node_id]
            if q.kind == "check":
                at = parse_at(moments[value], need_time=False)
            else:
                answers[q.answer] = places[value] if q.kind == "place" else value
        yield routing.route(answers, at, data)


def test_forty_columns_keep_every_number_email_and_link_whole(data):
    for o in all_outcomes(data):
        buf = io.StringIO()
        render_rich.render(triage_view.outcome_doc(o), Console(file=buf, width=40, highlight=False, color_system=None))
        text = buf.getvalue()
        flat = " ".join(text.split())
        for s in o.steps:
            for item in s.items:
                # Wrapped only at spaces between words: every word there, in order...
                assert " ".join(item.value.split()) in flat, f"{o.id}: {item.value!r} was broken"
                # ...and no number (with its groups), email or link split across lines.
                for token in re.findall(r"\S+@\S+|https?://\S+|\d[\d ]*\d", item.value):
                    assert token in text, f"{o.id}: {token!r} split in {item.value!r}"
        for number in re.findall(r"\b\d{3,}\b", " ".join(s.text for s in o.steps)):
            assert re.search(rf"\b{number}\b", text), f"{o.id}: {number} split"


def test_tree_mermaid_has_every_question_and_outcome(run, data):
    r = run("tree", "--format", "mermaid")
    assert r.code == 0 and r.out.startswith("flowchart TD\n")
    tree = routing.tree_for(data)
    for oid in tree.outcomes:
        assert re.search(rf"^  {oid.replace('-', '_')}\[", r.out, re.M), oid
    edges = re.findall(r"-->", r.out)
    assert len(edges) == sum(len(q.branches) for q in tree.nodes.values())


def test_the_tree_says_which_plans_an_offered_answer_puts_in_their_place(run):
    """Every police plan offers the area, and nowhere in SET puts the outside-SET plan in its
    place: the outline and the chart both say so; no other plan is replaced."""
    outline = run("tree", "--plain").out
    police = [line for line in outline.splitlines() if "→ POLICE-" in line]
    assert len(police) == 5 and all("or, in its place, OUTSIDE-SET" in line for line in police)
    assert outline.count("in its place") == 5
    chart = run("tree", "--format", "mermaid").out
    replaced = re.findall(r"^  (\w+) -\.->\|\"or, in its place\"\| outside_set$", chart, re.M)
    boxes = re.findall(r"^  (\w+)\[\"POLICE-", chart, re.M)
    assert len(boxes) == 5 and sorted(replaced) == sorted(boxes)


def test_tree_plain_lists_every_flag_and_outcome_code(run):
    r = run("tree")
    assert r.code == 0
    for flag in ("--threat-to-life/--no-threat-to-life", "--offence/--no-offence", "--urgent/--not-urgent", "--level"):
        assert flag in r.out
    for code in (
        "EMERGENCY",
        "POLICE-URGENT (in-hours)",
        "POLICE-URGENT (out-of-hours)",
        "POLICE-WRITTEN",
        "STRATEGIC",
    ):
        assert code in r.out


def test_tree_unknown_format(run):
    r = run("tree", "--format", "png")
    assert r.code == 2 and "format" in r.err


def test_999_is_shown_even_when_the_data_cannot_be_loaded(run, monkeypatch):
    from setguide.model import data as model

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(model, "load_for_triage", broken)
    r = run("triage", "--threat-to-life")
    assert "EMERGENCY: Call 999 now" in r.out and "Phone: 999" in r.out
    assert r.code == 1 and "Traceback" not in r.err


def test_a_police_route_with_flags_gives_the_whole_plan_with_the_now_last(run):
    r = run(*URGENT, "--area", "Grays", "--theme", "gangs", "--at", "2026-06-05T17:45")
    assert r.code == 0
    also = r.out[r.out.index("ALSO") : r.out.index("THEN")]
    assert "Gang Related Violence forum" in also and "SMoules@thurrock.gov.uk" in also
    last = r.out.strip().rsplit("\n\n", 1)[1]
    assert last.startswith("NOW: ") and "180022 or 180043" in last and "closes at 18:00" in last


def test_outside_set_never_says_no_area_and_shows_only_the_touched_authority(run):
    args = ("triage", "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "outside SET")
    r = run(*args, "--touches", "thurrock")
    assert r.code == 0 and "No SET area given" not in r.out
    assert "thurrock.gov.uk" in r.out and "southend.gov.uk" not in r.out and "essex.gov.uk/" not in r.out
    r = run(*args, "--touches", "none")
    assert r.code == 0 and "holds no contacts for areas outside" in r.out
    assert "missing answer: --touches" in run(*args).err
