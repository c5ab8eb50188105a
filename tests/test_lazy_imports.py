"""Startup stays fast because each library is imported only when it is needed:
questionary only when a question is asked, rich only when a document is drawn
for a terminal. Each check runs a fresh interpreter, so nothing another test
imported can hide an import.

typer 0.29 imports neither rich nor questionary at startup (it imports its own
rich_utils only to draw --help), so every check here is about what setguide
itself imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pexpect = pytest.importorskip("pexpect")

MARK = "@@modules@@"
# Runs the CLI as the console script does, then reports every module loaded.
RUNNER = textwrap.dedent(
    f"""
    import json, sys
    from setguide import cli
    code = cli.run(sys.argv[1:])
    sys.stdout.flush()
    print("\\n{MARK}" + json.dumps({{"code": code, "modules": sorted(sys.modules)}}))
    """
)
PROMPTING = ("questionary", "prompt_toolkit")


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["SETGUIDE_CONFIG_DIR"] = str(tmp_path / "config")
    env["PAGER"] = "cat"  # long output at a terminal opens a pager, which would wait for a key
    return env


def _report(output: str) -> tuple[int, set[str]]:
    assert MARK in output, output
    found = json.loads(output.rsplit(MARK, 1)[1].strip().splitlines()[0])
    return found["code"], set(found["modules"])


def piped(tmp_path, *args: str) -> set[str]:
    """Modules loaded by `setguide ARGS` with stdout a pipe (plain output)."""
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=_env(tmp_path),
        timeout=60,
    )
    code, modules = _report(result.stdout)
    assert code == 0, result.stderr
    return modules


def on_a_terminal(tmp_path, *args: str) -> set[str]:
    """Modules loaded by `setguide ARGS` in a real pseudo-terminal (rich output)."""
    env = {**_env(tmp_path), "TERM": "xterm-256color", "PAGER": "cat"}  # the whole output, not a pager
    child = pexpect.spawn(
        sys.executable, ["-c", RUNNER, *args], env=env, encoding="utf-8", timeout=60, dimensions=(50, 100)
    )
    child.expect(pexpect.EOF)
    child.close()
    code, modules = _report(child.before.replace("\r\n", "\n"))
    assert code == 0, child.before
    return modules


def loaded(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


NO_QUESTION = [
    ["contacts"],
    ["contacts", "thurrock"],
    ["quadrant", "Harlow"],
    ["forums"],
    ["forums", "--next", "--at", "2026-12-01T10:00"],
    ["search", "county", "lines"],
    ["--help"],
    ["contacts", "--help"],
]


@pytest.mark.parametrize("args", NO_QUESTION, ids=" ".join)
def test_a_command_that_asks_nothing_never_imports_questionary(tmp_path, args):
    modules = piped(tmp_path, *args)
    for package in PROMPTING:
        assert loaded(modules, package) == [], (args, package)
    assert "setguide.triage.ask" not in modules


@pytest.mark.parametrize("args", [["contacts", "thurrock"], ["quadrant", "Harlow"], ["forums"], ["search", "NRM"]])
def test_drawing_for_a_terminal_imports_rich_but_still_not_questionary(tmp_path, args):
    modules = on_a_terminal(tmp_path, *args)
    assert "rich.console" in modules  # the terminal path is the one being measured
    for package in PROMPTING:
        assert loaded(modules, package) == [], (args, package)


def test_loading_the_data_imports_nothing_that_renders_or_asks(tmp_path):
    code = (
        "import json, sys\n"
        "from setguide.model import data\n"
        "d = data.get()\n"
        "assert d.contacts and d.forums\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path), timeout=60
    )
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout))
    for package in ("rich", "questionary", "prompt_toolkit", "typer"):
        assert loaded(modules, package) == [], package
    assert "setguide.output.rich_renderer" not in modules and "setguide.triage.ask" not in modules


def test_plain_contacts_does_not_import_rich(tmp_path):
    modules = piped(tmp_path, "contacts", "thurrock")
    assert loaded(modules, "rich") == []
    assert "setguide.output.rich_renderer" not in modules
    assert "typer.rich_utils" not in modules


def test_plain_flag_on_a_terminal_does_not_import_rich(tmp_path):
    modules = on_a_terminal(tmp_path, "contacts", "thurrock", "--plain")
    assert loaded(modules, "rich") == []
    assert "setguide.output.rich_renderer" not in modules


def test_the_check_sees_questionary_when_a_question_is_asked(tmp_path):
    # The control: the same harness does see questionary once the wizard asks,
    # so the absences above are real.
    env = {**_env(tmp_path), "TERM": "xterm-256color", "PAGER": "cat"}  # the whole output, not a pager
    child = pexpect.spawn(sys.executable, ["-c", RUNNER, "triage"], env=env, encoding="utf-8", timeout=60)
    child.expect("immediate threat")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    code, modules = _report(child.before.replace("\r\n", "\n"))
    assert code == 130
    assert "questionary" in modules and "setguide.triage.ask" in modules


def test_the_question_module_loads_no_data_model_before_the_first_question():
    """The first question is drawn while the data loads in the background: the module that
    asks it imports the data model (and its marks) only inside the questions that need data."""
    code = "import sys, setguide.triage.ask; print(sorted(m for m in sys.modules if m.startswith('setguide.model')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
