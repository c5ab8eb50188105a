"""Every local correction is marked wherever it changes what a command shows, or the
route a plan takes, and never mentioned where it changes nothing.

Generated, not hand-kept: each correctable key is corrected in turn to a value of the
same kind, and every command of the app is run before and after, with arguments
generated from the data (every path through the triage tree at each of the triage
line's hours cases, every place, forum and contact, the write commands and the files
they write). An output that changed must name the key (the trust pass's mark); an
output that did not change must not. This needs no knowledge of which view shows
which fact, so a new view or a new field is covered the day it exists, and a new
command fails `test_every_command_of_the_app_is_run` until it is given arguments.

Fast by construction: the outputs without corrections are computed once per session,
the data is loaded once per key (not once per command), and every cache that holds a
loaded `Data` is cleared between keys, so memory stays flat however many keys there are.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest

from setguide import cli
from setguide.base.clock import LONDON
from setguide.model import corrections
from setguide.model import data as _model_data
from setguide.model.data import CADENCES, read_raw
from tests import conftest

pytestmark = pytest.mark.slow

AT = "2026-12-01T10:00"  # a Tuesday in hours: the urgent route shows the triage line
START = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
RECORDED = "2026-11-03"  # a recorded date for every forum, so `--next` and the plans date them


# --- the commands, generated from the app and the data ------------------------------------


def _data():
    from setguide.model.data import load

    return load()


def _triage_runs(data) -> list[list[str]]:
    """Every path through the tree, each at the moment of its hours case (a corrected hour
    moves one of them); the urgent route on the first and last day the line is open; and
    each Essex quadrant, which the tree's paths leave as 'Essex'."""
    from setguide.card.build import all_paths
    from setguide.triage.tree import tree_for

    tree = tree_for(data)
    flags = tree.flags()
    runs: list[list[str]] = []
    for path in all_paths(data, tree, START):
        args = ["triage", *conftest.flag_args(flags, path.answers)]
        runs.append([*args, "--at", path.at.strftime("%Y-%m-%dT%H:%M")])
    # A Friday and a Monday in hours: a corrected day of the week moves the urgent route.
    urgent = ["triage", "--no-threat-to-life", "--offence", "--urgent"]
    runs += [[*urgent, "--at", "2026-12-04T10:00"], [*urgent, "--at", "2026-12-07T10:00"]]
    for q in data.quadrants:
        district = data.quadrant_districts(q)[0].name
        for level in ("operational", "potential"):
            runs.append(["triage", "--no-threat-to-life", "--no-offence", "--level", level, "--area", district])
    return [r if "--at" in r else [*r, "--at", AT] for r in runs]


def _places(data) -> list[str]:
    """Every authority and district, and one town of each district the gazetteer names."""
    names = [a.name for a in data.authorities.values()] + [d.name for d in data.districts.values()]
    towns: dict[str, str] = {}
    for p in data.places:
        if p.kind != "district" and p.district not in towns:
            towns[p.district] = p.name
    return [*names, *towns.values(), "Essex"]


def _emails(data) -> list[str]:
    secure = data.facts["secure_email"]
    found = [f"someone@{d!s}" for d in secure["domains"]]
    found += [f"someone@example{s!s}" for s in secure["suffixes"]]
    return [*found, "someone@example.com"]


# Each command path of the app -> the argument lists it is run with (files under FILES).
# A command path missing here fails the test below: a new command is covered from its first day.
TEAM_EXPORT = Path(tempfile.gettempdir()) / f"setguide-trust-team-{os.getpid()}.toml"


def _generators(data) -> dict[tuple[str, ...], list[list[str]]]:
    forum = next(iter(data.forums))
    triage = _triage_runs(data)
    return {
        ("triage",): [*triage, [*triage[-1], "--record", "{files}/record.md"]],
        ("tree",): [["tree"], ["tree", "--format", "mermaid"]],
        ("contacts",): [["contacts"], *(["contacts", c] for c in data.contacts)],
        ("quadrant",): [["quadrant", p] for p in _places(data)],
        ("forums",): [
            ["forums"],
            *(["forums", "--authority", a] for a in [*data.authorities, "set"]),
            *(["forums", "--theme", t] for t in data.themes),
            ["forums", "--next", "--days", "120", "--at", AT],
            ["forums", "--ics", "{files}/forums.ics", "--force"],
        ],
        ("forums", "add-date"): [["forums", "add-date", f, "2026-12-08"] for f in _one_of_each_kind(data)],
        ("forums", "remove-date"): [["forums", "remove-date", forum]],
        ("forums", "import"): [["forums", "import", "{files}/invite.ics"]],
        ("search",): [
            *(["search", *q.split()] for q in ("county lines", "101", "MASE", "CAIT", "secure email", "triage")),
            *(["search", d.name] for d in _district_of_each_area(data)),
            ["search", "Saffron", "Walden"],
        ],
        ("email-check",): [["email-check", e] for e in _emails(data)],
        ("protocol",): [["protocol"], ["protocol", "spoc"], ["protocol", "1"]],
        ("data", "keys"): [["data", "keys"]],
        ("data", "diff"): [["data", "diff"]],
        ("data", "verify"): [["data", "verify"]],
        ("data", "set"): [["data", "set", "facts.triage_line.team", "The triage team", "--source", "a check"]],
        ("data", "reset"): [["data", "reset", "--all"]],
        ("data", "team"): [["data", "team"]],
        ("data", "export"): [["data", "export", "--team", "A team", str(TEAM_EXPORT), "--force"]],
        ("card",): [["card", "--html", "{files}/card.html"]],
        ("sources",): [["sources"]],
    }


