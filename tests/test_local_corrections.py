"""Local corrections: shown marked with their source, refused without one,
undone on request, and a tampered file is reported rather than trusted."""

from __future__ import annotations

import json
import stat
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from setguide.model import data as data_module

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _fresh_data():
    # The CLI caches the loaded data per process; each test here changes the user's files.
    data_module.get.cache_clear()
    yield
    data_module.get.cache_clear()


@pytest.fixture
def run_fresh(run):
    def _run(*args):
        data_module.get.cache_clear()
        return run(*args)

    return _run


def correct_thurrock(run_fresh):
    result = run_fresh(
        "data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "Thurrock SPOC email, 2026-11-20"
    )
    assert result.code == 0, result.err
    return result


def test_a_correction_is_shown_marked_with_its_source_in_contacts(run_fresh):
    correct_thurrock(run_fresh)
    out = run_fresh("contacts", "thurrock").out
    assert "Phone (LOCAL CORRECTION): 01375 000000" in out  # the mark beside the value it corrects
    assert "LOCAL CORRECTION" in out and "01375 652973" in out and "Thurrock SPOC email, 2026-11-20" in out
    (c,) = json.loads(run_fresh("contacts", "thurrock", "--json").out)
    assert c["phone_text"] == "01375 000000"
    assert c["local_corrections"][0]["protocol_value"] == "01375 652973"
    assert c["local_corrections"][0]["source"] == "Thurrock SPOC email, 2026-11-20"


def test_a_correction_is_marked_in_quadrant_too(run_fresh):
    correct_thurrock(run_fresh)
    out = run_fresh("quadrant", "Grays").out
    assert "01375 000000" in out and "LOCAL CORRECTION" in out


def test_uncorrected_contacts_carry_no_mark(run_fresh):
    correct_thurrock(run_fresh)
    out = run_fresh("contacts", "southend").out
    assert "LOCAL CORRECTION" not in out


def test_diff_lists_corrections_against_the_protocol(run_fresh):
    assert "No local corrections" in run_fresh("data", "diff").out
    correct_thurrock(run_fresh)
    run_fresh("data", "set", "facts.triage_line.extensions", "180022, 180099", "--source", "Essex Police notice")
    rows = json.loads(run_fresh("data", "diff", "--json").out)
    assert {r["key"] for r in rows} == {"contacts.thurrock.phone_text", "facts.triage_line.extensions"}
    ext = next(r for r in rows if r["key"] == "facts.triage_line.extensions")
    assert ext["protocol_value"] == ["180022", "180043"] and ext["local_value"] == ["180022", "180099"]


