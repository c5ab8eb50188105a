"""A team keeps the data current: one user exports their corrections as a team file,
colleagues read it (SETGUIDE_TEAM_CORRECTIONS or `data team`), each value it changes is
marked as the team's, a user's own correction wins, and a team file that cannot be used
is a caution naming it, with the protocol's values shown and 999 first."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from setguide.model import data as data_module

PROTOCOL_PHONE = "01375 652973"
TEAM_PHONE = "01375 000000"


@pytest.fixture(autouse=True)
def _fresh_data():
    data_module.get.cache_clear()
    yield
    data_module.get.cache_clear()


@pytest.fixture
def as_user(run, monkeypatch, tmp_path):
    """Run setguide as one of several users, each with their own config folder."""

    def _run(user: str, *args: str):
        monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(tmp_path / user))
        data_module.get.cache_clear()
        return run(*args)

    return _run


@pytest.fixture
def team_file(as_user, tmp_path) -> Path:
    lead = as_user("lead", "data", "set", "contacts.thurrock.phone_text", TEAM_PHONE, "--source", "Thurrock SPOC email")
    assert lead.code == 0, lead.err
    path = tmp_path / "shared" / "team.toml"
    path.parent.mkdir()
    result = as_user("lead", "data", "export", "--team", "Grays CSC", str(path))
    assert result.code == 0, result.err
    return path


def test_two_users_share_one_file_and_each_sees_the_team_mark(as_user, team_file, monkeypatch):
    assert as_user("ann", "data", "team", str(team_file)).code == 0  # remembered
    monkeypatch.delenv("SETGUIDE_TEAM_CORRECTIONS", raising=False)
    for user in ("ann", "ben"):
        if user == "ben":
            monkeypatch.setenv("SETGUIDE_TEAM_CORRECTIONS", str(team_file))
        shown = as_user(user, "contacts", "thurrock", "--plain")
        assert shown.code == 0, shown.err
        assert f"Phone (TEAM CORRECTION): {TEAM_PHONE}" in shown.out  # the mark beside the value
        assert "TEAM CORRECTION by Grays CSC" in shown.out and f"the protocol says '{PROTOCOL_PHONE}'" in shown.out
        assert "Thurrock SPOC email, checked" in shown.out
        rows = json.loads(as_user(user, "contacts", "thurrock", "--json").out)
        (mark,) = rows[0]["local_corrections"] if isinstance(rows, list) else rows["local_corrections"]
        assert mark["layer"] == "team" and mark["team"] == "Grays CSC" and mark["checked"]
        diff = as_user(user, "data", "diff").out
        assert "Team corrections (1)" in diff and "Team (Grays CSC): 01375 000000" in diff


def test_a_users_own_correction_overrides_the_teams_and_is_marked_as_theirs(as_user, team_file, monkeypatch):
    monkeypatch.setenv("SETGUIDE_TEAM_CORRECTIONS", str(team_file))
    own = as_user("ann", "data", "set", "contacts.thurrock.phone_text", "01375 111111", "--source", "rang them")
    assert own.code == 0, own.err
    ann = as_user("ann", "contacts", "thurrock", "--plain").out
    assert "Phone (LOCAL CORRECTION): 01375 111111" in ann and "LOCAL CORRECTION on this computer" in ann
    assert f"it replaces your team's '{TEAM_PHONE}'" in ann and "TEAM CORRECTION" not in ann
    diff = as_user("ann", "data", "diff", "--json").out
    (row,) = json.loads(diff)
    assert row["layer"] == "local" and row["team_value"] == TEAM_PHONE and row["protocol_value"] == PROTOCOL_PHONE
    ben = as_user("ben", "contacts", "thurrock", "--plain").out  # the other user still has the team's
    assert f"Phone (TEAM CORRECTION): {TEAM_PHONE}" in ben and "TEAM CORRECTION by Grays CSC" in ben


@pytest.mark.parametrize(
    ("breaks", "says"),
    [
        (lambda p: p.write_text(p.read_text() + "\n[[broken\n"), "not valid TOML"),
        (lambda p: p.unlink(), "not found"),
        (lambda p: p.write_text(p.read_text().replace('name = "Grays CSC"', "")), "team.name"),
        (lambda p: p.write_text(p.read_text().replace(TEAM_PHONE, "ring Bob")), "not a phone number"),
        (lambda p: os.chmod(p, 0o666), "any user can change it"),
        (
            lambda p: p.write_text(
                p.read_text() + '\n[override."facts.triage_line.opens"]\nvalue = "18:30"\n'
                'source = "x"\nchecked = 2026-11-01\n'
            ),
            "opens (18:30) after it closes",
        ),
        (lambda p: p.write_text(p.read_text().replace("[team]", "[team]\nx = " + "[" * 5000 + "]" * 5000)), "TOML"),
    ],
)
def test_a_team_file_that_cannot_be_used_is_a_caution_naming_it(as_user, team_file, monkeypatch, breaks, says):
    monkeypatch.setenv("SETGUIDE_TEAM_CORRECTIONS", str(team_file))
    breaks(team_file)
    plan = as_user("ann", "triage", "--threat-to-life", "--plain")
    assert plan.code == 0, plan.err
    assert plan.out.splitlines()[0] == "EMERGENCY: Call 999 now"  # 999 first
    assert "team's corrections file was NOT used" in plan.out and str(team_file) in plan.out
    shown = as_user("ann", "contacts", "thurrock", "--plain")
    assert shown.code == 0 and f"Phone: {PROTOCOL_PHONE}" in shown.out and says in shown.out
    verify = as_user("ann", "data", "verify")
    assert verify.code == 1 and str(team_file) in verify.err and "Traceback" not in verify.err


def test_data_team_refuses_a_file_it_cannot_use(as_user, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[override."contacts.thurrock.phone_text"]\nvalue = "1"\nsource = "x"\nchecked = 2026-01-01\n')
    result = as_user("ann", "data", "team", str(bad))
    assert result.code == 1 and "team.name" in result.err
    assert not (tmp_path / "ann" / "team.toml").exists()


def test_export_refuses_links_and_existing_files_without_force(as_user, team_file, tmp_path):
    again = as_user("lead", "data", "export", "--team", "Grays CSC", str(team_file))
    assert again.code == 2 and "--force" in again.err
    assert as_user("lead", "data", "export", "--team", "Grays CSC", str(team_file), "--force").code == 0
    link = tmp_path / "link.toml"
    link.symlink_to(team_file)
    linked = as_user("lead", "data", "export", "--team", "Grays CSC", str(link), "--force")
    assert linked.code == 1 and "link" in linked.err
    assert as_user("nobody", "data", "export", "--team", "X", str(tmp_path / "n.toml")).code == 2  # nothing to export
    named = as_user("lead", "data", "export", "--team", "a\nb", str(tmp_path / "m.toml"))
    assert named.code == 2 and not (tmp_path / "m.toml").exists()


def test_a_card_built_with_a_team_file_names_the_team_and_its_date(as_user, team_file, monkeypatch, tmp_path):
    monkeypatch.setenv("SETGUIDE_TEAM_CORRECTIONS", str(team_file))
    card = tmp_path / "card.html"
    assert as_user("ann", "card", "--html", str(card)).code == 0
    page = html.unescape(re.sub(r"<[^>]+>", "", card.read_text()))  # the text a reader sees
    assert "Built with Grays CSC" in page and "team corrections (last checked 20" in page
    assert "TEAM CORRECTION by Grays CSC" in page


WRITER = """
import sys, time
from pathlib import Path
from setguide.base.userfiles import atomic_write
path = Path(sys.argv[1])
texts = [path.read_bytes(), path.read_bytes().replace(b"01375 000000", b"01375 222222")]
end = time.monotonic() + float(sys.argv[2])
i = 0
while time.monotonic() < end:
    atomic_write(path, texts[i % 2])
    i += 1
