"""Every local correction is marked wherever it changes what a command shows, and
never mentioned where it changes nothing.

Generated from the list of correctable keys: each key is corrected in turn to a
value of the same kind, every command below is run before and after, and the two
outputs are compared. An output that changed must name the key (the trust pass's
mark); an output that did not change must not. This needs no knowledge of which
view shows which fact, so a new view or a new field is covered the day it exists.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from setguide import cli
from setguide.model import corrections
from setguide.model.data import CADENCES, get, read_raw

pytestmark = pytest.mark.slow

AT = "2026-12-01T10:00"  # a Tuesday in hours: the urgent route shows the triage line

# What a user sees, by command: text and JSON of each, across the places and
# routes whose answers differ by authority, quadrant and time.
COMMANDS: list[list[str]] = [
    ["contacts"],
    ["quadrant", "Harlow"],
    ["quadrant", "Colchester"],
    ["quadrant", "Stock"],
    ["quadrant", "Grays"],
    ["quadrant", "Southend"],
    ["quadrant", "Essex"],
    ["forums"],
    ["forums", "--next", "--days", "120", "--at", AT],
    ["email-check", "someone@nhs.net"],
    ["email-check", "someone@example.com"],
    ["search", "county", "lines"],
    ["search", "101"],
    ["triage", "--threat-to-life", "--at", AT],
    ["triage", "--no-threat-to-life", "--offence", "--urgent", "--at", AT],
    ["triage", "--no-threat-to-life", "--offence", "--urgent", "--at", "2026-12-01T22:00"],
    ["triage", "--no-threat-to-life", "--offence", "--not-urgent", "--at", AT],
    ["triage", "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "Harlow", "--at", AT],
    ["triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Harlow", "--at", AT],
    [
        "triage",
        "--no-threat-to-life",
        "--no-offence",
        "--level",
        "potential",
        "--area",
        "Grays",
        "--theme",
        "not-sure",
        "--at",
        AT,
    ],
    [
        "triage",
        "--no-threat-to-life",
        "--no-offence",
        "--level",
        "potential",
        "--area",
        "Southend",
        "--theme",
        "not-sure",
        "--at",
        AT,
    ],
    ["triage", "--no-threat-to-life", "--no-offence", "--level", "strategic", "--at", AT],
]
RUNS = [[*c, "--plain"] for c in COMMANDS] + [[*c, "--json"] for c in COMMANDS]


def new_value(key: str, value, raw) -> str | None:
    """A valid value of the same kind that differs from the protocol's, as `data set` takes it."""
    prefix, ident, field = key.split(".")
    if isinstance(value, bool | int | float | dict):
        return None
    if isinstance(value, date):
        return "2026-01-05"
    if field == "cadence":
        return next(c for c in CADENCES if c != value)
    if prefix == "districts" and field == "quadrant":
        return "north" if value != "north" else "south"
    if prefix == "authorities" and field == "contact":
        return "essex-police"
    if field in ("kind", "authority", "themes", "quadrants", "aliases", "days"):
        return None  # changes the shape of the data, not a value shown; refused or covered elsewhere
    if field in ("opens", "closes"):
        return "09:00" if field == "opens" else "17:00"
    text = ", ".join(value) if isinstance(value, list) else str(value)
    if "@" in text:
        return "changed.person@example.gov.uk"
    if text.startswith("http"):
        return "https://www.example.gov.uk/changed"
    if field in ("number", "extensions"):
        return "123456" if field == "extensions" else "01234 567890"
    if field == "phone_text":
        return "01234 567890"
    if isinstance(value, list):
        return ", ".join([f"{value[0]} (changed)", *value[1:]])
    return f"{text} (changed)"


def _keys() -> list[tuple[str, str]]:
    raw = read_raw()
    found = []
    for key, value in corrections.keys(raw):
        if key.startswith("facts.emergency."):
            continue  # 999 cannot be corrected
        v = new_value(key, value, raw)
        if v is not None:
            found.append((key, v))
    return found


KEYS = _keys()


# A correction of a SPOC entry also confirms it (the user looked at it), so the caution
# that named contacts should be confirmed goes: that is freshness, not a changed fact.
FRESHNESS = re.compile(
    r"^Caution: setguide: (named contacts are as the protocol gives them|\S+ SPOC details).*$\n?", re.M
)
FRESHNESS_JSON = ("confirmed", "confirmed_by", "stale")


def _drop_freshness(value):
    if isinstance(value, dict):
        return {k: _drop_freshness(v) for k, v in value.items() if k not in FRESHNESS_JSON}
    if isinstance(value, list):
        return [_drop_freshness(v) for v in value]
    return value


def _run(capsys, args: list[str]) -> tuple[int, str]:
    get.cache_clear()
    code = cli.run(args)
    out = capsys.readouterr().out
    if "--json" in args and code == 0:
        return code, json.dumps(_drop_freshness(json.loads(out)), indent=1)
    return code, FRESHNESS.sub("", out)


@pytest.fixture(scope="module")
def baseline_config(tmp_path_factory):
    return tmp_path_factory.mktemp("config")


@pytest.fixture
def outputs(capsys, monkeypatch, tmp_path):
    """Every run's output without corrections, with one recorded date for every forum."""
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(tmp_path / "config"))
    for forum in get().forums:
        assert cli.run(["forums", "add-date", forum, "2026-11-03"]) == 0
    capsys.readouterr()
    return {tuple(r): _run(capsys, r) for r in RUNS}


def test_the_generated_list_covers_every_kind_of_fact():
    prefixes = {k.split(".")[0] for k, _ in KEYS}
    assert prefixes == {"contacts", "facts", "forums", "authorities", "districts", "quadrants"}
    assert len(KEYS) > 120


@pytest.mark.parametrize(("key", "value"), KEYS, ids=[k for k, _ in KEYS])
def test_a_correction_is_marked_wherever_it_changes_what_is_shown(key, value, capsys, outputs):
    code = cli.run(["data", "set", key, value, "--source", "test: a changed value"])
    said = capsys.readouterr()
    if code != 0:
        # Refused as invalid (e.g. a quadrant for a unitary district): nothing to mark.
        assert code in (1, 2), said
        pytest.skip(f"refused: {said.err.strip()[:120]}")
    for args, (_, before) in outputs.items():
        code1, after = _run(capsys, list(args))
        mentioned = bool(re.search(rf"LOCAL CORRECTION[^\n]*{re.escape(key)}\b", after))
        if "--json" in args and code1 == 0:
            shown = json.loads(after)  # as _run left it: the freshness fields out, the rest as printed
            items = shown if isinstance(shown, list) else [shown]
            mentioned = any(c["key"] == key for i in items if isinstance(i, dict) for c in i["local_corrections"])
        where = " ".join(args)
        if after == before:
            assert not mentioned, f"{where}: {key} is marked but changed nothing shown"
        elif _shows(after, value) and not _shows(before, value):
            assert mentioned, f"{where}: {key} shows its corrected value unmarked"
        elif args[0] != "search":
            # Search ranks everything it knows: a corrected word anywhere can move a result
            # in or out of the list without showing the fact; what it shows is checked above.
            assert mentioned, f"{where}: {key} changed the output but is not marked"


def _shows(output: str, value: str) -> bool:
    """The corrected value (or each item of a corrected list) in the output, white space folded."""
    flat = " ".join(output.split())
    return all(" ".join(v.split()) in flat for v in value.split(", ") if v)
