"""The user's files: where they live, that a write is all-or-nothing, and that a
corrupt or unwritable file is reported, never silently replaced."""

from __future__ import annotations

import os
import tomllib
from datetime import date

import pytest

from setguide.base import userfiles
from setguide.base.errors import DataError, SetguideError


def files(folder):
    """The folder's files, but for the lock file beside each (kept: removing it could let two writers in)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_the_folder_is_the_environment_override(config_dir):
    assert userfiles.config_dir() == config_dir
    assert userfiles.user_path("x.toml") == config_dir / "x.toml"


def test_without_the_override_it_is_the_platform_user_config_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv("SETGUIDE_CONFIG_DIR")
    assert str(userfiles.config_dir()) == platformdirs.user_config_dir("setguide")


def test_a_missing_file_reads_as_empty(config_dir):
    assert userfiles.read_user_toml("nothing.toml") == {}
    assert not config_dir.exists()  # reading creates nothing


def test_write_then_read_round_trips_with_a_header(config_dir):
    doc = {"meeting": {"thurrock-mace": {"date": date(2026, 3, 3), "time": "10:00"}}}
    path = userfiles.write_user_toml("x.toml", doc, "Written by setguide.\nSecond line.")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Written by setguide.\n# Second line.\n")
    assert tomllib.loads(text) == doc == userfiles.read_user_toml("x.toml")
    assert files(config_dir) == ["x.toml"]  # no temporary file left behind


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(config_dir, monkeypatch):
    userfiles.write_user_toml("x.toml", {"a": 1})
    before = (config_dir / "x.toml").read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SetguideError) as caught:
        userfiles.write_user_toml("x.toml", {"a": 2})
    assert caught.value.exit_code == 1 and "No space left on device" in caught.value.message
    assert (config_dir / "x.toml").read_bytes() == before
    assert files(config_dir) == ["x.toml"]


def test_a_write_keeps_the_old_file_permissions(config_dir):
    path = userfiles.write_user_toml("x.toml", {"a": 1})
    os.chmod(path, 0o640)
    userfiles.write_user_toml("x.toml", {"a": 2})
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_corrupt_file_is_named_and_not_overwritten(config_dir):
    config_dir.mkdir(parents=True)
    (config_dir / "x.toml").write_text("date = 2026-03-\n[[broken", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        userfiles.read_user_toml("x.toml")
    assert str(config_dir / "x.toml") in caught.value.message
    assert "will not overwrite" in caught.value.hint


def test_a_folder_that_is_a_file_is_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(blocker))
    with pytest.raises(SetguideError) as caught:
        userfiles.write_user_toml("x.toml", {"a": 1})
    assert caught.value.exit_code == 1 and str(blocker) in caught.value.message


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_folder_is_a_clear_error(config_dir):
    config_dir.mkdir(parents=True)
    config_dir.chmod(0o500)
    try:
        with pytest.raises(SetguideError) as caught:
            userfiles.write_user_toml("x.toml", {"a": 1})
        assert caught.value.exit_code == 1 and "Permission denied" in caught.value.message
    finally:
        config_dir.chmod(0o700)


# --- through the command line: the meetings file ---------------------------------------


def test_cli_refuses_to_touch_a_corrupt_meetings_file(run, config_dir):
    config_dir.mkdir(parents=True)
    corrupt = b'[meeting.thurrock-mace]\ndate = "2026-03-03\n'
    (config_dir / "meetings.toml").write_bytes(corrupt)
    for args in (
        ("forums", "add-date", "thurrock-mace", "2026-03-10"),
        ("forums", "remove-date", "thurrock-mace"),
        ("forums", "--next"),
    ):
        r = run(*args)
        assert r.code == 1, args
        assert "meetings.toml" in r.err and "Traceback" not in r.err
    assert (config_dir / "meetings.toml").read_bytes() == corrupt


def test_cli_names_the_field_of_a_wrong_value(run, config_dir):
    config_dir.mkdir(parents=True)
    (config_dir / "meetings.toml").write_text('[meeting.southend-mase]\ndate = "next tuesday"\n')
    r = run("forums", "--next")
    assert r.code == 1 and "meeting.southend-mase.date" in r.err
    (config_dir / "meetings.toml").write_text('[meeting.southend-mase]\ndate = 2026-01-01\nrrule = "FREQ=NEVER"\n')
    r = run("forums", "--next")  # a rule that cannot be used is a caution: the other forums are listed
    assert r.code == 0 and "repeats more often" in r.out and "forums remove-date southend-mase" in r.out


def test_cli_keeps_entries_for_forums_it_does_not_know(run, config_dir):
    config_dir.mkdir(parents=True)
    (config_dir / "meetings.toml").write_text('[meeting.retired-forum]\ndate = 2026-01-01\nsource = "typed"\n')
    assert run("forums", "add-date", "censor", "2026-01-08").code == 0
    doc = tomllib.loads((config_dir / "meetings.toml").read_text())
    assert doc["meeting"]["retired-forum"] == {"date": date(2026, 1, 1), "source": "typed"}
    r = run("forums", "--next")
    assert "'retired-forum' is not in this edition of the data; kept" in r.out


def test_cli_unwritable_config_folder_exits_1(run, tmp_path, monkeypatch):
    blocker = tmp_path / "blocked"
    blocker.write_text("x")
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(blocker))
    r = run("forums", "add-date", "censor", "2026-01-08")
    assert r.code == 1 and "cannot write" in r.err and "Traceback" not in r.err
