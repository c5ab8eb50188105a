"""Shared fixtures: the packaged data, an in-process CLI runner, a private config folder."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time


def pytest_configure(config):
    """Before any test module imports setguide: a private config and cache folder for the
    whole session, so nothing (a session fixture, a subprocess) reads the real user's
    corrections or writes the real cache."""
    session = Path(tempfile.mkdtemp(prefix="setguide-tests-"))
    os.environ["SETGUIDE_CONFIG_DIR"] = str(session / "config")
    os.environ["SETGUIDE_CACHE_DIR"] = str(session / "cache")
    # No test reads the real clock: `clock.now()` raises unless the moment is set (freezegun);
    # a subprocess or a pty inherits this, so it must be given `--at`.
    os.environ["SETGUIDE_CLOCK_GUARD"] = "1"
    # A keyed value formatted into plain text (an f-string) raises: its mark would be lost.
    os.environ["SETGUIDE_STRICT_FACTS"] = "1"
    # ...and a process the suite starts sees the suite's moment (tests/moment/sitecustomize.py).
    os.environ["SETGUIDE_TEST_MOMENT"] = MOMENT.isoformat()
    hook = str(Path(__file__).resolve().parent / "moment")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (hook, os.environ.get("PYTHONPATH")) if p)
    config.setguide_session_dir = session
    config.addinivalue_line("markers", "browser: opens the desk card in headless Chromium (counted in the summary)")


_COUNTER = itertools.count()


def pytest_unconfigure(config):
    session = getattr(config, "setguide_session_dir", None)
    if session is not None:
        shutil.rmtree(session, ignore_errors=True)


# Modules whose tests start the installed command in a subprocess or a pty, drive the
# real prompts, build a wheel, open a browser or fuzz: `pytest -m "not slow"` (make
# quick) leaves them out, for an inner loop of seconds; `make test` runs everything.
SLOW_MODULES = {
    "test_fuzz",
    "test_install",
    "test_pty",
    "test_lazy_imports",
    "test_screen",
    "test_card",
    "test_isolation",
    "test_terminals",
    "test_cli_basics",
    "test_hostile_files",
    "test_hostile_streams",
    "test_no_network",
    "test_ux_readme",
    "test_ux_help",
    "test_ux_completion",
    "test_trust_marks",
    "test_bad_input",  # every kind of bad input through the whole command, some in subprocesses
    "test_wizard",  # the real prompts, driven key by key
}


def pytest_ignore_collect(collection_path, config):
    """With -m "not slow", a slow module is not even imported (hypothesis, selenium)."""
    if config.getoption("markexpr", "") == "not slow" and collection_path.stem in SLOW_MODULES:
        return True
    return None


_BROWSER_TESTS: dict[str, str] = {}


def pytest_runtest_logreport(report):
    """Each browser test's outcome (a skip at setup counts; a pass is the call's), for the summary."""
    if "browser" in report.keywords and (report.when == "call" or report.outcome != "passed"):
        _BROWSER_TESTS.setdefault(report.nodeid, report.outcome)


def pytest_terminal_summary(terminalreporter):
    """One line saying how many browser tests ran: a green run whose browser tests all
    skipped (no Chromium here) must not pass for a checked desk card."""
    if _BROWSER_TESTS:
        outcomes = list(_BROWSER_TESTS.values())
        ran = sum(o != "skipped" for o in outcomes)
        terminalreporter.write_line(
            f"browser tests: {ran} of {len(outcomes)} ran, {outcomes.count('skipped')} skipped "
            "(tools/install-browser.sh installs what they need)"
        )


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


_CACHES: list = []
_SCANNED = [0]


def data_caches() -> list:
    """Every functools cache in setguide's loaded modules (`get()`, the tree, the search
    index, place names...): most are keyed by a loaded `Data`."""
    import sys

    if len(sys.modules) != _SCANNED[0]:
        _SCANNED[0] = len(sys.modules)
        _CACHES[:] = [
            value
            for name, module in list(sys.modules.items())
            if name.startswith("setguide") and module is not None
            for value in list(vars(module).values())
            if callable(value) and hasattr(value, "cache_clear") and getattr(value, "__module__", "") == name
        ]
    return _CACHES


def clear_data_caches() -> None:
    """Forget every loaded `Data` and everything cached on one."""
    for c in data_caches():
        c.cache_clear()


@pytest.fixture(autouse=True)
def _flat_memory():
    """Tests reload the data (a correction, another data folder, triage's own load): a
    cache that has grown past a few entries holds data no test will use again, and is
    cleared, so the session's memory stays flat however many tests reload."""
    yield
    if any(c.cache_info().currsize > 8 for c in data_caches()):
        clear_data_caches()


@pytest.fixture(autouse=True)
def _isolated(request, monkeypatch):
    """No test reads or writes the real user's config, or another test's; no colour
    settings leak in. Each test gets folders of its own in the session's private one,
    made only when setguide writes there (most tests write nothing)."""
    own = request.config.setguide_session_dir / f"test-{next(_COUNTER)}"
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(own / "config"))
    monkeypatch.setenv("SETGUIDE_CACHE_DIR", str(own / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def config_dir(tmp_path) -> Path:
    return Path(os.environ["SETGUIDE_CONFIG_DIR"])


# The moment an in-process run sees unless its test set one (freezegun, or `--at` for the
# hours): a Tuesday at 10:00 in London, so no result depends on the day the suite runs.
MOMENT = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
# Modules that read no clock and name `date` as a kind of value ("expected a date"):
# freezegun's stand-in would be named instead.
UNFROZEN = ["setguide.model.validate"]


def frozen(moment: datetime = MOMENT, tick: bool = True):
    """The clock set to `moment` (aware, London) for what runs inside, as `run` does; it
    moves on from there (`tick`), so a timeout (a lock's) still comes."""
    return freeze_time(moment, ignore=UNFROZEN, tick=tick)


def moment_set() -> bool:
    """Whether the test froze the clock itself (freezegun replaces `datetime.datetime`)."""
    import datetime as dt

    return dt.datetime.__name__ == "FakeDatetime"


@pytest.fixture
def run(capsys):
    """Run setguide in-process with `args` at `MOMENT` (or the moment its test froze);
    output is not a terminal, so it is plain."""

    def _run(*args: str) -> Result:
        with nullcontext() if moment_set() else frozen():
            code = cli.run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


def flag_args(flags: dict[str, str], answers: dict) -> list[str]:
    """Triage answers as the flags that give them (`Tree.flags()`): a yes/no answer is one
    of its two flags, any other answer its flag and value."""
    args: list[str] = []
    for key, value in answers.items():
        flag = flags[key]
        if "/" in flag:
            yes, no = flag.split("/")
            args.append(yes if value else no)
        else:
            args += [flag, value]
    return args


def text_blocks(out: str) -> list[tuple[list[str], list[str]]]:
    """Plain output as the trust pass makes it: (lines shown, caution lines after them),
    where a line, or a run of `- ` items, is a block."""
    found: list[tuple[list[str], list[str]]] = []
    for line in out.splitlines():
        if line.startswith("Caution:") and found:
            found[-1][1].append(line)
        elif line.startswith("- ") and found and found[-1][0][-1].startswith("- ") and not found[-1][1]:
            found[-1][0].append(line)
        elif line.strip():
            found.append(([line], []))
    return found


@pytest.fixture
def terminal(monkeypatch):
    """The CLI believes it is at a terminal; keystrokes come from a pipe we control
    (`with terminal("nyy\r"): run("triage")`)."""
    from contextlib import contextmanager

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from setguide.output import console

    monkeypatch.setattr(console, "interactive", lambda: True)
    # The prompts drawn in place, whatever terminal runs the suite (TERM=dumb would ask in lines).
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("SETGUIDE_LINEAR", raising=False)

    @contextmanager
    def session(keys: str):
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            pipe.close()
            with create_app_session(input=pipe, output=DummyOutput()):
                yield

    return session