print(i)
"""


def test_another_process_writes_the_team_file_while_it_is_read(as_user, team_file, monkeypatch):
    monkeypatch.setenv("SETGUIDE_TEAM_CORRECTIONS", str(team_file))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(team_file), "3"], stdout=subprocess.PIPE, text=True)
    seen = set()
    try:
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline:
            shown = as_user("ann", "contacts", "thurrock", "--plain")
            assert shown.code == 0, shown.err
            assert "NOT used" not in shown.out  # every read sees a whole file, old or new
            seen |= {p for p in (TEAM_PHONE, "01375 222222") if f"Phone (TEAM CORRECTION): {p}" in shown.out}
    finally:
        writes = int(writer.communicate(timeout=30)[0])
    assert writes > 10 and seen


def test_the_sources_ledger_names_the_team_whose_file_corrected_a_value(as_user, team_file, monkeypatch):
    monkeypatch.setenv("SETGUIDE_TEAM_CORRECTIONS", str(team_file))
    ledger = as_user("ann", "sources", "--plain")
    assert ledger.code == 0, ledger.err
    assert "Team correction: contacts.thurrock.phone_text" in ledger.out
    assert "Who: the team Grays CSC, from its shared file" in ledger.out
    assert "you, on this computer" not in ledger.out  # ann has made no correction of her own
    rows = json.loads(as_user("ann", "sources", "--json").out)
    rows = rows["sources"] if isinstance(rows, dict) else rows
    (row,) = [r for r in rows if r.get("key") == "contacts.thurrock.phone_text"]
    assert row["kind"] == "team correction" and row["team"] == "Grays CSC"


def test_the_sources_ledger_says_ones_own_correction_is_ones_own(as_user):
    own = as_user("ann", "data", "set", "contacts.thurrock.phone_text", TEAM_PHONE, "--source", "rang them")
    assert own.code == 0, own.err
    ledger = as_user("ann", "sources", "--plain").out
    assert "Local correction: contacts.thurrock.phone_text" in ledger and "Who: you, on this computer" in ledger
