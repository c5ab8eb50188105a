"""`setguide search`: the examples people ask rank sensibly, every result cites the
protocol and names a command that shows more, and the synonym data is honest."""

from __future__ import annotations

import json
import shlex
import shutil
import socket

import pytest

from setguide.base.errors import DataError
from setguide.find import search as engine
from setguide.find.lexicon import search_data
from setguide.model.data import load
from tests.conftest import ROOT


def top(data, text, n=5):
    return [(r.doc.kind, r.doc.id) for r in engine.search(data, text).results[:n]]


def test_county_lines_leads_with_the_theme_then_the_task_force(data):
    answer = engine.search(data, "county lines")
    first = answer.results[0]
    assert (first.doc.kind, first.doc.id) == ("theme", "county-lines")
    assert first.doc.command == "setguide forums --theme county-lines"
    assert ("forum", "southend-task-force") in top(data, "county lines", 2)


def test_cuckooing_finds_the_task_force_and_the_county_lines_theme(data):
    found = top(data, "cuckooing", 3)
    assert ("forum", "southend-task-force") in found and ("theme", "county-lines") in found
    assert ("section", "2.3") in found


def test_missing_leads_with_the_theme_and_lists_the_missing_forums(data):
    answer = engine.search(data, "missing")
    assert (answer.results[0].doc.kind, answer.results[0].doc.id) == ("theme", "missing")
    assert answer.results[0].doc.command == "setguide forums --theme missing"
    found = top(data, "missing", 6)
    for forum in ("thurrock-rmm", "southend-mase", "essex-mace-1"):
        assert ("forum", forum) in found


def test_nrm_is_explained_and_finds_the_national_referral_mechanism(data):
    answer = engine.search(data, "NRM")
    assert [(m.term, m.means, m.cite) for m in answer.meanings] == [("NRM", ("National Referral Mechanism",), "§2.3")]
    found = top(data, "NRM", 3)
    assert ("forum", "southend-task-force") in found and ("theme", "trafficking") in found
    assert "§2.3" in {r.doc.cite for r in answer.results}


def test_blue_car_finds_the_share_with_police_example_in_section_1(data):
    first = engine.search(data, "blue car").results[0]
    assert (first.doc.kind, first.doc.id, first.doc.cite) == ("fact", "share_with_police", "§1")
    assert "blue car" in first.snippet
    assert first.doc.command == "setguide protocol 1"


@pytest.mark.parametrize("typed", ["RAG", "rag", "rag rating", "red amber green"])
def test_rag_finds_the_gang_related_violence_forum(data, typed):
    first = engine.search(data, typed).results[0]
    assert (first.doc.kind, first.doc.id, first.doc.cite) == ("forum", "thurrock-grv", "§2.2")
    assert "rag" in first.snippet.casefold()


def test_a_town_comes_first_with_its_quadrant_command(data):
    first = engine.search(data, "Grays").results[0]
    assert first.doc.kind == "place" and "Thurrock" in first.doc.title
    assert first.doc.command == "setguide quadrant Grays"
    assert engine.search(data, "Pilgrims Hatch").results[0].doc.command == 'setguide quadrant "Pilgrims Hatch"'


def test_a_contact_result_shows_the_exact_email_and_phone(data):
    first = engine.search(data, "thurrock spoc").results[0]
    assert first.doc.kind == "contact" and first.doc.id == "thurrock"
    assert dict(first.doc.exact) == {
        "Name": "Seema Moules",
        "Email": "SMoules@thurrock.gov.uk",
        "Phone": "01375 652973",
    }


def test_weekend_leads_to_the_out_of_hours_route(data):
    assert top(data, "who do I call at the weekend", 1) == [("fact", "out_of_hours")]


def test_secure_email_points_to_email_check(data):
    first = engine.search(data, "secure email").results[0]
    assert first.doc.id == "secure_email" and first.doc.command == "setguide email-check ADDRESS"


EXAMPLES = ["county lines", "cuckooing", "missing", "NRM", "blue car", "RAG", "CSE", "trafficking", "Thurrock", "999"]


@pytest.mark.parametrize("text", EXAMPLES)
def test_every_result_cites_the_protocol_and_its_command_works(data, run, text):
    answer = engine.search(data, text)
    assert answer.results
    for r in answer.results:
        assert r.doc.cite and r.doc.command.startswith("setguide ")
        args = shlex.split(r.doc.command)[1:]
        # forums and email-check are exercised by their own tests; these show more here.
        if args[0] in ("protocol", "contacts", "quadrant"):
            assert run(*args).code == 0, r.doc.command


