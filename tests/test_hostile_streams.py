"""Hostile terminals, streams and input: closed streams, an ASCII-only terminal, bytes
that are not UTF-8, escape codes in what is echoed, invites that would never end, a
full disk and a pasted page. No traceback, no escape code, no hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from setguide.forums import schedule as sched

REPO = Path(__file__).resolve().parent.parent


def cli(tmp_path, *args: str, extra_env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SETGUIDE_CONFIG_DIR": str(tmp_path / "config"),
        "SETGUIDE_CACHE_DIR": str(tmp_path / "cache"),
        **(extra_env or {}),
    }
    return subprocess.run([sys.executable, "-m", "setguide", *args], env=env, cwd=REPO, timeout=20, **kwargs)


# --- 8. any terminal, any stream -----------------------------------------------------------


def test_closed_stdout_is_a_message_not_a_traceback(tmp_path):
    r = cli(
        tmp_path,
        "contacts",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        close_fds=True,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
    )
    assert "Traceback" not in r.stderr
    assert r.returncode == 1 and "standard output is closed" in r.stderr


@pytest.mark.parametrize(
    "args",
    [["forums", "--ics", "-"], ["triage", "--threat-to-life", "--at", "2026-12-08 10:00"], ["tree"], ["--version"]],
)
def test_every_stdout_writer_says_a_closed_stdout_with_the_999_line(tmp_path, args):
    """One writer for standard output: an export (`--ics -`) as much as a plan."""
    assert cli(tmp_path, "forums", "add-date", "thurrock-mace", "2026-12-17", capture_output=True).returncode == 0
    r = cli(tmp_path, *args, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1))
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert r.returncode == 1 and "standard output is closed" in r.stderr
    assert "999" in r.stderr


# A pipe whose reader went away, as Windows reports it: every write raises EINVAL (not
# EPIPE) until standard output is sent to the null device.
EINVAL_STDOUT = """
import errno, io, os, sys

class Gone(io.RawIOBase):
    def writable(self):
        return True

    def fileno(self):
        return 1

    def write(self, data):
        if os.path.samestat(os.fstat(1), os.stat(os.devnull)):
            return len(data)
        raise OSError(errno.EINVAL, "Invalid argument")

sys.stdout = io.TextIOWrapper(io.BufferedWriter(Gone()), encoding="cp1252")
from setguide.cli import main
sys.argv = ["setguide", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("args", [["forums"], ["contacts"], ["triage", "--threat-to-life", "--at", "2026-12-08 10:00"]])
def test_a_pipe_closed_the_windows_way_is_a_quiet_exit(tmp_path, args):
    env = {**os.environ, "SETGUIDE_CONFIG_DIR": str(tmp_path / "config"), "SETGUIDE_CACHE_DIR": str(tmp_path / "c")}
    r = subprocess.run(
        [sys.executable, "-c", EINVAL_STDOUT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=30
    )
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_closed_stderr_keeps_the_usage_exit_code(tmp_path):
    r = cli(
        tmp_path, "contacts", "narnia", capture_output=False, stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2)
    )
    assert r.returncode == 2


@pytest.mark.parametrize(
    "args",
    [
        ["triage", "--threat-to-life"],
        ["contacts"],
        ["protocol", "1"],
        ["forums"],
        ["search", "county lines"],
        ["quadrant", "Harlow"],
        ["contacts", "narnia"],
    ],
)
def test_an_ascii_only_terminal_gets_ascii_fallbacks(tmp_path, args):
    r = cli(tmp_path, *args, extra_env={"PYTHONIOENCODING": "ascii"}, capture_output=True)
    assert b"Traceback" not in r.stderr and r.returncode in (0, 2), r.stderr
    (r.stdout + r.stderr).decode("ascii")  # every byte is ASCII
    if args[0] == "triage":
        assert b"999" in r.stdout


def test_invalid_utf8_in_an_argument_is_a_usage_error(tmp_path):
    key = os.fsencode("contacts.thurrock.phone_text")
    r = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"setguide", b"data", b"set", key, b"01375 \xff000", b"--source", b"x"],
        env={**os.environ, "SETGUIDE_CONFIG_DIR": str(tmp_path / "c"), "SETGUIDE_CACHE_DIR": str(tmp_path / "k")},
        cwd=REPO,
        capture_output=True,
        timeout=20,
    )
    assert r.returncode == 2 and b"not valid text" in r.stderr and b"Traceback" not in r.stderr


