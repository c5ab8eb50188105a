"""Windows, as far as a Linux suite can reach it: the POSIX-only modules and names hidden,
the code pages Windows gives a file, a pipe or an old console (cp1252, cp850, cp437),
a pipe closed as Windows closes it (EINVAL), a file another program holds open, and
`os.name` "nt" for the commands setguide prints for copying. What only a real Windows
machine can confirm is named in the README's Windows section."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from setguide.base import userfiles
from setguide.base.errors import SetguideError
from setguide.base.text import shell_arg
from setguide.output import console
from tests.conftest import ROOT, frozen

AT = "2026-12-08 10:00"  # a Tuesday, in office hours: every test that reaches the clock names its moment
INVITE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//example//invite//EN
BEGIN:VEVENT
UID:windows-test@example.org
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/London:20261217T100000
SUMMARY:Thurrock MACE
END:VEVENT
END:VCALENDAR
"""

# --- every module and every non-interactive command, with POSIX hidden ------------------

# Run in a fresh interpreter: hide what Windows has not, import every module, run each
# command in-process (`cli.run`) at a fixed London moment, and print the exit codes.
SIMULATE = r"""
import importlib, io, json, os, pkgutil, signal, sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from zoneinfo import ZoneInfo

POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource")
if sys.argv[1] == "windows":
    for name in POSIX_ONLY:
        sys.modules[name] = None  # `import fcntl` now raises ImportError, as on Windows
    # The standard library's own POSIX branches (subprocess reads os.WNOHANG as it loads)
    # take Windows branches there: loaded first, as on Windows they would load fine.
    import asyncio, shutil, subprocess, tempfile, freezegun  # noqa: F401
    for name in ("getuid", "geteuid", "getgid", "getegid", "getgroups", "fork", "forkpty", "setsid",
                 "getpgid", "setpgid", "getpgrp", "killpg", "uname", "chown", "lchown", "fchown",
                 "mkfifo", "mknod", "openpty", "nice", "sync", "getloadavg", "O_NOFOLLOW", "O_NONBLOCK",
                 "O_NOCTTY", "WNOHANG", "sched_getaffinity", "pipe2", "posix_spawn", "ttyname", "ctermid"):
        if hasattr(os, name):
            delattr(os, name)
    for name in dir(signal):
        windows = {"SIGABRT", "SIGFPE", "SIGILL", "SIGINT", "SIGSEGV", "SIGTERM", "SIG_DFL", "SIG_IGN"}
        if (name.startswith("SIG") and name not in windows) or name in (
            "alarm", "pause", "setitimer", "getitimer", "siginterrupt", "sigwait", "pthread_kill",
            "pthread_sigmask", "sigpending", "ITIMER_REAL",
        ):
            delattr(signal, name)
    # filelock locks with fcntl on POSIX and msvcrt on Windows; Linux has no msvcrt, so the
    # simulation locks with filelock's platform-free lock.
    import filelock
    filelock.FileLock = filelock.SoftFileLock

import setguide
failed = []
for info in pkgutil.walk_packages(setguide.__path__, "setguide."):
    if info.name == "setguide.__main__":
        continue
    try:
        importlib.import_module(info.name)
    except Exception as exc:
        failed.append(f"{info.name}: {type(exc).__name__}: {exc}")

from freezegun import freeze_time
from setguide import cli

freeze_time(datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Europe/London"))).start()
results = []
for args in json.loads(sys.argv[2]):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.run(args)
    results.append({"args": args, "code": code, "out": out.getvalue(), "err": err.getvalue()})
sys.__stdout__.write(json.dumps({"import_failures": failed, "results": results}))
"""


