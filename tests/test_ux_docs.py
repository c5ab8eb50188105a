"""docs/cli.md is the app's own help: regenerate it and compare."""

from __future__ import annotations

from setguide import cli
from tests.conftest import ROOT


def test_the_cli_reference_matches_the_app():
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == cli.reference(), (
        "docs/cli.md is out of date: run  .venv/bin/python -m setguide.cli reference > docs/cli.md"
    )


def test_the_cli_reference_holds_every_command():
    text = cli.reference()
    for heading in (
        "## setguide triage",
        "## setguide quadrant",
        "## setguide forums add-date",
        "## setguide data set",
    ):
        assert heading in text
