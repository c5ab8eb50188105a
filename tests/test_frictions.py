"""Small frictions a newcomer met: a mistyped key named before a missing --source, and
the wizard's words before the offered area naming the question, not a flag."""

from __future__ import annotations


def test_data_set_names_a_mistyped_key_with_the_key_meant_before_asking_for_the_source(run):
    r = run("data", "set", "contacts.thurock.phone", "1")
    assert r.code == 2
    assert "thurock" in r.err and "did you mean: thurrock?" in r.err
    assert "--source" not in r.err


def test_data_set_with_a_known_key_and_no_source_asks_for_the_source(run):
    r = run("data", "set", "contacts.thurrock.phone_text", "01375 000000")
    assert r.code == 2 and "missing option --source" in r.err and "where the new value comes from" in r.err


def test_the_plan_before_the_offered_area_names_the_question_not_a_flag(run, terminal):
    with terminal("nyy\r"):  # a police Now, then Enter on the empty area: finished
        r = run("triage", "--at", "2026-06-02T10:00")
    assert r.code == 0
    assert "--area" not in r.out
    assert "the question below (where the concern is) fills this in" in r.out


def test_with_flags_the_same_plan_still_names_the_flag(run):
    r = run("triage", "--no-threat-to-life", "--offence", "--urgent", "--at", "2026-06-02T10:00")
    assert r.code == 0 and "--area" in r.out
