"""Every test the hazard log names exists, so a mitigation cannot lose its guard unnoticed."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

LOG = ROOT / "docs" / "hazards.md"


def named_tests() -> set[tuple[str, str]]:
    return set(re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", LOG.read_text(encoding="utf-8")))


def test_every_hazard_names_a_test():
    rows = [line for line in LOG.read_text(encoding="utf-8").splitlines() if re.match(r"\| H\d+ \|", line)]
    assert len(rows) >= 15
    for row in rows:
        assert "tests/test_" in row, row


def test_every_named_test_exists():
    missing = []
    for path, name in sorted(named_tests()):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        if name not in names:
            missing.append(f"{path}::{name}")
    assert missing == []
