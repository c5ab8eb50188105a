"""The parse cache never serves stale or broken data: it is keyed by the files'
bytes, and anything it cannot read is parsed afresh."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from setguide.base.errors import DataError
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
    assert len(list(cache.glob("*.json"))) == len(data_module.FILES)
    second = data_module.read_raw(copy)
    assert first == second == parsed(copy)
    assert second["contacts"]["contact"][0]["checked"].isoformat() == "2026-11-28"


def test_an_edited_file_is_parsed_again(copy, monkeypatch, tmp_path):
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    data_module.read_raw(copy)
    path = copy / "contacts.toml"
    path.write_text(path.read_text().replace("01375 652973", "01375 111111"))
    assert data_module.load(copy).contacts["thurrock"].phone_text == "01375 111111"
    assert len(list((tmp_path / "cache").glob("contacts-*.json"))) == 1  # the old entry is gone


@pytest.mark.parametrize("junk", [b"", b"\x00garbage", b"\xe9\x03\x00\x00", b"[[[[" * 100_000, b"[1, 2]"])
def test_a_corrupt_cache_entry_is_ignored(copy, monkeypatch, tmp_path, junk):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(cache))
    data_module.read_raw(copy)
    for entry in cache.glob("*.json"):
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
    with pytest.raises(DataError, match="facts.toml"):
        data_module.read_raw(copy)


def _plant(cache, stem="contacts"):
    """Rewrite the cached entry of `stem` with a false Thurrock number, as someone able to write the folder could."""
    (entry,) = cache.glob(f"{stem}-*.json")
    entry.write_text(entry.read_text().replace("01375 652973", "01375 999999"))
    return entry


def test_a_cache_folder_others_can_write_is_not_trusted(copy, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(cache))
    data_module.read_raw(copy)
    _plant(cache)
    cache.chmod(0o777)
    assert data_module.load(copy).contacts["thurrock"].phone_text == "01375 652973"
    cache.chmod(0o700)
    assert data_module.load(copy).contacts["thurrock"].phone_text == "01375 999999"  # the guard is what stopped it


def test_a_cache_entry_others_can_write_or_a_link_is_not_trusted(copy, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(cache))
    data_module.read_raw(copy)
    entry = _plant(cache)
    entry.chmod(0o666)
    assert data_module.load(copy).contacts["thurrock"].phone_text == "01375 652973"
    data_module.read_raw(copy)  # parsed afresh and written again, privately
    entry = _plant(cache)
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert data_module.load(copy).contacts["thurrock"].phone_text == "01375 652973"


def test_data_verify_parses_the_packaged_files_without_the_cache(monkeypatch, tmp_path, run):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(cache))
    data_module.read_raw()
    (entry,) = cache.glob("contacts-*.json")
    entry.write_text(entry.read_text().replace('"01375 652973"', '"01375 65297x"'))
    with pytest.raises(DataError):  # what the cache now holds would not validate
        data_module.load()
    result = run("data", "verify")
    assert result.code == 0, result.err
    assert "Packaged data: valid" in result.out


def test_data_verify_finds_and_removes_a_tampered_cache_entry(run, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(cache))
    data_module.get.cache_clear()
    assert run("contacts", "thurrock").code == 0
    (entry,) = cache.glob("contacts-*.json")
    entry.write_text(entry.read_text().replace("01375 652973", "01375 999999"))
    result = run("data", "verify")
    assert result.code == 0 and "did not match the data files, now removed" in result.out
    assert not entry.exists()
    data_module.get.cache_clear()
    assert "01375 652973" in run("contacts", "thurrock").out


@pytest.mark.parametrize("name", ["tree", "search", "notes", "paraphrases", "contacts"])
def test_data_verify_checks_every_data_file(name, copy, run, monkeypatch):
    monkeypatch.setenv("SETGUIDE_DATA_DIR", str(copy))
    path = copy / f"{name}.toml"
    path.write_text(path.read_text() + "\n[broken\n")
    result = run("data", "verify")
    assert result.code == 1 and f"{name}.toml" in result.err


def test_data_verify_knows_every_file_in_the_data_folder(copy, run, monkeypatch):
    monkeypatch.setenv("SETGUIDE_DATA_DIR", str(copy))
    assert run("data", "verify").code == 0
    (copy / "extra.toml").write_text("x = 1\n")
    result = run("data", "verify")
    assert result.code == 1 and "extra.toml" in result.err