# --- 7. no escape code on any stream; echoes cut to 80 characters ---------------------------


def test_escape_codes_in_a_message_do_not_reach_stderr(run):
    r = run("contacts", "\x1b[2J\x1b[8mnarnia")
    assert r.code == 2 and "\x1b" not in r.err


def test_an_invite_line_cannot_hide_the_next_line(run, tmp_path):
    invite = tmp_path / "evil.ics"
    invite.write_bytes(
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:\x1b[8m\x1b[2J\r\nDTSTART:2026X\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    r = run("forums", "import", str(invite))
    assert "\x1b" not in r.out + r.err and "Traceback" not in r.err


def test_echoed_input_is_cut_to_80_characters(run):
    huge = "x" * 130_000
    for args in (("contacts", huge), ("data", "set", huge, "1", "--source", "x"), ("contacts", "--" + huge)):
        r = run(*args)
        assert r.code == 2 and len(r.err) < 2000, (args[0], len(r.err))
        assert "x" * 81 not in r.err


# --- 5. invites cannot hang or exhaust setguide ---------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=MONTHLY;INTERVAL=0",
        "FREQ=YEARLY;INTERVAL=-1",
        "FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))),
        "FREQ=DAILY;BYMINUTE=0,30",
        "FREQ=DAILY;BYSECOND=1",
        "FREQ=WEEKLY;DTSTART=20200101T000000",
        "FREQ=HOURLY",
        "FREQ=WEEKLY\nRRULE:FREQ=DAILY",
    ],
)
def test_a_rule_that_could_hang_is_refused(rule):
    from datetime import datetime

    with pytest.raises(sched.RuleError):
        sched.build_rule(rule, datetime(2026, 3, 3, 10))


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # never happens: dateutil would search to year 9999
        "FREQ=DAILY;COUNT=100000",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
    ],
)
def test_next_over_any_stored_rule_is_bounded(rule):
    from datetime import date

    s = sched.Schedule("x", date(2000, 1, 3), None, rule)
    started = time.perf_counter()
    for first, last in ((date(2099, 1, 1), date(2099, 12, 31)), (date(2026, 1, 1), date(2036, 1, 1))):
        try:
            sched.occurrences(s, first, last)
        except sched.RuleError as exc:  # reported, with the rule, rather than waited for
            assert rule in exc.message
    assert time.perf_counter() - started < 2 * sched.PROJECT_SECONDS + 1


def test_an_unknown_time_zone_is_reported(run, tmp_path):
    invite = tmp_path / "tz.ics"
    invite.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Thurrock MACE\r\n"
        b"DTSTART;TZID=Mars/Olympus:20260303T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    r = run("forums", "import", str(invite))
    assert "Mars/Olympus" in r.out + r.err and "is not known" in r.out + r.err
    assert not (Path(os.environ["SETGUIDE_CONFIG_DIR"]) / "meetings.toml").exists()


# --- 10. records ----------------------------------------------------------------------------


def test_a_record_that_fails_part_way_leaves_no_file(run, tmp_path, monkeypatch):
    from setguide.triage import record

    def disk_full(fd, data):
        raise OSError(28, "No space left on device")

    target = tmp_path / "r.md"
    monkeypatch.setattr(record.os, "write", disk_full)
    r = run("triage", "--threat-to-life", "--record", str(target))
    assert r.code == 1 and "No space left on device" in r.err and "999" in r.out
    assert not target.exists()
    monkeypatch.undo()
    assert run("triage", "--threat-to-life", "--record", str(target)).code == 0  # the retry is not blocked


def test_two_records_in_one_folder_at_the_same_moment_never_collide(run, tmp_path):
    args = ("triage", "--threat-to-life", "--at", "2026-12-01T10:00", "--record", str(tmp_path))
    assert run(*args).code == 0 and run(*args).code == 0
    assert len(list(tmp_path.glob("setguide-triage-*.md"))) == 2


# --- 11. huge input is bounded --------------------------------------------------------------


def test_a_pasted_page_is_searched_about_as_fast_as_a_short_query(data):
    from setguide.find.search import search

    search(data, "county lines")  # the index is built once, not timed
    started = time.perf_counter()
    search(data, "county lines")
    normal = time.perf_counter() - started
    huge = " ".join(["county", "lines", "missing", "thurrock"] * 6500)  # about 130 KB
    started = time.perf_counter()
    answer = search(data, huge)
    assert time.perf_counter() - started < normal + 1
    assert answer.cut and answer.results
