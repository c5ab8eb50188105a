"""Shared fixtures: the packaged data, an in-process CLI runner, a private config folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest


def pytest_configure(config):
    """Before any test module imports setguide: a private config and cache folder for the
    whole session, so nothing (a session fixture, a subprocess) reads the real user's
    corrections or writes the real cache."""
    session = Path(tempfile.mkdtemp(prefix="setguide-tests-"))
    os.environ["SETGUIDE_CONFIG_DIR"] = str(session / "config")
    os.environ["SETGUIDE_CACHE_DIR"] = str(session / "cache")
    config.setguide_session_dir = session


def pytest_unconfigure(config):
    session = getattr(config, "setguide_session_dir", None)
    if session is not None:
        shutil.rmtree(session, ignore_errors=True)


# Modules whose every test starts the installed command in a subprocess or a pty,
# builds a wheel, or fuzzes: `pytest -m "not slow"` leaves them out.
SLOW_MODULES = {
    "test_fuzz",
    "test_install",
    "test_pty",
    "test_lazy_imports",
    "test_screen",
    "test_card",
    "test_isolation",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


from setguide import cli  # noqa: E402  (after the session's folders are set)
from setguide.model.data import get  # noqa: E402

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
