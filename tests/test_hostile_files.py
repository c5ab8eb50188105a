"""Hostile user files: two commands at once, a broken or planted overrides file, a FIFO,
a link to /dev/zero, a file others can write. Nothing is lost, nothing is changed
unseen, and the 999 route is always shown."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from setguide.base import userfiles
from setguide.model import corrections as local
from setguide.model import data as data_module

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
SOURCE = 'source = "an email"\nset_on = 2026-11-01\n'


def cli(env: dict, *args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    """The real command, in its own process, with the test's config and cache folders."""
    return subprocess.run(
        [sys.executable, "-m", "setguide", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parent.parent,
    )


@pytest.fixture
def env(tmp_path):
    return {"SETGUIDE_CONFIG_DIR": str(tmp_path / "config"), "SETGUIDE_CACHE_DIR": str(tmp_path / "cache")}


# --- 1. concurrent writers -------------------------------------------------------------


def test_thirty_two_parallel_writers_lose_nothing(env, tmp_path, data):
    forums = sorted(data.forums)[:16]
    free_text = ("role", "organisation", "chair", "attendees", "cadence_text", "long_name")
    keys = [k for k, v in local.keys(data_module.read_raw()) if isinstance(v, str) and k.endswith(free_text)][:16]
    assert len(forums) == 16 and len(keys) == 16
    jobs = [("forums", "add-date", f, "2026-12-01") for f in forums]
    jobs += [("data", "set", k, "Corrected by a test", "--source", "x") for k in keys]
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(lambda a: cli(env, *a, timeout=60), jobs))
    assert [r.returncode for r in results] == [0] * 32, [r.stderr for r in results if r.returncode]
    config = Path(env["SETGUIDE_CONFIG_DIR"])
    meetings = tomllib.loads((config / "meetings.toml").read_text())["meeting"]
    overrides = tomllib.loads((config / "overrides.toml").read_text())["override"]
    assert sorted(meetings) == forums
    assert sorted(overrides) == sorted(keys)


def test_a_lock_held_too_long_is_a_clear_message(config_dir, monkeypatch, run):
    from filelock import FileLock

    config_dir.mkdir(parents=True)
    monkeypatch.setattr(userfiles, "LOCK_TIMEOUT", 0.2)
    other = FileLock(str(config_dir / ".overrides.toml.lock"), thread_local=False)
    with other:
        import threading

        result: list = []
        t = threading.Thread(target=lambda: result.append(run("data", "reset", "--all")))
        t.start()
        t.join(10)
    assert result and result[0].code == 1
    assert "being changed by another setguide command" in result[0].err


# --- 3. the 999 route under every broken overrides file ---------------------------------


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def text(content: str):
    return lambda path: path.write_text(content, encoding="utf-8")


def world_writable(path: Path) -> None:
    path.write_text('[override."contacts.thurrock.phone_text"]\nvalue = "01375 000000"\n' + SOURCE)
    path.chmod(0o666)


BROKEN = {
    "not TOML": text("[override\n"),
    "datetime set_on": text(
        '[override."contacts.thurrock.phone_text"]\nvalue = "01375 000000"\nsource = "x"\n'
        "set_on = 2026-01-01T10:00:00\n"
    ),
    "deeply nested arrays": text("x = " + "[" * 5000 + "]" * 5000 + "\n"),
    "a FIFO": fifo,
    "a link to /dev/zero": link_to_zero,
    "over 1 MiB": text("# " + "x" * (2 * 1024 * 1024) + "\n"),
    "a value of the wrong type": text('[override."contacts.thurrock.phone_text"]\nvalue = [1, {a = 2}]\n' + SOURCE),
    "a table where a correction belongs": text("override = [1, 2]\n"),
    "a days value that is not days": text('[override."facts.triage_line.days"]\nvalue = ["mon", "xyz"]\n' + SOURCE),
    "an empty extension list": text('[override."facts.triage_line.extensions"]\nvalue = []\n' + SOURCE),
    "a datetime where a date belongs": text(
        '[override."contacts.thurrock.verified"]\nvalue = 2026-01-01T10:00:00\n' + SOURCE
    ),
    "a folder": lambda path: path.mkdir(),
    "writable by others": world_writable,
    "invalid UTF-8": lambda path: path.write_bytes(b"\xff\xfe[override]\n"),
}


