"""A local correction is marked in the block that shows it, not anywhere in the output:
each block (a line, or a run of list items) that shows a corrected value is followed by
its mark before the next block begins, and JSON lists the correction. Covers the place
names SET shares with itself or with places outside it, whose notes name districts."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from setguide.base.clock import LONDON
from setguide.base.facts import KeyDropped, Val, facts_in, fill, join
from tests.conftest import clear_data_caches
from tests.conftest import text_blocks as blocks

MARK = "LOCAL CORRECTION"
AT = ["--at", "2026-12-01T10:00"]
SHARED = ("Debden", "Sutton", "Hadleigh", "Mile End")
CHECKED = [0]


def test_a_keyed_value_cannot_be_formatted_into_plain_text_under_the_suite():
    value = Val("Uttlesford", ("districts.uttlesford.name",))
    with pytest.raises(KeyDropped, match="districts.uttlesford.name"):
        f"{value} District"  # noqa: B018
    with pytest.raises(KeyDropped):
        f"{value} District"
    assert facts_in(fill("{} District", value)) == ("districts.uttlesford.name",)
    assert facts_in(join(", ", [value, "Epping Forest"])) == ("districts.uttlesford.name",)
    assert f"{value!s} District" == "Uttlesford District"  # plain on purpose (an id, a renderer)


def assert_marked_in_block(out: str, value: str, key: str) -> int:
    """Every block showing `value` has the mark of `key` before the next block; how many did."""
    shown = [(lines, cautions) for lines, cautions in blocks(out) if any(value in line for line in lines)]
    for lines, cautions in shown:
        assert any(MARK in c and key in c for c in cautions), f"{key} unmarked in block:\n" + "\n".join(lines)
    CHECKED[0] += len(shown)
    return len(shown)


def _district_keys(data, name: str) -> list[str]:
    return [p.district for p in data.places if p.name == name]


@pytest.mark.parametrize("place", SHARED)
def test_a_corrected_district_is_marked_in_each_block_that_names_it_for_a_shared_place(run, data, place):
    districts = _district_keys(data, place)
    for d in districts:
        value = f"{data.districts[d].name!s} Changed"
        assert run("data", "set", f"districts.{d}.name", value, "--source", "t").code == 0
    clear_data_caches()  # the data is read once per process, as a new command would read it
    commands = [
        ["quadrant", place],
        ["search", place],
        ["triage", "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", place, *AT],
    ]
    checked = 0
    for args in commands:
        r = run(*args, "--plain")
        if r.code != 0:  # a name shared by two districts in different areas is asked for
            continue
        for d in districts:
            checked += assert_marked_in_block(r.out, f"{data.districts[d].name!s} Changed", f"districts.{d}.name")
        j = run(*args, "--json")
        listed = json.dumps(json.loads(j.out))
        for d in districts:
            if f"{data.districts[d].name!s} Changed" in listed:
                assert f'"districts.{d}.name"' in listed, (args, d)
    assert checked, f"no block named the corrected district for {place}"
    clear_data_caches()


def test_the_debden_note_carries_both_districts_and_its_mark(run, data):
    assert run("data", "set", "districts.uttlesford.name", "Uttlesford District", "--source", "x").code == 0
    clear_data_caches()
    for args in (["quadrant", "Debden"], ["search", "Debden"]):
        out = run(*args, "--plain").out
        note = [b for b in blocks(out) if "is the name of places in" in b[0][0]]
        assert note and "Uttlesford District" in note[0][0][0]
        assert any(MARK in c for c in note[0][1]), out
        assert run(*args, "--json").out.count('"districts.uttlesford.name"') >= 1
    clear_data_caches()


@pytest.mark.parametrize(
    ("key", "value", "query"),
    [
        ("forums.thurrock-mace.long_name", "Thurrock Multi Agency Exploitation Panel", "exploitation panel"),
        ("facts.triage_line.phone_text", "101, extn 180099", "180099"),
        ("facts.triage_email.address", "triage.changed@essex.pnn.police.uk", "triage changed"),
    ],
)
def test_a_search_result_found_by_a_corrected_value_it_does_not_show_is_marked(run, key, value, query):
    """A result found (or ranked) by words it does not show, a forum's long name or a fact's
    other values, still carries the mark of the correction that found it."""
    assert run("data", "set", key, value, "--source", "t").code == 0
    clear_data_caches()
    out = run("search", *query.split(), "--plain").out
    found = [(lines, cautions) for lines, cautions in blocks(out) if lines[0].startswith("1. ")]
    assert found, out
    assert any(MARK in c and key in c for c in found[0][1]), out
    CHECKED[0] += 1
    result = json.loads(run("search", *query.split(), "--json").out)
    assert key in result["results"][0]["found_by"]
    assert key in {c["key"] for c in result["local_corrections"]}
    clear_data_caches()


def test_blocks_were_checked():
    """Runs after the tests above (file order): each shared name had blocks to check."""
    print(f"blocks checked: {CHECKED[0]}")
    assert CHECKED[0] >= len(SHARED) * 2


def test_an_error_or_a_prompt_that_echoes_a_corrected_value_carries_its_mark(run, data):
    """Thorpe is in Southend and in Tendring: with Tendring's name corrected, the error that
    asks which Thorpe, the suggestion for a misspelling, and the linear wizard's choices and
    suggestion each say it is a correction."""
    import io

    from setguide.model.data import get
    from setguide.triage import ask, linear
    from setguide.triage import tree as routing

    key = "districts.tendring.name"
    assert run("data", "set", key, "Tendring Changed", "--source", "t").code == 0
    clear_data_caches()
    for args in (["quadrant", "Thorpe"], ["quadrant", "Tendrin"], ["triage", "--no-threat-to-life", "--no-offence",
                 "--level", "operational", "--area", "Thorpe", *AT]):  # fmt: skip
        r = run(*args)
        assert r.code == 2 and "Tendring Changed" in r.err, r.err
        assert f"LOCAL CORRECTION on this computer: {key} is 'Tendring Changed'" in r.err, r.err
        CHECKED[0] += 1
    corrected = get()
    shown = io.StringIO()
    prompter = linear.Lines(stdin=io.StringIO("n\nn\n1\nThorpe\n2\n"), stdout=shown)
    at = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    ask.wizard({}, lambda: at, corrected, routing.tree_for(corrected), linear=prompter)
    assert "Thorpe (Tendring Changed, Essex) (LOCAL CORRECTION)" in shown.getvalue()
    shown = io.StringIO()
    prompter = linear.Lines(stdin=io.StringIO("n\nn\n1\nTendrin\nEssex\n"), stdout=shown)
    ask.wizard({}, lambda: at, corrected, routing.tree_for(corrected), linear=prompter)
    assert "Tendring Changed (LOCAL CORRECTION)" in shown.getvalue()
    clear_data_caches()