def _district_of_each_area(data) -> list:
    """One district of each Essex quadrant, and each unitary authority's."""
    found = {d.quadrant or d.authority: d for d in data.districts.values()}
    return list(found.values())


def _one_of_each_kind(data) -> list[str]:
    """A forum held in each quadrant, and one held once."""
    return [
        next(f for f in data.forums if data.forums[f].quadrant),
        next(f for f in data.forums if not data.forums[f].quadrant),
    ]


def _command_paths(command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    subs = getattr(command, "commands", None)
    if not subs:
        return [path]
    found = [path] if path and getattr(command, "invoke_without_command", False) else []
    for name, sub in subs.items():
        if not sub.hidden:
            found += _command_paths(sub, (*path, name))
    return found


# Commands that write: each runs on its own copy of the config folder, as a user would
# run it once, and what it writes to a file is compared with what it prints.
WRITES = {("forums", "add-date"), ("forums", "remove-date"), ("forums", "import"), ("data", "set"), ("data", "reset")}


def _runs() -> list[tuple[tuple[str, ...], list[str]]]:
    runs = []
    for path, arg_lists in _generators(_data()).items():
        for args in arg_lists:
            modes = [["--plain"], ["--json"]] if _has_option(path, "--json") else [[]]
            plain = [] if not _has_option(path, "--plain") else ["--plain"]
            if modes == [[]] and plain:
                modes = [plain]
            runs += [(path, [*args, *mode]) for mode in modes]
    return runs


@functools.cache
def _options(path: tuple[str, ...]) -> frozenset[str]:
    import typer.main

    command = typer.main.get_command(cli.full_app())
    for name in path:
        command = command.commands[name]
    return frozenset(o for p in command.params for o in getattr(p, "opts", ()))


def _has_option(path: tuple[str, ...], option: str) -> bool:
    return option in _options(path)


RUNS = _runs()


# --- the values each key is corrected to -------------------------------------------


def new_value(key: str, value) -> str | None:
    """A valid value of the same kind that differs from the protocol's, as `data set` takes it."""
    prefix, ident, field = key.split(".")
    if isinstance(value, bool | int | float | dict):
        return None
    if isinstance(value, date):
        return "2026-01-05"
    if field in ("cadence", "other_cadence"):
        return next(c for c in CADENCES if c != value)
    if prefix == "districts" and field == "quadrant":
        return "north" if value != "north" else "south"
    if field == "days":
        return ", ".join(value[:-1])  # the line closed on its last day (a Friday)
    if field in ("opens", "closes"):
        return "10:30" if field == "opens" else "16:00"
    if prefix == "frontdoors" and field == "hours":
        return "mon tue wed thu fri 09:00-23:00"  # open at night: the number chosen at 22:00 changes
    if prefix == "frontdoors" and field == "disputed_hours":
        return "mon tue wed thu fri 21:00-23:00"  # disputed at night: both numbers at 22:00
    if field == "closed_days":
        return "sun"  # open on a Saturday
    if field == "bank_holidays":
        return "not-stated" if value == "out-of-hours" else "out-of-hours"
    text = ", ".join(value) if isinstance(value, list) else str(value)
    if "@" in text:
        return "changed.person@example.gov.uk"
    if text.startswith("http"):
        return "https://www.example.gov.uk/changed"
    if field in ("number", "extensions"):
        return "123456" if field == "extensions" else "01234 567890"
    if field == "phone_text":
        return "01234 567890"
    if isinstance(value, list):
        return ", ".join([f"{value[0]} (changed)", *value[1:]])
    return f"{text} (changed)"


def _keys() -> list[tuple[str, str]]:
    found = []
    for key, value in corrections.keys(read_raw()):
        v = new_value(key, value)
        if v is not None:
            found.append((key, v))
    return found


KEYS = _keys()


# --- running, with the data loaded once per key ---------------------------------------


def clear_data_caches() -> None:
    """Forget every loaded `Data` and everything cached on one (conftest), and the data
    triage loaded for this key."""
    conftest.clear_data_caches()
    _triage_load.cache_clear()


_real_load_for_triage = _model_data.load_for_triage
_real_app_for = cli._app_for


@functools.cache
def _built(names: tuple[str, ...] | None, first: str):
    """A command group's click command, built once: typer builds it on every run, which
    is most of a run's time here and none of what is under test."""
    import typer.main

    return typer.main.get_command(_real_app_for([first] if names else ["--help"]))


def _app_for(argv: list[str]):
    names = next((n for n, _ in cli.GROUPS if argv and argv[0] in n), None)
    command = _built(names, argv[0] if names else "")
    return lambda **kwargs: command(**kwargs)


def _patch(mp: pytest.MonkeyPatch, r: Runner) -> None:
    mp.setenv("SETGUIDE_CONFIG_DIR", str(r.work))
    mp.setenv("COLUMNS", "100")
    mp.setattr(_model_data, "load_for_triage", _triage_load)
    mp.setattr(cli, "_app_for", _app_for)


@functools.cache
def _triage_load(directory=None):
    """triage loads the data afresh on each run (as a process does once): here, once per key."""
    return _real_load_for_triage(directory)


# When a file was written (an invite's DTSTAMP, a record's moment of writing): not a fact.
STAMPS = re.compile(r"^(DTSTAMP:|Written: |Recorded: )\S.*$", re.M)


class Runner:
    """Runs commands in one config folder (`work`) whose path never changes, so what a
    command echoes of it is the same before and after a correction."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "config"
        self.files = root / "files"
        self.state = root / "state"  # the config as the key left it; each write command starts from it

    def one(self, path: tuple[str, ...], args: list[str]) -> str:
        if path in WRITES:
            shutil.rmtree(self.work, ignore_errors=True)
            shutil.copytree(self.state, self.work)
        args = [a.replace("{files}", str(self.files)) for a in args]
        written = [Path(a) for a in args if a.startswith(str(self.files)) and not a.endswith("invite.ics")]
        for file in written:
            file.unlink(missing_ok=True)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.run(args)
        if path in WRITES and path[0] == "data":
            clear_data_caches()
        shown = out.getvalue()
        for file in written:
            if file.exists():
                text = file.read_text(encoding="utf-8", errors="replace")
                if file.suffix == ".ics":
                    text = text.replace("\r\n ", "").replace("\n ", "")  # RFC 5545 lines unfolded
                shown += f"\n--- {file.name} ---\n" + text
        text = STAMPS.sub(r"\1(when written)", f"exit {code}\n{shown}\n--- stderr ---\n{err.getvalue()}")
        return text.replace(str(self.root), "<root>")  # each worker has its own folder

    def all(self) -> dict[tuple[str, ...], str]:
        clear_data_caches()
        found = {tuple(args): self.one(path, args) for path, args in RUNS if path not in WRITES}
        found.update({tuple(args): self.one(path, args) for path, args in RUNS if path in WRITES})
        clear_data_caches()
        return found


def _prepare(root: Path) -> Runner:
    """A runner whose config holds a recorded date for every forum, and an invite to import."""
    r = Runner(root)
    r.files.mkdir(parents=True)
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        _patch(mp, r)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            for forum in _data().forums:
                assert cli.run(["forums", "add-date", forum, RECORDED]) == 0, out.getvalue()
    _write_invite(r.files / "invite.ics")
    shutil.copytree(r.work, root / "baseline")
    shutil.copytree(r.work, r.state)
    return r


@pytest.fixture(scope="module", autouse=True)
def _moment():
    """Every run here is at START (the suite reads no real clock), moving on from there."""
    with conftest.frozen(START):
        yield


@pytest.fixture(scope="module")
def runner(_moment, tmp_path_factory):
    r = _prepare(tmp_path_factory.mktemp("trust"))
    yield r, r.root / "baseline"
    clear_data_caches()


def _write_invite(path: Path) -> None:
    """One invite for a forum of each kind: held in a quadrant, and held once."""
    data = _data()
    quadrant = next(f for f in data.forums.values() if f.quadrant)
    single = next(f for f in data.forums.values() if not f.quadrant)
    events = [
        "\r\n".join(
            [
                "BEGIN:VEVENT",
                f"UID:trust-{i}@example.org",
                "DTSTAMP:20261101T090000Z",
                f"DTSTART;TZID=Europe/London:2026120{i + 2}T100000",
                f"SUMMARY:{f.name!s}",
                "RRULE:FREQ=MONTHLY;BYDAY=1WE" if i else "RRULE:FREQ=WEEKLY",
                "END:VEVENT",
            ]
        )
        for i, f in enumerate((quadrant, single))
    ]
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    path.write_text(head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n")


@pytest.fixture(scope="module")
def baseline(runner):
    """Every run's output without corrections: computed once for the session."""
    r, _ = runner
    with pytest.MonkeyPatch.context() as mp:
        _patch(mp, r)
        return r.all()


# --- the tests ------------------------------------------------------------------------


def test_every_command_of_the_app_is_run():
    import typer.main

    root = typer.main.get_command(cli.full_app())
    assert set(_command_paths(root)) == set(_generators(_data())), "give a new command its arguments above"


def test_the_generated_lists_cover_every_kind_of_fact_and_every_path():
    from setguide.card.build import HOURS_CASES

    prefixes = {k.split(".")[0] for k, _ in KEYS}
    assert prefixes == {"contacts", "facts", "forums", "authorities", "districts", "quadrants", "frontdoors", "current"}
    assert len(KEYS) > 120
    ats = {r[r.index("--at") + 1] for _, r in RUNS if r[0] == "triage"}
    assert len(ats) >= len(HOURS_CASES) + 2


def test_a_refused_key_is_refused_with_its_reason(runner, monkeypatch):
    r, _ = runner
    monkeypatch.setenv("SETGUIDE_CONFIG_DIR", str(r.work))
    for (prefix, field), why in corrections.REFUSED_FIELDS.items():
        key = next((k for k, _ in _all_fields() if k.startswith(prefix + ".") and k.endswith("." + field)), None)
        if key is None:
            continue
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            assert cli.run(["data", "set", key, "x", "--source", "test"]) == 2
        assert "cannot be corrected locally" in err.getvalue() and why in " ".join(err.getvalue().split())


def _all_fields():
    raw = read_raw()
    for prefix, (file, array) in corrections.TABLES.items():
        if array:
            for t in raw[file].get(array, []):
                for name in t:
                    yield f"{prefix}.{t['id']}.{name}", t[name]


MARK = "LOCAL CORRECTION"


def _faults(r: Runner, key: str, value: str, baseline: dict) -> list[str]:
    """What is wrong with how `key`, corrected to `value`, shows in every run."""
    shutil.rmtree(r.work, ignore_errors=True)
    shutil.rmtree(r.state, ignore_errors=True)
    shutil.copytree(r.root / "baseline", r.work)
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = cli.run(["data", "set", key, value, "--source", "test: a changed value"])
    if code != 0:  # every key listed is correctable: refused ones are not listed
        return [f"data set refused it: {said.getvalue()}"]
    shutil.copytree(r.work, r.state)
    try:
        outputs = r.all()
    finally:
        shutil.rmtree(r.state, ignore_errors=True)
    faults = []
    for args, after in outputs.items():
        before = baseline[args]
        where = " ".join(args)
        mentioned = _mentions(after, key, args)
        if after == before:
            if mentioned:
                faults.append(f"{where}: marked but changed nothing shown")
            continue
        if not mentioned and not _explained(args, before, after, value, outputs, key):
            faults.append(f"{where}: changed the output but is not marked\n{_first_difference(before, after)}")
        faults += [f"{where}: {fault}" for fault in _unmarked_blocks(args, after, key, value)]
    return faults


# Values that read as nothing else, so a block that shows one shows the correction.
DISTINCT = ("(changed)", "@example.gov.uk", "example.gov.uk/changed", "01234 567890", "123456")
BLOCKS_CHECKED = [0]  # in this process (each worker counts its own)
BLOCKS = "blocks checked"


def _unmarked_blocks(args: tuple[str, ...], after: str, key: str, value: str) -> list[str]:
    """In text output, every block that shows the corrected value is followed by its mark
    (in full, or "(as above)") before the next block begins: not anywhere in the output."""
    if "--plain" not in args or args[0] == "data":
        return []
    shown = next((v for v in value.split(", ") if any(d in v for d in DISTINCT)), None)
    if shown is None:
        return []
    stdout = after.split("\n", 1)[1].split("\n--- ", 1)[0]  # the screen, not the files written
    faults = []
    for lines, cautions in conftest.text_blocks(stdout):
        if any(shown in line for line in lines):
            BLOCKS_CHECKED[0] += 1
            if not any(MARK in c and key in c for c in cautions):
                faults.append("a block shows the corrected value with no mark after it:\n" + "\n".join(lines))
    return faults


def _worker(job: tuple[Path, list[tuple[str, str]], dict]) -> dict[str, list[str]]:
    root, keys, baseline = job
    BLOCKS_CHECKED[0] = 0
    with pytest.MonkeyPatch.context() as mp:
        r = _prepare(root)
        _patch(mp, r)
        found = {key: _faults(r, key, value, baseline) for key, value in keys}
    clear_data_caches()
    return {**found, BLOCKS: BLOCKS_CHECKED[0]}


@pytest.fixture(scope="module")
def verdicts(runner, baseline, tmp_path_factory):
    """Every key's faults, the keys shared between as many processes as there are cores
    (two here): each key is independent of the others, and each worker has its own folder."""
    import multiprocessing
    import os

    workers = min(2, os.cpu_count() or 1)
    jobs = [(tmp_path_factory.mktemp(f"worker{i}"), KEYS[i::workers], baseline) for i in range(workers)]
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        parts = [_worker(job) for job in jobs]
    else:
        clear_data_caches()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_worker, jobs)
    found = {k: v for part in parts for k, v in part.items() if k != BLOCKS}
    found[BLOCKS] = sum(part[BLOCKS] for part in parts)
    return found