def test_reset_one_and_all(run_fresh):
    correct_thurrock(run_fresh)
    run_fresh("data", "set", "contacts.essex.email", "someone@essex.gov.uk", "--source", "ESCB")
    assert run_fresh("data", "reset", "contacts.thurrock.phone_text").code == 0
    assert "01375 652973" in run_fresh("contacts", "thurrock").out
    assert "someone@essex.gov.uk" in run_fresh("contacts", "essex").out
    assert run_fresh("data", "reset").code == 2  # neither a key nor --all: nothing is undone by accident
    assert run_fresh("data", "reset", "--all").code == 0
    assert "sally-ann.millar@essex.gov.uk" in run_fresh("contacts", "essex").out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["contacts.thurrock.phone_text", "1"], "--source"),
        (["contacts.thurrock.phone_text", "1", "--source", "  "], "--source is empty"),
        (["contacts.thurock.phone_text", "1", "--source", "x"], "did you mean: thurrock"),
        (["contacts.thurrock.phone", "1", "--source", "x"], "phone_text"),
        (["contacts.thurrock.id", "x", "--source", "x"], "cannot be corrected"),
        (["contacts.thurrock.section", "1", "--source", "x"], "cannot be corrected"),
        (["thurrock.phone", "1", "--source", "x"], "three parts"),
        (["forums.southend-mase.cadence", "sometimes", "--source", "x"], "not a valid value"),
        (["contacts.thurrock.checked", "2026-01-01", "--source", "x"], "cannot be corrected locally"),
        (["contacts.thurrock.email", "nobody", "--source", "x"], "not an email"),
        (["facts.emergency.number", "112", "--source", "x"], "999 everywhere"),
        (["contacts.thurrock.phone_text", "ring Bob", "--source", "x"], "not a phone number"),
        (["facts.sharing_form.url", "javascript:alert(1)", "--source", "x"], "not a web address"),
        (["facts.triage_email.address", "x@gmail", "--source", "x"], "not an email address"),
        (["facts.triage_line.extensions", "180022, 9a9", "--source", "x"], "not a phone extension"),
        (["authorities.essex.child_protection_page", "www.essex.gov.uk", "--source", "x"], "not a web address"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_is_written(run_fresh, config_dir, args, says):
    result = run_fresh("data", "set", *args)
    assert result.code == 2
    assert says in result.err
    assert not (config_dir / "overrides.toml").exists()


def test_the_overrides_file_is_private(run_fresh, config_dir):
    correct_thurrock(run_fresh)
    mode = stat.S_IMODE((config_dir / "overrides.toml").stat().st_mode)
    assert mode & 0o077 == 0


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ('[override."contacts.thurrock.phone_text"]\nvalue = "1"\nset_on = 2026-11-28\n', "source"),
        ('[override."contacts.thurrock.phone_text"]\nvalue = "1"\nsource = ""\nset_on = 2026-11-28\n', "source"),
        (
            '[override."contacts.nobody.phone_text"]\nvalue = "1"\nsource = "x"\nset_on = 2026-11-28\n',
            "contacts.nobody",
        ),
        ('[override."contacts.thurrock.phone_text"]\nvalue = 1\nsource = "x"\nset_on = 2026-11-28\n', "same kind"),
        ('[override."forums.southend-mase.cadence"]\nvalue = "x"\nsource = "x"\nset_on = 2026-11-28\n', "invalid"),
        ("[override\n", "syntax"),
        ('[override."contacts.thurrock.phone_text"]\nvalue = "1"\nsource = "x"\nset_on = 2099-01-01\n', "future"),
    ],
)
def test_a_tampered_overrides_file_is_reported_not_trusted(run_fresh, config_dir, content, named):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "overrides.toml").write_text(content)
    result = run_fresh("contacts", "thurrock")
    assert result.code == 1
    assert "overrides.toml" in result.err and named in result.err
    assert "Traceback" not in result.err
    assert run_fresh("data", "verify").code == 1
    assert run_fresh("data", "reset", "--all").code == 0  # whatever the file holds, it can be undone
    assert run_fresh("contacts", "thurrock").code == 0
    if named == "syntax":  # a corrupt file is never overwritten: it is kept beside, for the user
        (kept,) = config_dir.glob("overrides.toml.*.unread")
        assert kept.read_text() == content


def test_verify_reports_counts(run_fresh):
    result = run_fresh("data", "verify")
    assert result.code == 0
    assert "4 contacts" in result.out and "16 forums" in result.out


def test_keys_lists_correctable_fields(run_fresh):
    out = run_fresh("data", "keys", "contacts.thurrock").out
    assert "contacts.thurrock.phone_text: 01375 652973" in out
    assert "contacts.thurrock.id" not in out


def test_an_unconfirmed_contact_says_once_that_it_should_be_confirmed(run_fresh):
    """Checked against the protocol's text is not confirmed: the protocol is undated."""
    out = run_fresh("contacts").out
    assert out.count("should be confirmed before you rely on them") == 1 and "01375 652973" in out
    (c,) = json.loads(run_fresh("contacts", "thurrock", "--json").out)
    assert c["confirmed"] is None and c["stale"] is True and c["checked"]


