"""`triage --record`: a private Markdown record of exactly what was shown."""

from __future__ import annotations

import re
import stat

import pytest

from setguide.model import data as data_module

ARGS = ["triage", "--no-threat-to-life", "--offence", "--urgent", "--area", "Harlow", "--at", "2026-12-01T10:00"]


@pytest.fixture(autouse=True)
def _fresh():
    data_module.get.cache_clear()
    yield
    data_module.get.cache_clear()


def shown_block(record: str) -> str:
    return re.search(r"```text\n(.*?)\n```", record, re.S).group(1)


def test_the_record_holds_what_was_shown_and_nothing_else(run, tmp_path):
    path = tmp_path / "decision.md"
    result = run(*ARGS, "--record", str(path))
    assert result.code == 0
    assert f"Record written: {path}" in result.err
    record = path.read_text()
    assert shown_block(record) == result.out.rstrip("\n")
    assert "Tue 1 Dec 2026 10:00 GMT" in record
    assert "Is there an immediate threat to life or safety? **No**" in record
    assert "Where in Southend, Essex or Thurrock is the concern? **Harlow**" in record
    assert "180022" in record and "OC.triage.team.essex@essex.pnn.police.uk" in record
    assert "setguide 0.1.0" in record and "data edition" in record
    assert "- §1" in record
    # Outside the copy of the screen, only setguide's own headings, the answers and citations.
    rest = record.replace(shown_block(record), "")
    assert set(re.findall(r"^#+ .*", rest, re.M)) == {
        "# setguide triage record",
        "## Questions and answers",
        "## Outcome: POLICE-URGENT",
        "## Citations",
    }


def test_the_record_is_private_and_never_overwritten(run, tmp_path):
    path = tmp_path / "decision.md"
    assert run(*ARGS, "--record", str(path)).code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_text()
    again = run(*ARGS[:-1], "2026-12-01T19:00", "--record", str(path))
    assert again.code == 2
    assert "already exists" in again.err and "never overwrites" in again.err
    assert "101" in again.out  # the advice is shown before the record is refused
    assert path.read_text() == before


def test_a_folder_gets_a_new_file_named_by_the_moment(run, tmp_path):
    assert run(*ARGS, "--record", str(tmp_path)).code == 0
    (made,) = tmp_path.glob("setguide-triage-*.md")
    assert made.name == "setguide-triage-20261201-100000.md"


def test_an_emergency_record(run, tmp_path):
    path = tmp_path / "e.md"
    result = run("triage", "--threat-to-life", "--record", str(path))
    assert result.code == 0
    record = path.read_text()
    assert "## Outcome: EMERGENCY" in record and "999" in record


def test_a_record_that_cannot_be_written_still_leaves_the_advice(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run(*ARGS, "--record", str(blocker / "decision.md"))
    assert result.code == 1
    assert "180022" in result.out
    assert "record not written" in result.err and "Traceback" not in result.err


def test_local_corrections_are_marked_in_triage_and_in_the_record(run, tmp_path):
    assert run("data", "set", "facts.triage_line.extensions", "180022, 180099", "--source", "Force notice").code == 0
    data_module.get.cache_clear()
    path = tmp_path / "d.md"
    result = run(*ARGS, "--record", str(path))
    assert result.code == 0
    assert "LOCAL CORRECTION" in result.out and "180099" in result.out and "Force notice" in result.out
    record = path.read_text()
    assert "## Local corrections in force on this computer" in record
    assert "facts.triage_line.extensions" in record


def test_a_long_record_path_is_echoed_whole(run, tmp_path):
    """The user must find the record: its path is said whole, however long, on one line."""
    folder = tmp_path / ("a-folder-with-a-long-name-" * 4)
    folder.mkdir()
    path = folder / "decision.md"
    result = run(*ARGS, "--record", str(path))
    assert result.code == 0 and path.exists()
    assert f"Record written: {path}\n" in result.err
