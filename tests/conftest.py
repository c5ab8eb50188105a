"""Shared fixtures: the packaged data, an in-process CLI runner, a private config folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from setguide import cli
from setguide.model.data import get

ROOT = Path(__file__).resolve().parent.parent
# A copy of the published protocol, the text every packaged fact is checked against.
PROTOCOL = ROOT / "tests" / "fixtures" / "set-child-exploitation-information-sharing-protocol.txt"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def data():
    return get()


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No test reads or writes the real user's config; no colour settings leak in."""
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def config_dir(tmp_path) -> Path:
    return Path(os.environ["SETGUIDE_CONFIG_DIR"])


@pytest.fixture
def run(capsys):
    """Run setguide in-process with `args`; output is not a terminal, so it is plain."""

    def _run(*args: str) -> Result:
        code = cli.run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run
