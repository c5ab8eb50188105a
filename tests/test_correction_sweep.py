"""Generated: for every correctable key, the nastiest value its type allows and an
adjacent valid one. A value is refused with a reason (exit 2) or saved; once saved,
every command runs without an internal error, and the urgent plans show 999 first.

Slow (about two hundred keys, each with a dozen runs, in-process): marked so."""

from __future__ import annotations

from datetime import date

import pytest

from setguide.model import corrections as local
from setguide.model import data as data_module
from setguide.model import validate

pytestmark = pytest.mark.slow

AT = "2026-12-07T10:00"  # a Monday, in the line's hours
# The worst a one-line value may hold: Markdown and code fences, HTML that runs, quotes,
# a format string, a shell line, right-to-left text, and as long as setguide keeps.
HOSTILE = "```` <img src=x onerror=alert(1)> **999** [x](javascript:1) {0} %s $(rm) \\ 'q' \"q\" עברית "
NASTIEST_TEXT = (HOSTILE * 40)[: local.MAX_VALUE_CHARS].strip()
COMMANDS = (
    ("triage", "--threat-to-life", "--at", AT, "--plain"),
    ("triage", "--no-threat-to-life", "--offence", "--urgent", "--area", "Grays", "--at", AT, "--plain"),
    ("triage", "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "Southend", "--at", AT),
    ("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Harlow", "--at", AT),
    ("contacts", "--plain"),
    ("quadrant", "Debden", "--plain"),
    ("forums", "--next", "--at", AT, "--plain"),
    ("search", "101", "--plain"),
)
# What each urgent plan must show, whatever was corrected: 999 first, and the police line.
SHOWN = {0: "999", 1: "101"}


# Fields whose value is one of a few ids.
CHOICES = {
    "cadence": validate.CADENCES,
    "other_cadence": validate.CADENCES,
    "bank_holidays": validate.BANK_HOLIDAYS,
    "quadrant": ("north", "mid", "south", "west"),
}


def _nasty(value):
    if isinstance(value, list):
        return [NASTIEST_TEXT[: local.MAX_VALUE_CHARS // local.MAX_ITEMS - 2]] * local.MAX_ITEMS
    if isinstance(value, date):
        return date(1, 1, 1)
    return NASTIEST_TEXT


def _adjacent(key: str, value):
    """Values next to the packaged one, most likely valid first."""
    special = {
        "facts.triage_line.opens": ["07:59"],
        "facts.triage_line.closes": ["18:01"],
        "facts.triage_line.days": [["mon", "tue", "wed", "thu", "fri", "sat"]],
        "frontdoors.essex.disputed_hours": [["mon tue wed thu 08:30-09:00"]],
    }.get(key, [])
    if isinstance(value, list):
        return [*special, [*value, value[-1] + "0"], [*value[:-1], value[-1] + "0"], value[:-1] or value]
    if isinstance(value, date):
        return [date(2026, 1, 1)]
    field = key.rsplit(".", 1)[-1]
    if field in CHOICES:  # a field that is one of a few ids: the next one
        special = [c for c in CHOICES[field] if c != value][:1]
    return [*special, value + "0", value + " <b>x</b>", "x" + value, value[:-1] + "9"]


def _show(value) -> str:
    return local.show_value(value) if not isinstance(value, date) else value.isoformat()


def _keys():
    return [k for k, _ in local.keys(data_module.read_raw())]


@pytest.fixture
def run_fresh(run):
    def _run(*args):
        data_module.get.cache_clear()
        return run(*args)

    yield _run
    data_module.get.cache_clear()


def _every_command_runs(run, key: str) -> None:
    """Each command on the data as corrected (loaded once, as one process would)."""
    data_module.get.cache_clear()
    for i, args in enumerate(COMMANDS):
        result = run(*args)
        assert "internal error" not in result.err and "Traceback" not in result.err, (key, args, result.err)
        assert result.code in (0, 1, 2), (key, args, result.code)
        if i in SHOWN:
            assert result.code == 0, (key, args, result.err)
            assert "999" in result.out.splitlines()[0] if i == 0 else SHOWN[i] in result.out, (key, args)


@pytest.mark.parametrize("key", _keys())
def test_every_key_with_its_nastiest_and_an_adjacent_value(run, run_fresh, key):
    raw = data_module.read_raw()
    target, name = local.locate(raw, key)
    value = target[name]
    nasty = run_fresh("data", "set", key, _show(_nasty(value)), "--source", HOSTILE.strip())
    assert nasty.code in (0, 2), (key, nasty.err)
    assert "internal error" not in nasty.err and "Traceback" not in nasty.err
    if nasty.code == 0:
        _every_command_runs(run, key)
        assert run_fresh("data", "reset", key).code == 0
    for candidate in _adjacent(key, value):
        saved = run_fresh("data", "set", key, _show(candidate), "--source", "adjacent")
        assert saved.code in (0, 2) and "internal error" not in saved.err, (key, saved.err)
        if saved.code == 0:
            _every_command_runs(run, key)
            return
    pytest.fail(f"{key}: no adjacent value was accepted")