@pytest.mark.parametrize("make", list(BROKEN.values()), ids=list(BROKEN))
def test_every_broken_overrides_file_still_shows_999(env, make):
    config = Path(env["SETGUIDE_CONFIG_DIR"])
    config.mkdir(parents=True)
    make(config / "overrides.toml")
    result = cli(env, "triage", "--threat-to-life", timeout=10)
    assert result.returncode == 0, result.stderr
    assert "999" in result.stdout and "EMERGENCY" in result.stdout.upper()
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("make", list(BROKEN.values()), ids=list(BROKEN))
def test_load_for_triage_never_raises_for_the_users_file(config_dir, make):
    config_dir.mkdir(parents=True)
    make(config_dir / "overrides.toml")
    data, caution = data_module.load_for_triage()
    assert caution and "NOT applied" in caution
    assert data.facts["emergency"]["number"] == "999" and not data.corrections


@pytest.mark.parametrize("make", list(BROKEN.values()), ids=list(BROKEN))
def test_other_commands_name_the_broken_file_and_exit_1(env, make):
    config = Path(env["SETGUIDE_CONFIG_DIR"])
    config.mkdir(parents=True)
    make(config / "overrides.toml")
    result = cli(env, "contacts", "thurrock", timeout=10)
    assert result.returncode == 1 and "overrides.toml" in result.stderr
    assert "Traceback" not in result.stderr


# --- 4. corrections are validated by type and meaning ------------------------------------


@pytest.mark.parametrize(
    "key, value, source, phrase",
    [
        ("facts.triage_line.days", "Mon, xyz", "x", "not days of the week"),
        ("contacts.thurrock.phone_text", "01375 652973", "x", "the protocol's own value"),
        ("contacts.thurrock.phone_text", "01375 000000", "an email\nPhone: 0800 000000", "line break"),
        ("contacts.thurrock.phone_text", "01375 000000", "an\temail", "line break or a tab"),
        ("facts.triage_line.extensions", "١٨٠٠٢٢", "x", "digit that is not 0-9"),
        ("facts.triage_line.number", "１０１", "x", "digit that is not 0-9"),
        ("contacts.thurrock.phone_text", "01375 \u202e000000", "x", "invisible character"),
        ("contacts.thurrock.phone_text", "01375\u200b000000", "x", "invisible character"),
    ],
)
def test_a_correction_that_would_mislead_is_refused(run, config_dir, key, value, source, phrase):
    result = run("data", "set", key, value, "--source", source)
    assert result.code == 2 and phrase in result.err, result.err
    assert not (config_dir / "overrides.toml").exists()


def test_a_bom_in_the_overrides_file_is_accepted(run, config_dir):
    config_dir.mkdir(parents=True)
    body = '[override."contacts.thurrock.phone_text"]\nvalue = "01375 000000"\n' + SOURCE
    (config_dir / "overrides.toml").write_bytes(b"\xef\xbb\xbf" + body.encode())
    (config_dir / "overrides.toml").chmod(0o600)
    data_module.get.cache_clear()
    result = run("contacts", "thurrock")
    data_module.get.cache_clear()
    assert result.code == 0 and "01375 000000" in result.out


# --- 9. the files themselves ---------------------------------------------------------------


