"""The sources ledger says who made each correction: a team's names the team and the day
it checked the value; one's own says it is the user's, on this computer."""

from __future__ import annotations

import json

import pytest

from setguide.model import data as data_module

TEAM_PHONE = "01375 000000"


@pytest.fixture(autouse=True)
def _fresh_data():
    data_module.get.cache_clear()
    yield
    data_module.get.cache_clear()


@pytest.fixture
def as_user(run, monkeypatch, tmp_path):
    def _run(user: str, *args: str):
        monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(tmp_path / user))
        data_module.get.cache_clear()
        return run(*args)

    return _run


def test_the_ledger_names_the_team_whose_file_corrected_a_value(as_user, tmp_path, monkeypatch):
    lead = as_user("lead", "data", "set", "contacts.thurrock.phone_text", TEAM_PHONE, "--source", "Thurrock SPOC email")
    assert lead.code == 0, lead.err
    shared = tmp_path / "shared"
    shared.mkdir()
    assert as_user("lead", "data", "export", "--team", "Grays CSC", str(shared / "team.toml")).code == 0
    monkeypatch.setenv("SETGUIDE_TEAM_CORRECTIONS", str(shared / "team.toml"))
    ledger = as_user("ann", "sources", "--plain")
    assert ledger.code == 0, ledger.err
    assert "Team correction: contacts.thurrock.phone_text" in ledger.out
    assert "Who: the team Grays CSC, from its shared file" in ledger.out
    assert "you, on this computer" not in ledger.out  # ann has made no correction of her own
    rows = json.loads(as_user("ann", "sources", "--json").out)
    rows = rows["sources"] if isinstance(rows, dict) else rows
    (row,) = [r for r in rows if r.get("key") == "contacts.thurrock.phone_text"]
    assert row["kind"] == "team correction" and row["team"] == "Grays CSC"


def test_the_ledger_says_ones_own_correction_is_ones_own(as_user):
    own = as_user("ann", "data", "set", "contacts.thurrock.phone_text", TEAM_PHONE, "--source", "rang them")
    assert own.code == 0, own.err
    ledger = as_user("ann", "sources", "--plain").out
    assert "Local correction: contacts.thurrock.phone_text" in ledger and "Who: you, on this computer" in ledger
