"""A broken data file is refused at load with one line naming the file and the
field, and the CLI exits 1 without a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from setguide.base.errors import DataError
from setguide.model import data as data_module
from tests.conftest import ROOT


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A copy of the packaged data to break; the CLI is pointed at it."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("SETGUIDE_DATA_DIR", str(target))
    data_module.get.cache_clear()
    yield target
    data_module.get.cache_clear()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = [
    # (file, text to replace, replacement, what the message must name)
    ("contacts.toml", 'email = "SMoules@thurrock.gov.uk"\n', "", ("contacts.toml", "contact[2].email", "missing")),
    ("contacts.toml", 'phone_text = "01375 652973"', "phone_text = 1375652973", ("contact[2].phone_text", "a string")),
    ("contacts.toml", 'email = "SMoules@thurrock.gov.uk"', 'email = "SMoules"', ("contact[2].email", "not an email")),
    ("contacts.toml", 'id = "thurrock"', 'id = "essex"', ("contact[2].id", "duplicate")),
    ("contacts.toml", "checked = 2026-11-28", 'checked = "recently"', ("contact[0].checked", "date")),
    ("contacts.toml", '[[contact]]\nid = "essex"', '[[contact]\nid = "essex"', ("contacts.toml", "syntax")),
    ("facts.toml", 'extensions = ["180022", "180043"]', 'extensions = ["180022", 180043]', ("extensions[1]",)),
    ("facts.toml", 'opens = "08:00"', 'opens = "8am"', ("triage_line.opens", "HH:MM")),
    ("facts.toml", '[emergency]\nsection = "1"', '[emergency]\nsection = "9.9"', ("emergency.section", "9.9")),
    ("facts.toml", "[weisf]", "[weisf_typo]", ("facts.toml", "weisf")),
    (
        "places.toml",
        'quadrant = "west"\nsection = "2.1"\n\n[[district]]\nid = "harlow"',
        'quadrant = "east"\nsection = "2.1"\n\n[[district]]\nid = "harlow"',
        ("district[6].quadrant", "east"),
    ),
    ("places.toml", 'contact = "thurrock"', 'contact = "thurock"', ("authority[2].contact", "thurock")),
    ("forums.toml", 'themes = ["missing", "sexual-exploitation"]', 'themes = ["missing", "cse"]', ("themes[1]", "cse")),
    ("forums.toml", 'cadence = "fortnightly"', 'cadence = "every other week"', ("cadence", "every other week")),
    (
        "forums.toml",
        'authority = "southend"\ncadence = "six-weekly"',
        'authority = "basildon"\ncadence = "six-weekly"',
        ("authority", "basildon"),
    ),
    ("gazetteer.toml", 'district = "basildon"', 'district = "basingstoke"', ("gazetteer.toml", "place[0].district")),
    ("protocol.toml", 'id = "2.3"', 'id = "2.4"', ("places.toml", "section", "2.3")),
]


@pytest.mark.parametrize(("file", "old", "new", "named"), CASES, ids=[f"{c[0]}:{c[3][-1]}" for c in CASES])
def test_each_fault_names_file_and_field(broken, run, file, old, new, named):
    edit(broken / file, old, new)
    with pytest.raises(DataError) as caught:
        data_module.load(broken)
    message = str(caught.value)
    for part in named:
        assert part in message, message
    result = run("contacts")
    assert result.code == 1
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.err
    # The file's path may be cut in the middle (a long path is echoed as its start and
    # end); what is wrong, and where in the file, is said whole.
    assert lines[0].startswith("setguide: error: ") and message.split("/")[-1] in lines[0]
    assert lines[1].strip() == "If a child is in immediate danger, call 999."


def test_a_missing_file_is_named(broken, run):
    (broken / "forums.toml").unlink()
    result = run("quadrant", "Harlow")
    assert result.code == 1
    assert "forums.toml" in result.err and "not found" in result.err


def test_an_unreadable_file_is_named(broken, run):
    (broken / "places.toml").write_bytes(b"\xff\xfe not toml")
    result = run("contacts")
    assert result.code == 1
    assert "places.toml" in result.err


def test_the_packaged_data_is_valid():
    loaded = data_module.load()
    assert loaded.contacts and loaded.forums and loaded.places
