"""The parse cache never serves stale or broken data: it is keyed by the files'
bytes, and anything it cannot read is parsed afresh."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from setguide.model import data as data_module
from tests.conftest import ROOT


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def parsed(directory):
    return {name: tomllib.loads((directory / f"{name}.toml").read_text()) for name in data_module.FILES}


def test_a_cached_read_equals_a_fresh_parse(copy, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(cache))
    first = data_module.read_raw(copy)
    assert len(list(cache.glob("*.marshal"))) == len(data_module.FILES)
    second = data_module.read_raw(copy)
    assert first == second == parsed(copy)
    assert second["contacts"]["contact"][0]["verified"].isoformat() == "2026-11-28"


def test_an_edited_file_is_parsed_again(copy, monkeypatch, tmp_path):
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    data_module.read_raw(copy)
    path = copy / "contacts.toml"
    path.write_text(path.read_text().replace("01375 652973", "01375 111111"))
    assert data_module.load(copy).contacts["thurrock"].phone_text == "01375 111111"
    assert len(list((tmp_path / "cache").glob("contacts-*.marshal"))) == 1  # the old entry is gone


@pytest.mark.parametrize("junk", [b"", b"\x00garbage", b"\xe9\x03\x00\x00"])
def test_a_corrupt_cache_entry_is_ignored(copy, monkeypatch, tmp_path, junk):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(cache))
    data_module.read_raw(copy)
    for entry in cache.glob("*.marshal"):
        entry.write_bytes(junk)
    assert data_module.read_raw(copy) == parsed(copy)


def test_an_unwritable_cache_only_costs_time(copy, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(blocker / "cache"))
    assert data_module.read_raw(copy) == parsed(copy)


def test_a_broken_file_is_reported_even_when_an_old_version_was_cached(copy, monkeypatch, tmp_path):
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    data_module.read_raw(copy)
    (copy / "facts.toml").write_text("[emergency\n")
    with pytest.raises(data_module.DataError, match="facts.toml"):
        data_module.read_raw(copy)