def test_a_local_correction_confirms_the_field_it_corrects_for_12_months(run_fresh):
    with freeze_time(datetime(2027, 1, 10, 12, tzinfo=LONDON)):
        run_fresh("data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "rang the SPOC")
        run_fresh("data", "set", "contacts.thurrock.email", "spoc@thurrock.gov.uk", "--source", "rang the SPOC")
        run_fresh("data", "set", "contacts.thurrock.name", "A. Person", "--source", "rang the SPOC")
        run_fresh("data", "set", "contacts.thurrock.role", "SPOC", "--source", "rang the SPOC")
        run_fresh(
            "data",
            "set",
            "contacts.thurrock.organisation",
            "Thurrock Council, Children's Services",
            "--source",
            "rang the SPOC",
        )
        out = run_fresh("contacts", "thurrock").out
        assert "should be confirmed" not in out and "check this is still current" not in out
        assert "LOCAL CORRECTION" in out
        (c,) = json.loads(run_fresh("contacts", "thurrock", "--json").out)
        assert c["confirmed"] == "2027-01-10" and c["stale"] is False
    with freeze_time(datetime(2028, 1, 20, 12, tzinfo=LONDON)):
        out = run_fresh("contacts", "thurrock").out
        assert "last confirmed on 2027-01-10" in out and "check this is still current" in out
        assert "01375 000000" in out


def test_correcting_one_field_of_a_spoc_confirms_that_field_only(run_fresh):
    """The role was checked; the phone and the email beside it were not."""
    with freeze_time(datetime(2027, 1, 10, 12, tzinfo=LONDON)):
        assert run_fresh("data", "set", "contacts.thurrock.role", "SPOC", "--source", "rang the SPOC").code == 0
        potential = ["triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Grays"]
        for args in (["contacts", "thurrock"], [*potential, "--theme", "gangs"]):
            out = run_fresh(*args).out
            assert "should be confirmed before you rely on them" in out, args
            assert "01375 652973" in out and "LOCAL CORRECTION" in out
        (c,) = json.loads(run_fresh("contacts", "thurrock", "--json").out)
        assert c["confirmed"] is None and c["stale"] is True


def test_a_broken_corrections_file_never_stands_between_a_user_and_999(run_fresh, config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "overrides.toml").write_text("[override\n")
    result = run_fresh("triage", "--threat-to-life")
    assert result.code == 0
    assert "Phone: 999" in result.out
    assert "local corrections were NOT applied" in result.out and "overrides.toml" in result.out
    elsewhere = run_fresh("contacts")
    assert elsewhere.code == 1 and "call 999" in elsewhere.err


def test_a_stale_spoc_warns_wherever_it_is_shown(run_fresh):
    with freeze_time(datetime(2025, 1, 6, 12, tzinfo=LONDON)):
        run_fresh("data", "set", "contacts.essex.email", "s.a.millar@essex.gov.uk", "--source", "old check")
    for args in (
        ["quadrant", "Harlow"],
        ["triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Harlow"],
    ):
        out = run_fresh(*args).out
        assert "Essex SPOC details were last confirmed on 2025-01-06" in out, args
        assert "07788 303718" in out and "0333 013 4258" in out
    answer = json.loads(run_fresh("quadrant", "Harlow", "--json").out)
    assert answer["spoc"]["stale"] is True and answer["spoc"]["email"] == "s.a.millar@essex.gov.uk"
    assert answer["mace_contact_list"]["url"].endswith("mace-principal-contact-list-updated-mid.docx")
    # Not where the Essex SPOC is not shown.
    assert "last confirmed" not in run_fresh("triage", "--threat-to-life").out


def test_triage_marks_only_the_corrections_it_shows(run_fresh):
    correct_thurrock(run_fresh)
    emergency = run_fresh("triage", "--threat-to-life").out
    assert "LOCAL CORRECTION" not in emergency
    thurrock = run_fresh(
        "triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Grays", "--theme", "gangs"
    ).out
    assert "LOCAL CORRECTION" in thurrock and "01375 000000" in thurrock


def test_a_corrected_phone_text_withholds_the_protocols_numbers_in_json(run_fresh):
    correct_thurrock(run_fresh)
    (c,) = json.loads(run_fresh("contacts", "thurrock", "--json").out)
    assert c["phone_text"] == "01375 000000" and c["phones"] is None
    (e,) = json.loads(run_fresh("contacts", "essex", "--json").out)
    assert e["phones"][0]["number"] == "07788303718"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["contacts.thurrock.name", "Bob\x1b[2J", "--source", "x"], "control character"),
        (["contacts.thurrock.name", "Bob", "--source", "x\r\x1b[2K"], "control character"),
    ],
)
def test_a_control_character_cannot_rewrite_the_screen(run_fresh, config_dir, args, named):
    # An escape sequence in a value or a source could clear the screen or hide the caution.
    result = run_fresh("data", "set", *args)
    assert result.code == 2 and named in result.err
    assert not (config_dir / "overrides.toml").exists()


def test_a_control_character_in_a_tampered_file_is_refused(run_fresh, config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "overrides.toml").write_text(
        '[override."contacts.thurrock.name"]\nvalue = "Bob\\u001b[2J"\nsource = "x"\nset_on = 2026-11-01\n'
    )
    result = run_fresh("contacts", "thurrock")
    assert result.code == 1 and "control character" in result.err and "\x1b" not in result.out


def test_triage_json_lists_the_corrections_it_shows(run_fresh):
    correct_thurrock(run_fresh)
    args = ["triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Grays"]
    doc = json.loads(run_fresh(*args, "--theme", "gangs", "--json").out)
    assert [c["key"] for c in doc["local_corrections"]] == ["contacts.thurrock.phone_text"]
    assert json.loads(run_fresh("triage", "--threat-to-life", "--json").out)["local_corrections"] == []
