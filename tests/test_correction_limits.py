"""A correction cannot break what it corrects: each is checked against the whole data it
makes (the triage line's hours, names across places and authorities, keys that go
together, the size of a value), a refusal says why and what to do, and `data reset`
undoes whatever the file holds. An invite's rule that gives no date is refused at
import, and one already stored is a caution that stops no listing of the others."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from setguide.model import data as data_module

AT = ("--at", "2026-12-07 10:00")  # a Monday, in the line's hours


@pytest.fixture(autouse=True)
def _fresh_data():
    data_module.get.cache_clear()
    yield
    data_module.get.cache_clear()


@pytest.fixture
def run_fresh(run):
    def _run(*args):
        data_module.get.cache_clear()
        return run(*args)

    return _run


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("facts.triage_line.opens", "18:30", "opens (18:30) after it closes (18:00)"),
        ("facts.triage_line.opens", "18:00", "opens (18:00) after it closes (18:00)"),
        ("facts.triage_line.closes", "09:00", "under 2 hours"),
        ("facts.triage_line.days", "wed", "Monday or a Friday"),
        ("facts.triage_line.days", "wed, thu", "Monday or a Friday"),
        ("districts.epping-forest.name", "Southend", "'Southend' is also the name of authority 'southend'"),
        ("authorities.thurrock.name", "Essex", "'Essex' is also the name of authority 'essex'"),
        ("districts.harlow.name", "basildon", "is also the name of district 'basildon'"),
        ("districts.maldon.name", "Grays", "is also a place in Thurrock"),
        ("facts.secure_email.domains", ".gsi, .pnn", "set both in one command"),
        ("facts.secure_email.suffixes", ".nhs.net", "set both in one command"),
        ("contacts.thurrock.name", "x" * 2001, "at most 2000"),
    ],
)
def test_a_correction_that_would_break_the_data_is_refused_saying_why(run_fresh, config_dir, key, value, says):
    result = run_fresh("data", "set", key, value, "--source", "a typo")
    assert result.code == 2
    assert says in result.err and "Traceback" not in result.err
    assert "nothing was saved" in result.err  # and what to do
    assert not (config_dir / "overrides.toml").exists()


def test_paired_keys_change_together_in_one_command(run_fresh):
    result = run_fresh(
        "data",
        "set",
        "facts.secure_email.domains",
        ".gsi, .pnn, .nhs.net, .gov.uk",
        "facts.secure_email.suffixes",
        ".gsi.gov.uk, .pnn.police.uk, .nhs.net, .gov.uk",
        "--source",
        "GOV.UK, 2026-12-01",
    )
    assert result.code == 0, result.err
    assert "facts.secure_email.suffixes: .gsi.gov.uk, .pnn.police.uk, .nhs.net, .gov.uk" in result.out
    diff = run_fresh("data", "diff").out
    assert "facts.secure_email.domains" in diff and "facts.secure_email.suffixes" in diff
    # and back again, one at a time: each is checked against the other as stored
    assert run_fresh("data", "reset", "facts.secure_email.domains").code == 0
    assert run_fresh("data", "verify").code == 1  # four suffixes for three domains: named, not hidden


def test_a_key_without_its_value_is_a_usage_error(run_fresh):
    result = run_fresh("data", "set", "contacts.thurrock.name", "A", "contacts.thurrock.role", "--source", "x")
    assert result.code == 2 and "has no value" in result.err


def test_a_wide_enough_line_still_builds_the_card(run_fresh, tmp_path):
    # 08:00-10:20 on Mondays: the shortest day the checks allow, with 10:00 inside its last half hour
    set_ = run_fresh(
        "data", "set", "facts.triage_line.closes", "10:20", "facts.triage_line.days", "mon", "--source", "Triage Team"
    )
    assert set_.code == 0, set_.err
    result = run_fresh("card", "--html", str(tmp_path / "card.html"))
    assert result.code == 0, result.err
    page = (tmp_path / "card.html").read_text()
    assert "LOCAL CORRECTION" in page


def _write(config_dir: Path, text: str) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "overrides.toml"
    path.write_text(text)
    os.chmod(path, 0o600)
    return path


def test_a_file_too_big_to_read_can_still_be_undone(run_fresh, config_dir):
    entry = '[override."contacts.{}.name"]\nvalue = "{}"\nsource = "s"\nset_on = 2026-01-01\n'
    _write(config_dir, "".join(entry.format(c, "x" * 300_000) for c in ("thurrock", "southend", "essex", "police")))
    triage = run_fresh("triage", "--threat-to-life")
    assert triage.code == 0 and "999" in triage.out
    assert "larger than setguide reads" in run_fresh("data", "verify").err
    one = run_fresh("data", "reset", "contacts.thurrock.name")
    assert one.code == 0, one.err
    everything = run_fresh("data", "reset", "--all")
    assert everything.code == 0, everything.err
    assert run_fresh("data", "verify").code == 0


@pytest.mark.parametrize("content", ["[override\n", "\x00\xff garbage", "override = 3\n"])
def test_reset_all_works_whatever_the_file_holds(run_fresh, config_dir, content):
    path = _write(config_dir, content)
    result = run_fresh("data", "reset", "--all")
    assert result.code == 0, result.err
    assert run_fresh("contacts", "thurrock").code == 0
    kept = list(config_dir.glob("overrides.toml.*.unread"))
    assert kept == [] or kept[0].read_text() == content
    assert not path.exists() or "override" in path.read_text()


# --- invites ---------------------------------------------------------------


def _invite(tmp_path: Path, rule: str) -> Path:
    invite = tmp_path / "invite.ics"
    invite.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20261101T090000Z\r\n"
        f"DTSTART;TZID=Europe/London:20261202T100000\r\nSUMMARY:Thurrock MACE\r\nRRULE:{rule}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return invite


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH must be from 1 to 12"),
        ("FREQ=MONTHLY;BYDAY=53MO", "no monthly period has that day"),
        ("FREQ=WEEKLY;BYDAY=2TU", "no weekly period has that day"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "no month has them"),
    ],
)
def test_an_invite_whose_rule_gives_no_date_is_refused_without_a_traceback(run, tmp_path, config_dir, rule, says):
    result = run("forums", "import", str(_invite(tmp_path, rule)), "--plain")
    assert result.code == 1
    assert says in result.out
    assert "Traceback" not in result.err + result.out and "Exception in thread" not in result.err
    assert not (config_dir / "meetings.toml").exists()


@pytest.mark.parametrize("rule", ["FREQ=YEARLY;BYMONTH=13", "FREQ=MONTHLY;BYDAY=53MO", "FREQ=DAILY;BYSETPOS=400"])
def test_a_stored_rule_that_gives_no_date_stops_no_listing_of_the_others(run, tmp_path, config_dir, rule):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "meetings.toml").write_text(
        f'[meeting.thurrock-mace]\ndate = 2026-12-02\nrrule = "{rule}"\n\n'
        '[meeting.southend-mase]\ndate = 2026-11-04\ntime = "10:00"\n'
    )
    os.chmod(config_dir / "meetings.toml", 0o600)
    listed = run("forums", "--next", "--at", "2026-12-06 10:00", "--plain")
    assert listed.code == 0, listed.err
    assert "Caution" in listed.out and "forums remove-date thurrock-mace" in listed.out
    assert re.search(r"MASE \(projected\)", listed.out)
    ics = tmp_path / "forums.ics"
    exported = run("forums", "--ics", str(ics))
    assert exported.code == 0, exported.err
    calendar = ics.read_text()
    assert calendar.count("BEGIN:VEVENT") == 2 and rule not in calendar
    assert "forums remove-date thurrock-mace" in exported.err
    assert "Caution" in run("data", "verify").out


# --- the record ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("contacts.essex.name", "```\n"),
        ("contacts.essex.name", "````` <img src=x onerror=alert(1)>"),
        ("contacts.essex.role", "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))"),
        ("districts.harlow.name", "Harlow <script>alert(1)</script> `x`"),
    ],
)
def test_the_record_fences_or_escapes_every_value_it_writes(run, tmp_path, key, value):
    source = "```` <img src=x onerror=alert(2)>"
    set_ = run("data", "set", key, value.strip() or value, "--source", source)
    if set_.code != 0:  # a value the correction rules refuse never reaches a record
        assert "Traceback" not in set_.err
        return
    data_module.get.cache_clear()
    path = tmp_path / "r.md"
    area = "Harlow <script>alert(1)</script> `x`" if key.startswith("districts") else "Harlow"
    args = ("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", area)
    result = run(*args, "--at", "2026-12-01T10:00", "--record", str(path))
    data_module.get.cache_clear()
    assert result.code == 0, result.err
    import markdown_it

    html = markdown_it.MarkdownIt("commonmark").render(path.read_text())
    assert "<img" not in html and "<script" not in html and "<a " not in html
    # every line with the value or its source is inside a code block or escaped
    assert "onerror" in html  # still there, as text