def test_new_user_files_are_private(run, config_dir):
    assert run("forums", "add-date", "censor", "2026-12-01").code == 0
    assert run("data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "x").code == 0
    for name in ("meetings.toml", "overrides.toml"):
        assert (config_dir / name).stat().st_mode & 0o777 == 0o600


def test_a_symlinked_config_file_is_written_through_to_its_target(run, config_dir, tmp_path):
    config_dir.mkdir(parents=True)
    real = tmp_path / "dotfiles" / "meetings.toml"
    real.parent.mkdir()
    real.write_text("")
    (config_dir / "meetings.toml").symlink_to(real)
    assert run("forums", "add-date", "censor", "2026-12-01").code == 0
    assert (config_dir / "meetings.toml").is_symlink()
    assert "southend-censor" in tomllib.loads(real.read_text())["meeting"]


def test_stale_temporary_files_are_cleaned_up_on_the_next_write(run, config_dir):
    config_dir.mkdir(parents=True)
    stale = config_dir / ".meetings.toml.abc123.tmp"
    stale.write_text("half a file")
    assert run("forums", "add-date", "censor", "2026-12-01").code == 0
    assert not stale.exists()


@pytest.mark.skipif(not ROOT_USER, reason="only root can give a file to another user")
def test_an_overrides_file_owned_by_someone_else_is_refused(run, config_dir):
    config_dir.mkdir(parents=True)
    path = config_dir / "overrides.toml"
    path.write_text('[override."contacts.thurrock.phone_text"]\nvalue = "01375 000000"\n' + SOURCE)
    os.chown(path, 65534, 65534)
    data_module.get.cache_clear()
    result = run("data", "verify")
    data_module.get.cache_clear()
    assert result.code == 1 and "belongs to another user" in result.err


def test_an_overrides_file_others_can_write_is_refused_by_verify(run, config_dir):
    config_dir.mkdir(parents=True)
    world_writable(config_dir / "overrides.toml")
    data_module.get.cache_clear()
    result = run("data", "verify")
    data_module.get.cache_clear()
    assert result.code == 1 and "any user can change it" in result.err and "chmod 600" in result.err


# --- 2. forums --ics never destroys a file -------------------------------------------------


@pytest.fixture
def a_date(run):
    assert run("forums", "add-date", "censor", "2026-12-01").code == 0


def test_ics_refuses_an_existing_file_unless_forced(run, tmp_path, a_date):
    target = tmp_path / "mine.ics"
    target.write_text("my own calendar")
    result = run("forums", "--ics", str(target))
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert target.read_text() == "my own calendar"
    assert run("forums", "--ics", str(target), "--force").code == 0
    assert target.read_text().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_ics_never_replaces_a_link_a_fifo_or_a_device(run, tmp_path, a_date, kind):
    target = tmp_path / "out.ics"
    if kind == "symlink":
        (tmp_path / "elsewhere").write_text("kept")
        target.symlink_to(tmp_path / "elsewhere")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    before = os.lstat(target)
    result = run("forums", "--ics", str(target), "--force")
    assert result.code == 1 and "never replaces" in result.err
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_ics_dash_is_standard_output(run, a_date):
    result = run("forums", "--ics", "-")
    assert result.code == 0 and result.out.startswith("BEGIN:VCALENDAR")


def test_two_data_sets_each_valid_never_leave_invalid_data_together(env):
    """Moving Colchester, then Tendring, out of the North quadrant is each valid alone;
    both together would leave North with no district. Run at the same moment, one of
    them is refused, whichever comes second, because the merged file is checked under the lock."""
    for _ in range(3):
        with ThreadPoolExecutor(2) as pool:
            runs = [
                pool.submit(cli, env, "data", "set", f"districts.{d}.quadrant", "mid", "--source", "a test")
                for d in ("colchester", "tendring")
            ]
            codes = sorted(r.result().returncode for r in runs)
        assert codes == [0, 2], [r.result().stderr for r in runs]
        verify = cli(env, "data", "verify")
        assert verify.returncode == 0, verify.stderr
        assert cli(env, "data", "reset", "--all").returncode == 0


FORGED = "invite\nPhone: 0800 000 0000\u202e\u200b.ics"


def test_an_invite_named_to_forge_a_line_is_echoed_and_stored_as_one_line(tmp_path, run):
    invite = tmp_path / FORGED
    invite.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20261101T090000Z\r\n"
        "DTSTART;TZID=Europe/London:20261202T100000\r\nSUMMARY:Thurrock MACE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = run("forums", "import", str(invite), "--plain")
    assert result.code == 0, result.err
    assert not any(line.startswith("Phone: 0800") for line in result.out.splitlines())
    assert "\u202e" not in result.out and "\u200b" not in result.out
    later = run("forums", "--authority", "thurrock", "--plain")
    assert later.code == 0, later.err
    assert not any(line.startswith("Phone: 0800") for line in later.out.splitlines())
    stored = tomllib.loads((Path(os.environ["SETGUIDE_CONFIG_DIR"]) / "meetings.toml").read_text())
    source = stored["meeting"]["thurrock-mace"]["source"]
    assert (
        "\n" not in source and "\u202e" not in source and "invite⏎Phone: 0800" in source
    )  # the break shown, as echoed


def test_a_planted_meeting_source_is_refused_and_names_remove_date(run):
    config = Path(os.environ["SETGUIDE_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "meetings.toml").write_text(
        '[meeting.thurrock-mace]\ndate = 2026-11-03\nsource = "x\\nPhone: 0800 000 0000"\n'
    )
    os.chmod(config / "meetings.toml", 0o600)
    listed = run("forums", "--plain")
    assert listed.code == 0 and "Caution" in listed.out and "forums remove-date thurrock-mace" in listed.out
    assert "Phone: 0800" not in listed.out
    dates = run("forums", "--next", "--plain")
    assert dates.code == 1 and "forums remove-date thurrock-mace" in dates.err
    potential = ("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Grays")
    plan = run(*potential, "--theme", "not-sure", "--plain")
    assert plan.code == 0 and "Thurrock MACE" in plan.out and "Phone: 0800" not in plan.out
    assert "forums remove-date thurrock-mace" in plan.out


NEVER = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"  # the 30th of February


def test_an_invite_whose_days_never_come_is_refused_at_import(tmp_path, run):
    invite = tmp_path / "invite.ics"
    invite.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20261101T090000Z\r\n"
        f"DTSTART;TZID=Europe/London:20261202T100000\r\nSUMMARY:Thurrock MACE\r\nRRULE:{NEVER}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = run("forums", "import", str(invite), "--plain")
    assert result.code == 1 and "never come" in result.out
    assert not (Path(os.environ["SETGUIDE_CONFIG_DIR"]) / "meetings.toml").exists()


def test_a_stored_rule_that_cannot_be_projected_is_a_caution_beside_the_plan(run):
    config = Path(os.environ["SETGUIDE_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "meetings.toml").write_text(f'[meeting.thurrock-mace]\ndate = 2026-12-02\nrrule = "{NEVER}"\n')
    os.chmod(config / "meetings.toml", 0o600)
    potential = ("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Grays")
    plan = run(*potential, "--theme", "not-sure", "--plain")
    assert plan.code == 0 and "Thurrock MACE" in plan.out
    assert "Caution" in plan.out and "forums remove-date thurrock-mace" in plan.out
    listed = run("forums", "--authority", "thurrock", "--plain")
    assert listed.code == 0 and "Thurrock MACE" in listed.out and "forums remove-date thurrock-mace" in listed.out
    removed = run("forums", "remove-date", "thurrock-mace", "--plain")
    assert removed.code == 0, removed.err
    assert run("forums", "--next", "--plain").code == 0


def test_the_card_keeps_its_plans_beside_a_rule_that_cannot_be_projected(run, tmp_path):
    config = Path(os.environ["SETGUIDE_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "meetings.toml").write_text(f'[meeting.thurrock-mace]\ndate = 2026-12-02\nrrule = "{NEVER}"\n')
    os.chmod(config / "meetings.toml", 0o600)
    result = run("card", "--html", str(tmp_path / "card.html"))
    assert result.code == 0, result.err
    page = re.sub(r"<[^>]+>", "", (tmp_path / "card.html").read_text())  # the text a reader sees
    assert "forums remove-date thurrock-mace" in page and "Call 999" in page