def _commands(tmp: Path) -> list[tuple[list[str], int]]:
    (tmp / "invite.ics").write_text(INVITE, encoding="utf-8")
    flags = ["--no-threat-to-life", "--offence", "--urgent", "--at", AT]
    return [
        ([], 0),
        (["--version"], 0),
        (["--help"], 0),
        (["tree"], 0),
        (["tree", "--format", "mermaid"], 0),
        (["contacts"], 0),
        (["contacts", "thurrock", "--json"], 0),
        (["contacts", "narnia"], 2),
        (["quadrant", "Harlow"], 0),
        (["quadrant", "Canvey Island"], 0),
        (["search", "NRM"], 0),
        (["search", "Łódź"], 0),
        (["email-check", "someone@essex.police.uk"], 0),
        (["protocol"], 0),
        (["protocol", "3"], 0),
        (["triage", "--threat-to-life", "--at", AT], 0),
        (["triage", *flags], 0),
        (["triage", *flags, "--record", str(tmp / "record.md")], 0),
        (
            [
                "triage",
                "--no-threat-to-life",
                "--no-offence",
                "--level",
                "potential",
                "--area",
                "Grays",
                "--theme",
                "county-lines",
                "--at",
                AT,
            ],
            0,
        ),
        (["data", "keys"], 0),
        (["data", "verify"], 0),
        (["data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "an email"], 0),
        (["data", "diff"], 0),
        (["data", "reset", "contacts.thurrock.phone_text"], 0),
        (["forums"], 0),
        (["forums", "add-date", "thurrock-mace", "2026-12-17", "--time", "10:00"], 0),
        (["forums", "--next", "--at", AT], 0),
        (["forums", "--ics", str(tmp / "forums.ics")], 0),
        (["forums", "import", str(tmp / "invite.ics")], 0),
        (["forums", "remove-date", "thurrock-mace"], 0),
        (["card", "--html", str(tmp / "card.html")], 0),
    ]


def _simulate(tmp: Path, mode: str, commands: list[list[str]]) -> dict:
    env = {
        **os.environ,
        "SETGUIDE_CONFIG_DIR": str(tmp / "config"),
        "SETGUIDE_CACHE_DIR": str(tmp / "cache"),
        "PYTHONIOENCODING": "utf-8",
    }
    r = subprocess.run(
        [sys.executable, "-c", SIMULATE, mode, json.dumps(commands)],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout)


@pytest.mark.slow
def test_every_module_imports_and_every_command_exits_as_usual_with_posix_hidden(tmp_path):
    (tmp_path / "windows").mkdir()
    commands = _commands(tmp_path / "windows")
    found = _simulate(tmp_path / "windows", "windows", [args for args, _ in commands])
    assert found["import_failures"] == []
    for (args, expected), result in zip(commands, found["results"], strict=True):
        shown = " ".join(args) or "(no arguments)"
        assert result["code"] == expected, f"setguide {shown}: exit {result['code']}\n{result['err']}"
        assert "internal error" not in result["err"], f"setguide {shown}: {result['err']}"
    assert (tmp_path / "windows" / "record.md").is_file()
    assert (tmp_path / "windows" / "forums.ics").is_file() and (tmp_path / "windows" / "card.html").is_file()


@pytest.mark.slow
def test_the_simulation_hides_what_it_says_it_hides(tmp_path):
    """The guard above could pass by hiding nothing: the same script shows it hides."""
    probe = SIMULATE.split("import setguide")[0] + (
        "import importlib, json\n"
        "hidden = []\n"
        "for n in POSIX_ONLY:\n"
        "    try:\n"
        "        importlib.import_module(n)\n"
        "    except ImportError:\n"
        "        hidden.append(n)\n"
        "print(json.dumps([hidden, hasattr(os, 'getuid'), hasattr(signal, 'SIGPIPE')]))\n"
    )
    r = subprocess.run([sys.executable, "-c", probe, "windows", "[]"], capture_output=True, text=True, timeout=60)
    hidden, getuid, sigpipe = json.loads(r.stdout)
    assert hidden == ["fcntl", "termios", "tty", "pty", "pwd", "grp", "resource"]
    assert not getuid and not sigpipe


# --- any code page --------------------------------------------------------------------

CODE_PAGES = ["ascii", "cp1252", "cp850", "cp437"]
NOT_LATIN_1 = "Łódź"  # Ł is in no Western code page
MATRIX = [
    ["tree"],
    ["search", NOT_LATIN_1],
    ["search", NOT_LATIN_1, "--json"],
    ["triage", "--threat-to-life", "--area", NOT_LATIN_1, "--at", AT],
    ["triage", "--threat-to-life", "--area", NOT_LATIN_1, "--at", AT, "--json"],
    ["quadrant", "Canvey Island", "--json"],
]


def _cli(tmp_path: Path, args: list[str], encoding: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SETGUIDE_CONFIG_DIR": str(tmp_path / "config"),
        "SETGUIDE_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONIOENCODING": encoding,
    }
    return subprocess.run([sys.executable, "-m", "setguide", *args], env=env, cwd=ROOT, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def in_utf8(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("utf8")
    return {tuple(args): _cli(tmp, args, "utf-8") for args in MATRIX}


@pytest.mark.slow
@pytest.mark.parametrize("encoding", CODE_PAGES)
@pytest.mark.parametrize("args", MATRIX, ids=" ".join)
def test_every_code_page_gets_the_same_exit_and_999_first(tmp_path, in_utf8, encoding, args):
    expected = in_utf8[tuple(args)]
    r = _cli(tmp_path, args, encoding)
    err = r.stderr.decode(encoding)
    assert r.returncode == expected.returncode, err
    assert "closed" not in err and "internal error" not in err and "Traceback" not in err
    text = r.stdout.decode(encoding)  # every byte is the code page's
    if "--json" in args:
        # JSON keeps every value exact, with its own escapes: the same document as in UTF-8.
        assert json.loads(text) == json.loads(expected.stdout.decode("utf-8"))
    elif args[0] == "triage":
        assert text.lstrip().startswith("EMERGENCY") and "999" in text.split("\n")[0]
        assert "NOW" in text  # the plan is not lost after the 999 block
        assert len(text.splitlines()) == len(expected.stdout.decode("utf-8").splitlines())
    else:
        assert len(text.splitlines()) == len(expected.stdout.decode("utf-8").splitlines())
    if args == ["search", NOT_LATIN_1]:
        assert "Lodz" in text or "Lódz" in text  # typed text outside the code page reads as ASCII


@pytest.mark.parametrize("encoding", CODE_PAGES)
def test_a_code_page_holds_what_it_can_and_reads_the_rest_as_ascii(encoding):
    stream = _stream(encoding)
    console.ascii_fallback_for(stream)
    stream.write("§2 → Łódź ✓ ≥ 3 – café")
    stream.flush()
    written = stream.buffer.getvalue().decode(encoding)
    for ch, reading in (("§", "S."), ("→", "->"), ("Ł", "L"), ("ó", "o"), ("ź", "z"), ("✓", "v"), ("≥", ">="),
                        ("–", "-"), ("é", "e")):  # fmt: skip
        held = ch.encode(encoding, "ignore") != b""
        assert (ch in written) if held else (reading in written), (ch, written)
    assert "?" not in written


def _stream(encoding: str):
    import io

    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")


# --- a pipe closed the Windows way ----------------------------------------------------


class _Refusing:
    """A stdout whose reader went away: Windows raises EINVAL, not EPIPE."""

    encoding = "utf-8"

    def __init__(self, code: int) -> None:
        self.code = code

    def write(self, text: str) -> int:
        raise OSError(self.code, os.strerror(self.code))

    def flush(self) -> None:
        raise OSError(self.code, os.strerror(self.code))

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("code", [errno.EINVAL, errno.EPIPE])
@pytest.mark.parametrize("args", [["contacts"], ["forums"], ["triage", "--threat-to-life", "--at", AT]])
def test_a_closed_pipe_is_a_quiet_exit(monkeypatch, run, code, args):
    monkeypatch.setattr(console, "_stdout", lambda: _Refusing(code))
    result = run(*args)
    assert result.code == 0 and result.err == ""


def test_forums_ics_to_a_closed_stdout_is_a_message_with_the_999_line(run, monkeypatch):
    assert run("forums", "add-date", "thurrock-mace", "2026-12-17").code == 0
    monkeypatch.setattr(console.sys, "stdout", None)
    result = run("forums", "--ics", "-")
    monkeypatch.undo()
    assert result.code == 1 and "standard output is closed" in result.err
    assert "999" in result.err and "internal error" not in result.err


def test_another_write_failure_on_stdout_is_said_not_a_crash(monkeypatch, run):
    monkeypatch.setattr(console, "_stdout", lambda: _Refusing(errno.EIO))
    result = run("contacts")
    assert result.code == 1 and "standard output failed" in result.err and "internal error" not in result.err


# --- a file another program holds open ---------------------------------------------------


def test_a_file_held_open_is_retried_then_named_with_what_to_do(tmp_path, monkeypatch):
    target = tmp_path / "desk-card.html"
    target.write_bytes(b"old")
    tries = []

    def held(src, dst):
        tries.append(dst)
        raise PermissionError(errno.EACCES, "Access is denied")

    monkeypatch.setattr(userfiles, "REPLACE_WAIT", 0)
    as_windows(monkeypatch)
    monkeypatch.setattr(os, "replace", held)
    with pytest.raises(SetguideError) as caught:
        userfiles.atomic_write(target, b"new", shared=True)
    monkeypatch.undo()
    assert len(tries) == userfiles.REPLACE_TRIES
    assert "open in another program" in caught.value.message
    assert "close it in the program that holds it" in caught.value.hint
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["desk-card.html"]


def test_a_file_let_go_of_on_a_retry_is_written(tmp_path, monkeypatch):
    target = tmp_path / "forums.ics"
    real = os.replace
    tries = []

    def held_once(src, dst):
        tries.append(dst)
        if len(tries) == 1:
            raise PermissionError(errno.EACCES, "Access is denied")
        real(src, dst)

    monkeypatch.setattr(userfiles, "REPLACE_WAIT", 0)
    as_windows(monkeypatch)
    monkeypatch.setattr(os, "replace", held_once)
    userfiles.atomic_write(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"new" and len(tries) == 2


def test_on_posix_a_refused_rename_is_still_the_folders_permissions(tmp_path, monkeypatch):
    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(SetguideError) as caught:
        userfiles.atomic_write(tmp_path / "x.toml", b"x")
    assert "Permission denied" in caught.value.message and "permissions" in caught.value.hint


def test_the_path_shown_after_a_write_is_the_real_one(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    shown = userfiles.atomic_write(tmp_path / "link" / "forums.ics", b"x")
    assert shown == real / "forums.ics"


def test_a_new_card_is_readable_by_others_and_a_new_record_file_is_not(tmp_path):
    card = userfiles.atomic_write(tmp_path / "card.html", b"x", shared=True)
    own = userfiles.atomic_write(tmp_path / "own.toml", b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert card.stat().st_mode & 0o777 == 0o666 & ~umask
    assert own.stat().st_mode & 0o777 == 0o600


def test_a_card_never_makes_a_missing_folder(tmp_path):
    from setguide.card import printing

    with pytest.raises(SetguideError):
        printing.write_file(str(tmp_path / "no-such-folder" / "card.html"), b"x", False)
    assert not (tmp_path / "no-such-folder").exists()


# --- commands printed for copying -----------------------------------------------------


class _PosixForPathlib:
    """`os` as pathlib sees it while `os.name` is "nt": pathlib would build Windows paths,
    which cannot exist on Linux; everything else sees Windows's name."""

    name = "posix"

    def __getattr__(self, attribute: str):
        return getattr(os, attribute)


def as_windows(monkeypatch) -> None:
    import pathlib

    monkeypatch.setattr(pathlib, "os", _PosixForPathlib())
    monkeypatch.setattr(os, "name", "nt")


# A single quote used as a quote: after a space or '=', or before a space or the end.
# A command, or a flag and what follows it, to the end of its line.
COMMAND = re.compile(r"(?:\bsetguide [a-z][a-z-]+|--[a-z][a-z-]+|^ +\"|^ +')[^\n]*", re.M)
SINGLE_QUOTED = re.compile(r"(?:^|[\s=])'[^'\s][^']*'(?=\s|$|[.,;)])")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Harlow", "Harlow"),
        ("Canvey Island", '"Canvey Island"'),
        ("outside SET", '"outside SET"'),
        ("Debden, Uttlesford", '"Debden, Uttlesford"'),
        ("St Osyth's", '"St Osyth\'s"'),
        ('say "x" $HOME', '"say \\"x\\" \\$HOME"'),
    ],
)
def test_a_word_for_copying_is_bare_or_in_double_quotes(text, word):
    assert shell_arg(text) == word


@pytest.mark.parametrize(
    "args",
    [
        ["search", "Pilgrims Hatch"],
        ["search", "Canvey Island"],
        ["quadrant", "thorpe"],
        ["data", "set", "contacts.thurrock.phone_text", "01375 000000", "--source", "an email"],
        ["triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--at", AT],
        ["triage", "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", "thorpe", "--at", AT],
    ],
)
def test_under_windows_no_printed_command_uses_a_single_quote_as_a_quote(run, monkeypatch, args):
    as_windows(monkeypatch)
    result = run(*args)
    monkeypatch.undo()
    commands = [m[0] for m in COMMAND.finditer(result.out + result.err)]
    assert commands, result
    for command in commands:
        assert not SINGLE_QUOTED.search(command), command


def test_a_place_two_words_long_is_copied_in_double_quotes(run):
    result = run("search", "Pilgrims Hatch")
    assert 'setguide quadrant "Pilgrims Hatch"' in result.out
    result = run("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--at", AT)
    assert '--area "outside SET"' in result.err


def test_a_correction_replaced_says_how_to_restore_it_in_double_quotes(run):
    key = "contacts.thurrock.phone_text"
    assert run("data", "set", key, "01375 000000", "--source", "an email").code == 0
    result = run("data", "set", key, "01375 000001", "--source", "a letter")
    assert f'To restore it: setguide data set {key} "01375 000000" --source "an email"' in result.out


# --- paths ----------------------------------------------------------------------------


def test_forums_import_expands_a_home_folder(run, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "invite.ics").write_text(INVITE, encoding="utf-8")
    result = run("forums", "import", "~/invite.ics")
    assert result.code == 0, result.err
    assert "Thurrock MACE" in result.out


def test_the_card_and_its_pdf_are_the_same_file_whatever_the_case_on_windows(monkeypatch, tmp_path):
    a, b = str(tmp_path / "Card.html"), str(tmp_path / "card.HTML")
    assert not userfiles.same_path(a, b)  # Linux: two files
    as_windows(monkeypatch)
    same = userfiles.same_path(a, b)
    monkeypatch.undo()
    assert same


# --- a pager that is not less ---------------------------------------------------------


def test_a_pager_other_than_less_gets_no_colour_codes(monkeypatch, tmp_path):
    import shutil

    got = tmp_path / "paged"
    pager = tmp_path / "more"
    pager.write_text(f"#!/bin/sh\ncat > '{got}'\n")
    pager.chmod(0o755)
    monkeypatch.setenv("PAGER", str(pager))
    monkeypatch.delenv("SETGUIDE_PAGER", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(console, "terminal", lambda: console.Terminal(True, True, 100, "utf-8", False, False))
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((100, 10)))
    from setguide import cli

    with frozen():  # `forums` takes no --at: the suite's moment
        assert cli.run(["forums"]) == 0
    text = got.read_text(encoding="utf-8")
    assert "Thurrock" in text and "\x1b" not in text
