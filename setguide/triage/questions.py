"""The tree's questions, read from tree.toml by one function (`question`), which both the
whole tree's loader and the threat-first question use: the first question a user sees
is checked by the same rules as every other, before the rest of the data is loaded.

Kept light on purpose: it imports the validator's `Node` and no data, so asking the
threat-to-life question costs no more than reading its words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from setguide.model.cache import read_toml
from setguide.model.validate import Node

TREE_FILE = "tree.toml"
KINDS = ("yesno", "choice", "place", "check")
OUTSIDE = "outside"
NOT_SURE = "not-sure"
# Computed checks and the results each can give; the tree must branch on exactly these.
CHECKS = {"triage-hours": ("in-hours", "closing-soon", "bank-holiday", "out-of-hours")}


class Branch(NamedTuple):
    value: str
    label: str
    next: str
    detail: str = ""  # the plain meaning of a short label, shown beside it
    example: str = ""  # one example of what fits this choice, in the protocol's words


class Question(NamedTuple):
    """A node of the tree: asked (yesno, choice, place) or computed (check)."""

    id: str
    kind: str
    answer: str | None
    flag: str | None
    text: str
    section: str
    branches: tuple[Branch, ...]
    check: str | None = None
    closing_minutes: int = 0
    hint: str = ""

    def branch(self, value: str) -> Branch:
        return next(b for b in self.branches if b.value == value)

    @property
    def asked(self) -> bool:
        return self.kind != "check"


def question(n: Node, section_of: Callable[[Node], str], data: Any = None) -> Question:
    """One [[node]] of tree.toml, checked field by field. `data` (the loaded protocol data)
    checks what names its facts: themes, authorities; without it only a question that
    names none (a yes/no) can be read."""
    qid = n.str("id")
    kind = n.one_of("kind", KINDS)
    check = n.one_of("check", CHECKS) if kind == "check" else None
    answer = None if kind == "check" else n.str("answer")
    flag = None if kind == "check" else n.str("flag")
    branches = []
    for b in n.tables("branch"):
        value = b.str("value")
        if data is not None and answer == "theme" and value not in data.themes and value != NOT_SURE:
            raise b.error("value", f"unknown theme {value!r} (known: {', '.join([*data.themes, NOT_SURE])})")
        label = b.str("label", optional=True) or _default_label(kind, value, data, b)
        detail = b.str("detail", optional=True) or _default_detail(value, data)
        example = b.str("example", optional=True) or ""
        branches.append(Branch(value, label, b.str("next"), detail, example))
    no_duplicates(n, "branch", [b.value for b in branches])
    _check_branch_values(n, kind, check, [b.value for b in branches], data)
    closing = n.get("closing_minutes", int) if check == "triage-hours" else 0
    hint = n.str("hint", optional=True) or ""
    return Question(qid, kind, answer, flag, n.str("text"), section_of(n), tuple(branches), check, closing, hint)


def first_question(path: Path) -> Question:
    """The tree's start node, read and checked by `question` alone: the first question,
    asked while the rest loads. A DataError when it cannot be read without the data
    (the wizard then asks it in the usual way, once the data is in)."""
    doc = Node(TREE_FILE, "", read_toml(path))
    start = doc.table("tree").str("start")
    node = next((n for n in doc.tables("node") if n.raw.get("id") == start), None)
    if node is None:
        raise doc.error("tree.start", f"unknown node {start!r}")
    return question(node, lambda n: n.str("section"))


def _default_label(kind: str, value: str, data: Any, b: Node) -> str:
    if kind == "yesno":
        return value.capitalize()
    if data is None:
        raise b.error("label", "missing (a choice's label is read with the data)")
    if kind == "place":
        return data.authorities[value].name if value in data.authorities else "Outside SET"
    if value in data.themes:
        return data.themes[value].label
    raise b.error("label", "missing")


def _default_detail(value: str, data: Any) -> str:
    return data.themes[value].description if data is not None and value in data.themes else ""


def _check_branch_values(n: Node, kind: str, check: str | None, values: list[str], data: Any) -> None:
    if data is None and kind not in ("yesno", "check"):
        raise n.error("kind", f"a {kind} question is read with the data")
    expected: tuple[str, ...] | None = {
        "yesno": ("yes", "no"),
        "place": (*data.authorities, OUTSIDE) if data is not None else (),
        "check": CHECKS.get(check or "", ()),
    }.get(kind)
    if expected is not None and sorted(values) != sorted(expected):
        raise n.error("branch", f"must branch on exactly: {', '.join(expected)} (found: {', '.join(values)})")
    if not values:
        raise n.error("branch", "is empty")
    if kind == "choice" and n.raw.get("answer") == "theme":
        for i, v in enumerate(values):
            if v not in data.themes and v != NOT_SURE:
                raise n.error(
                    f"branch[{i}].value", f"unknown theme {v!r} (known: {', '.join([*data.themes, NOT_SURE])})"
                )


def no_duplicates(n: Node, key: str, values: list[str]) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise n.error(key, f"duplicate {v!r}")
        seen.add(v)
