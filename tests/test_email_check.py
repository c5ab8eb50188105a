"""`setguide email-check`: the protocol's secure-email rule as written [§1], the .gsi
retirement beside it, and a clear refusal of anything that is not an address."""

from __future__ import annotations

import json
import shutil
import socket

import pytest

from setguide.base.errors import DataError, UsageError
from setguide.find import email_check
from setguide.find.lexicon import notes
from setguide.model.data import load
from tests.conftest import PROTOCOL, ROOT

SECURE = [
    ("OC.triage.team.essex@essex.pnn.police.uk", ".pnn"),
    ("jo.bloggs@nhs.net", ".nhs.net"),
    ("someone@ward.nhs.net", ".nhs.net"),
    ("someone@dwp.gsi.gov.uk", ".gsi"),
    ("Jo Bloggs <JO.BLOGGS@NHS.NET>", ".nhs.net"),
    ("mailto:jo@kent.pnn.police.uk", ".pnn"),
]
NOT_SECURE = [
    "bob@gmail.com",
    "sally-ann.millar@essex.gov.uk",
    "a@nhs.net.example.com",
    "a@council.gcsx.gov.uk",
    # Look-alikes: the protocol's short forms stand for real suffixes, not a label anywhere.
    "a@pnn.evil.com",
    "a@pnn.com",
    "a@mail.pnn.example.uk",
    "a@gsi.evil.com",
    "a@gsi.gov.uk.evil.com",
]


@pytest.mark.parametrize(("address", "matched"), SECURE)
def test_secure_addresses(data, run, address, matched):
    result = email_check.check(data, address)
    assert result.secure and result.matched == matched
    out = run("email-check", address)
    assert out.code == 0
    assert f"secure under the protocol ({matched}" in out.out


@pytest.mark.parametrize("address", NOT_SECURE)
def test_addresses_the_protocol_does_not_name(data, run, address):
    assert not email_check.check(data, address).secure
    out = run("email-check", address)
    assert out.code == 0
    assert "not one of the secure addresses the protocol names" in out.out
    assert 'examples ("e.g.")' in out.out


def test_the_rule_is_shown_as_the_protocol_writes_it(data, run):
    out = run("email-check", "bob@gmail.com").out
    rule = data.facts["secure_email"]["rule_text"]
    assert rule in PROTOCOL.read_text(encoding="utf-8")
    assert f"Rule: {rule!s}" in out
    assert "Send the form to: OC.triage.team.essex@essex.pnn.police.uk" in out
    assert "Source: §1" in out


def test_the_gsi_retirement_note_is_shown_with_its_source(run):
    out = run("email-check", "jo@thurrock.gov.uk").out
    assert "was to be replaced by March 2019" in out
    for word in ("TLS 1.2", "MTA-STS", "DMARC", "DKIM", "SPF"):
        assert word in out
    assert "https://www.gov.uk/guidance/securing-government-email" in out
    assert "Note (beside the protocol, not in it)" in out


@pytest.mark.parametrize(
    ("address", "family"), [("x@dwp.gsi.gov.uk", "gsi.gov.uk"), ("x@c.gcsx.gov.uk", "gcsx.gov.uk")]
)
def test_an_address_in_the_retired_gsi_family_gets_a_caution(run, address, family):
    out = run("email-check", address).out
    assert f"Caution: {family} is one of the .gsi family" in out
    assert "Caution" not in run("email-check", "jo@nhs.net").out


def test_json(run):
    result = run("email-check", "jo@essex.pnn.police.uk", "--json")
    assert result.code == 0
    answer = json.loads(result.out)
    assert answer["secure"] is True and answer["matched"] == ".pnn"
    assert answer["protocol_domains"] == [".gsi", ".pnn", ".nhs.net"]
    assert answer["source"] == "§1" and answer["retired_gsi_family"] is None
    assert "March 2019" in answer["notes"][0]["text"]


@pytest.mark.parametrize(
    "typed",
    ["notanemail", "a@b", "@nhs.net", "jo@", "jo bloggs@nhs.net", "jo@nhs..net", "jo@-nhs.net", "jo@nhs.n3t", ""],
)
def test_anything_not_an_address_exits_2(data, run, typed):
    with pytest.raises(UsageError):
        email_check.check(data, typed)
    result = run("email-check", typed)
    assert result.code == 2
    assert "not an email address" in result.err and "Traceback" not in result.err


def test_it_sends_nothing_and_looks_nothing_up(data, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("email-check opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert email_check.check(data, "jo@nhs.net").secure


def test_a_broken_notes_file_names_file_and_field(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    path = target / "notes.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('applies_to = "secure_email"', 'applies_to = "secure_mail"'), encoding="utf-8")
    with pytest.raises(DataError) as err:
        notes(load(target))
    assert err.value.file == "notes.toml" and err.value.field == "gsi_retired.applies_to"


@pytest.mark.parametrize("address", ["jo@nhs.net", "jo.bloggs@essex.pnn.police.uk"])
def test_a_plain_yes_is_three_lines(run, address):
    r = run("email-check", address)
    assert r.code == 0
    lines = r.out.splitlines()
    assert len(lines) == 3, r.out
    assert lines[0].startswith(f"{address}: secure under the protocol")
    assert lines[1].startswith("Rule: ") and lines[2] == "Source: §1"


@pytest.mark.parametrize("address", ["x@school.essex.sch.uk", "x@thurrock.gov.uk"])
def test_a_no_for_a_school_or_council_address_says_what_to_do_next(run, address):
    r = run("email-check", address)
    assert r.code == 0
    assert "not one of the secure addresses the protocol names" in r.out
    assert 'which the protocol gives as examples ("e.g.")' in r.out
    next_steps = r.out.split("What to do next (setguide):", 1)[1]
    assert "information governance lead" in next_steps
    assert "Send the form to: OC.triage.team.essex@essex.pnn.police.uk" in r.out
    assert "§" not in next_steps.split("Send the form to")[0]  # setguide's own words carry no §
    assert json.loads(run("email-check", address, "--json").out)["secure"] is False