@pytest.mark.parametrize(("key", "value"), KEYS, ids=[k for k, _ in KEYS])
def test_a_correction_is_marked_wherever_it_changes_what_is_shown(key, value, verdicts):
    faults = verdicts[key]
    assert not faults, f"{key} = {value!r}:\n" + "\n".join(faults[:8])


def _mentions(output: str, key: str, args: tuple[str, ...]) -> bool:
    """The mark (in text, the card or a file), or the key in `local_corrections` (JSON).
    The `data` commands are the corrections themselves: they name the key."""
    if args[0] == "data" and args[1] != "keys":
        return re.search(rf"{re.escape(key)}\b", output) is not None
    record = output.partition("## Local corrections in force on this computer")[2]
    if re.search(rf"^- {re.escape(key)}:", record, re.M):
        return True  # a record lists every correction in force, as it should
    if re.search(rf"{MARK}[^\n]*{re.escape(key)}\b|{re.escape(key)}\b[^\n]*{MARK}", output):
        return True
    if "--json" in args:
        body = output.split("\n", 1)[1].rsplit("\n--- stderr ---", 1)[0].split("\n--- ", 1)[0]
        with contextlib.suppress(ValueError):
            return key in {c["key"] for c in _correction_lists(json.loads(body))}
    return False


def _correction_lists(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("local_corrections", "corrections") and isinstance(v, list):
                yield from (c for c in v if isinstance(c, dict) and "key" in c)
            else:
                yield from _correction_lists(v)
    elif isinstance(value, list):
        for v in value:
            yield from _correction_lists(v)


def _explained(args: tuple[str, ...], before: str, after: str, value: str, outputs: dict, key: str) -> bool:
    """Search ranks everything it knows: a corrected word can take a result out of the list
    (nothing left to mark). A result it shows, or finds by the corrected word, is marked: so
    only a search whose results are none of the key's, by their `found_by`, is explained."""
    if args[0] != "search" or (_shows(after, value) and not _shows(before, value)):
        return False
    as_json = tuple("--json" if a == "--plain" else a for a in args)
    body = outputs[as_json].split("\n", 1)[1].rsplit("\n--- stderr ---", 1)[0]
    return all(key not in r["found_by"] for r in json.loads(body)["results"])


def _shows(output: str, value: str) -> bool:
    flat = " ".join(output.split())
    return all(" ".join(v.split()) in flat for v in value.split(", ") if v)


def _first_difference(before: str, after: str) -> str:
    import difflib

    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    return "\n".join(lines[2:10])


def test_each_block_that_shows_a_corrected_value_was_checked(verdicts):
    """The per-block check read blocks of every kind of output: how many it read."""
    print(f"blocks checked for their mark: {verdicts[BLOCKS]}")
    assert verdicts[BLOCKS] > len(KEYS)


def test_memory_stays_flat_between_keys():
    """No cache keeps a loaded Data alive once cleared: what makes a long run possible."""
    import gc

    from setguide.model.records import Data

    def alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, Data))

    clear_data_caches()
    before = alive()
    for args in (["contacts"], ["quadrant", "Harlow"], ["search", "MASE"], ["triage", "--threat-to-life"]):
        with contextlib.redirect_stdout(io.StringIO()):
            cli.run(args)
        clear_data_caches()
    assert alive() <= before