def test_results_never_repeat_and_respect_the_limit(data):
    answer = engine.search(data, "exploitation", limit=4)
    assert len(answer.results) == 4
    ids = [(r.doc.kind, r.doc.id) for r in answer.results]
    assert len(ids) == len(set(ids))


def test_the_cli_prints_results_with_source_and_command(run):
    result = run("search", "county", "lines")
    assert result.code == 0
    assert "1. County lines" in result.out
    assert "More: setguide forums --theme county-lines" in result.out
    assert "Source: §2.3" in result.out


def test_the_cli_json(run):
    result = run("search", "NRM", "--json", "--limit", "3")
    assert result.code == 0
    answer = json.loads(result.out)
    assert answer["query"] == "NRM"
    assert answer["meanings"] == [{"term": "NRM", "means": ["National Referral Mechanism"], "source": "§2.3"}]
    assert [r["rank"] for r in answer["results"]] == [1, 2, 3]
    assert set(answer["results"][0]) == {
        "rank",
        "kind",
        "id",
        "title",
        "snippet",
        "snippet_source",
        "readings",
        "exact",
        "source",
        "command",
        "score",
        "found_by",
    }


# --- setguide's readings are said as setguide's -------------------------------------


def test_a_theme_hit_is_setguides_map_and_words_never_cited_with_a_section(run, data):
    answer = engine.search(data, "county lines")
    theme = next(r for r in answer.results if r.doc.kind == "theme")
    assert theme.doc.cite == "setguide" and "§" not in theme.doc.cite
    out = run("search", "county", "lines").out
    block = out.split("1. County lines", 1)[1].split("\n\n", 1)[0]
    assert "setguide's theme map" in block and "(setguide's words)" in block
    assert "Source: setguide" in block and "§" not in block
    got = json.loads(run("search", "county", "lines", "--json").out)["results"][0]
    assert got["source"] == "setguide" and got["snippet_source"] == "setguide"


def test_a_forum_found_only_by_its_theme_says_whose_listing_that_is(run):
    out = run("search", "county", "lines", "--limit", "10").out
    thurrock = out.split("Thurrock MACE (Thurrock) – forum", 1)[1].split("\n\n", 1)[0]
    assert "Listed under County lines in setguide's theme map" in thurrock


def test_essex_mace_part_2_is_never_said_to_be_held_in_each_quadrant(run):
    out = run("search", "mace").out
    part2 = out.split("Essex MACE Part 2", 1)[1].split("\n\n", 1)[0]
    assert "each Essex quadrant" not in part2.split("\n", 1)[0]
    assert "setguide's reading: Part 2 is listed once for each quadrant" in part2
    assert "setguide's reading: later dates are projected every other month" in part2
    part1 = out.split("Essex MACE Part 1", 1)[1].split("\n", 1)[0]
    assert "(each Essex quadrant)" in part1  # §2.1: Part 1 runs in 4 quadrants


def test_nothing_found_says_so_and_suggests_a_spelling(run):
    result = run("search", "cukooing")
    assert result.code == 0
    assert "Nothing found for 'cukooing'" in result.out
    assert "Did you mean: cuckooing?" in result.out
    assert json.loads(run("search", "cukooing", "--json").out)["results"] == []


def test_search_needs_some_text(run):
    assert run("search").code == 2
    assert run("search", "--limit", "0", "x").code == 2


def test_search_opens_no_socket(data, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("search opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    assert engine.search(data, "county lines").results


def test_every_synonym_is_written_in_the_section_it_cites(data):
    for group in search_data(data).synonyms:
        if group.section is None:  # a named public source gives the expansion
            assert group.source and group.source_url.startswith("http") and group.cite.startswith(group.source), group
            continue
        if group.section == "setguide":  # setguide's own grouping: cited as setguide, never with §
            assert group.cite == "setguide", group
            continue
        text = " ".join(engine.words(data.sections[group.section].text))
        assert any(" ".join(engine.words(t)) in text for t in group.terms), group


def test_an_expansion_the_protocol_does_not_give_is_shown_with_its_source(run):
    out = run("search", "LSCB").out
    assert "Local Safeguarding Children Board" in out and "Sutton" in out
    assert "PCC: Police and Crime Commissioner [§3]" not in run("search", "PCC").out


def test_every_fact_has_a_heading(data):
    assert set(search_data(data).facts) == set(data.facts)


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('section = "2.3"\n', 'section = "9.9"\n', "synonym[0].section"),
        ('terms = ["NRM", "National Referral Mechanism"]', 'terms = ["NRM"]', "synonym[0].terms"),
        ('id = "emergency"', 'id = "emergencies"', "fact[0].id"),
    ],
)
def test_a_broken_search_file_names_file_and_field(tmp_path, old, new, named):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    path = target / "search.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        search_data(load(target))
    assert err.value.file == "search.toml" and err.value.field == named


