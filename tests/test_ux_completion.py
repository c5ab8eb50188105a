"""Shell completion through the completion protocol, as bash runs it: the installed
`setguide` script with _SETGUIDE_COMPLETE, COMP_WORDS and COMP_CWORD set."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SETGUIDE = str(Path(sys.executable).parent / "setguide")


def complete(line: str, shell: str = "bash") -> list[str]:
    """What the shell would offer for the last word of `line` (a trailing space: a new word)."""
    words = line.split(" ")
    env = {**os.environ, "_SETGUIDE_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run([SETGUIDE], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.splitlines()


def test_commands_complete_with_triage_among_them():
    offered = complete("setguide t")
    assert "triage" in offered and "tree" in offered


def test_authorities_complete_for_contacts():
    assert set(complete("setguide contacts ")) >= {"essex", "southend", "thurrock", "essex-police", "police"}
    assert complete("setguide contacts thu") == ["thurrock"]


def test_places_from_the_gazetteer_complete_for_quadrant_and_triage_area():
    assert "Debden" in complete("setguide quadrant Deb")
    assert "Harlow" in complete("setguide triage --area harl")
    # bash puts the reply on the line as it is: a space in a name is escaped
    assert "Canvey\\ Island" in complete("setguide quadrant Canv")


def test_themes_and_levels_complete_for_triage():
    themes = complete("setguide triage --theme ")
    assert {"county-lines", "missing", "trafficking", "not-sure"} <= set(themes)
    assert complete("setguide triage --level st") == ["strategic"]


def test_forum_names_complete_for_add_date_and_remove_date():
    assert "thurrock-mace" in complete("setguide forums add-date thurrock-m")
    assert "southend-mase" in complete("setguide forums remove-date south")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_get_the_same_values(shell):
    assert any("thurrock" in line for line in complete("setguide contacts thu", shell))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script_for_each_shell(shell):
    result = subprocess.run(
        [SETGUIDE, "--show-completion", shell],
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "_SETGUIDE_COMPLETE" in result.stdout


def test_completion_of_a_value_stays_silent_when_the_data_cannot_load(tmp_path):
    env = {**os.environ, "_SETGUIDE_COMPLETE": "complete_bash", "COMP_WORDS": "setguide quadrant Ha", "COMP_CWORD": "2"}
    overrides = tmp_path / "config" / "overrides.toml"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text("this is = = not toml\n")
    env["SETGUIDE_CONFIG_DIR"] = str(overrides.parent)
    result = subprocess.run([SETGUIDE], env=env, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr and "error" not in result.stdout


# --- nothing a correction holds runs as shell code ------------------------------------

HOSTILE = "zz;touch${IFS}PWNED"


def _corrected(tmp_path: Path, key: str, value: str) -> dict[str, str]:
    env = {**os.environ, "SETGUIDE_CONFIG_DIR": str(tmp_path / "config")}
    result = subprocess.run(
        [SETGUIDE, "data", "set", key, value, "--source", "test"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return env


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_corrected_name_with_shell_characters_is_never_offered(tmp_path, monkeypatch, shell):
    env = _corrected(tmp_path, "districts.harlow.name", HOSTILE)
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", env["SETGUIDE_CONFIG_DIR"])
    offered = complete("setguide quadrant zz", shell)
    assert not any("zz" in line for line in offered), offered
    assert not any("$" in line or ";" in line for line in complete("setguide triage --area ", shell))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_corrected_forum_name_with_shell_characters_is_no_description(tmp_path, monkeypatch, shell):
    env = _corrected(tmp_path, "forums.southend-mase.name", "MASE $(touch PWNED) `x`")
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", env["SETGUIDE_CONFIG_DIR"])
    offered = complete("setguide forums add-date southend-ma", shell)
    assert any("southend-mase" in line for line in offered)
    assert not any("$" in line or "`" in line for line in offered), offered


def _bash_completes(line: str, env: dict[str, str], cwd: Path) -> list[str]:
    """What a real bash puts in COMPREPLY for `line`, with setguide's own completion script."""
    script = subprocess.run(
        [SETGUIDE, "--show-completion", "bash"],
        env={**env, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    words = line.split(" ")
    driver = (
        f'PATH="{Path(SETGUIDE).parent}:$PATH"\n{script}\n'
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        "_setguide_completion setguide\n"
        # Enter on the completed line: the shell reads the reply as typed
        'for r in "${COMPREPLY[@]}"; do eval "printf \'%s\\n\' $r"; done\n'
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", driver], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.skipif(not shutil.which("bash"), reason="no bash on this machine")
def test_in_a_real_bash_a_completed_name_is_one_word_and_runs_nothing(tmp_path):
    env = _corrected(tmp_path, "districts.harlow.name", HOSTILE)
    assert _bash_completes("setguide quadrant zz", env, tmp_path) == []
    env = _corrected(tmp_path, "districts.uttlesford.name", "Uttlesford's District")
    assert _bash_completes("setguide quadrant Uttlesford", env, tmp_path) == ["Uttlesford's District"]
    assert "Canvey Island" in _bash_completes("setguide quadrant Canv", env, tmp_path)
    assert not (tmp_path / "PWNED").exists()


# --- PowerShell: nothing installed that changes a policy; values quoted ------------------


def _fake_powershell(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A HOME of its own, and `powershell` and `pwsh` on PATH that leave a mark if run."""
    home, bin_, ran = tmp_path / "home", tmp_path / "bin", tmp_path / "ran"
    home.mkdir()
    bin_.mkdir()
    for name in ("powershell", "pwsh"):
        (bin_ / name).write_text(f"#!/bin/sh\necho \"$@\" >> '{ran}'\n")
        (bin_ / name).chmod(0o755)
    env = {**os.environ, "HOME": str(home), "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}"}
    return env, ran


@pytest.mark.parametrize("shell", ["powershell", "pwsh"])
@pytest.mark.parametrize("option", ["--install-completion", "--show-completion"])
def test_powershell_completion_is_refused_and_changes_nothing(tmp_path, shell, option):
    env, ran = _fake_powershell(tmp_path)
    env["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"  # the shell is named, as typer takes it
    result = subprocess.run([SETGUIDE, option, shell], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "bash, zsh and fish" in result.stderr and "nothing was changed" in result.stderr
    assert "Set-ExecutionPolicy" not in result.stdout
    assert not ran.exists(), "PowerShell was run"
    assert list((tmp_path / "home").iterdir()) == []


def test_a_detected_powershell_installs_nothing(tmp_path, monkeypatch, run):
    from setguide import typer_compat

    env, ran = _fake_powershell(tmp_path)
    monkeypatch.setenv("HOME", env["HOME"])
    monkeypatch.setenv("PATH", env["PATH"])
    monkeypatch.delenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", raising=False)
    monkeypatch.setattr(typer_compat, "detected_shell", lambda: "powershell")
    result = run("--install-completion")
    assert result.code == 2 and "not for powershell" in result.err
    assert not ran.exists() and list((tmp_path / "home").iterdir()) == []


def test_help_offers_completion_for_bash_zsh_and_fish_only(run):
    result = run("--help")
    assert " ".join(result.out.split()).count("current shell: bash, zsh or fish.") == 2


@pytest.mark.parametrize("shell", ["powershell", "pwsh"])
def test_powershell_gets_a_name_of_two_words_in_double_quotes(shell):
    env = {
        **os.environ,
        "_SETGUIDE_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "setguide quadrant Canv",
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": "Canv",
    }
    result = subprocess.run([SETGUIDE], env=env, capture_output=True, text=True, timeout=60)
    values = [line.split(":::")[0] for line in result.stdout.splitlines()]
    assert '"Canvey Island"' in values, result.stdout
    assert all(" " not in v or (v.startswith('"') and v.endswith('"')) for v in values)