def test_the_query_is_echoed_without_terminal_control_characters(run):
    result = run("search", "county\x1b[2J lines")
    assert result.code == 0 and "\x1b" not in result.out


def test_a_number_shows_the_fullest_line_it_stands_in(run):
    # "101" alone is not enough to act on: the in-hours result shows its extensions.
    lines = run("search", "101").out.splitlines()
    heading = next(i for i, line in enumerate(lines) if "Urgent, in hours: Essex Police Triage Team" in line)
    assert lines[heading + 1] == "101, extn 180022 or 180043"


def test_a_place_result_names_its_page_and_a_namesake_outside_set(run):
    out = run("search", "sutton", "--limit", "1").out
    assert "Source: Wikipedia: Rochford District, https://en.wikipedia.org/wiki/Rochford_District" in out
    assert "setguide: There is also a Sutton in Greater London" in out
    assert "gazetteer: http" not in run("search", "ipswich").out


# --- the front doors, found by the words people use --------------------------------
# Each word (search.toml's setguide synonyms) against the front door and the number it must
# find, written out by hand from data/frontdoors.toml; every front-door result names its
# sources, not the protocol.
SOUTHEND_DOOR, ESSEX_DOOR, THURROCK_DOOR = "01702 215007", "0345 603 7627", "01375 652 802"
THURROCK_EDT, OUT_OF_HOURS = "01375 372468", "0345 606 1212"


@pytest.mark.parametrize(
    ("query", "first", "numbers"),
    [
        ("MASH", "Thurrock", [THURROCK_DOOR, THURROCK_EDT]),
        ("Multi-agency Safeguarding Hub", "Thurrock", [THURROCK_DOOR]),
        ("EDT", "Thurrock", [THURROCK_EDT]),
        ("Emergency Duty Team", None, [THURROCK_EDT, OUT_OF_HOURS]),
        ("emergency duty", None, [THURROCK_EDT, OUT_OF_HOURS]),
        ("out of hours", None, [OUT_OF_HOURS, THURROCK_EDT]),
        ("front door", None, [SOUTHEND_DOOR, ESSEX_DOOR, THURROCK_DOOR]),
        ("Children and Families Hub", "Essex", [ESSEX_DOOR]),
        ("children's services", None, [SOUTHEND_DOOR, ESSEX_DOOR, THURROCK_DOOR]),
        ("children's social care", None, [SOUTHEND_DOOR, ESSEX_DOOR, THURROCK_DOOR]),
        ("social care", None, [SOUTHEND_DOOR, ESSEX_DOOR, THURROCK_DOOR]),
        ("referral", None, [SOUTHEND_DOOR, ESSEX_DOOR, THURROCK_DOOR]),
        ("bank holiday", None, [ESSEX_DOOR, THURROCK_EDT]),
    ],
)
def test_front_doors_are_found_by_the_words_people_use(run, query, first, numbers):
    p = json.loads(run("search", query, "--json").out)
    doors = [r for r in p["results"] if r["kind"] == "frontdoor"]
    assert doors, f"{query!r} finds no front door"
    # The front doors come in the first results (out of hours also finds the police's CAIT
    # route first), each saying it is a named source.
    assert {r["kind"] for r in p["results"][:4]} & {"frontdoor"}
    assert p["results"][0]["kind"] == "frontdoor" or query == "out of hours"
    assert all(r["source"].startswith("named source, not the protocol: ") and "http" in r["source"] for r in doors)
    if first:
        assert p["results"][0]["title"].startswith(first)
    shown = [v for r in doors for v in r["exact"].values()]
    for number in numbers:
        assert number in shown, f"{query!r}: {number} not found"
    assert not p["suggestions"]


def test_mash_is_never_corrected_to_mase(run):
    out = run("search", "MASH").out
    assert "Did you mean" not in out and "mase" not in out.lower().split()
    assert "Thurrock Multi-agency Safeguarding Hub (MASH)" in out


def test_101_extension_ranks_the_triage_line_first(run):
    p = json.loads(run("search", "101", "extension", "--json").out)
    first = p["results"][0]
    assert first["id"] == "triage_line" and "180022" in first["snippet"] and "180043" in first["snippet"]
    # The DI's extension comes later, if at all.
    later = [r for r in p["results"][1:] if "203584" in json.dumps(r)]
    assert all(r["rank"] > 1 for r in later)


@pytest.mark.parametrize("term", ["DI", "RAG"])
def test_expansions_the_protocol_never_spells_out_are_setguides(run, term):
    p = json.loads(run("search", term, "--json").out)
    meaning = next(m for m in p["meanings"] if m["term"] == term)
    assert meaning["source"] == "setguide"
