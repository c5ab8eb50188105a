"""The desk card says what the terminal says: the same plans with every step, note,
caution, contact and source; every local correction shown and marked where its fact
is; quotes only of the protocol; one answer for meeting dates; and safe writes.

In-process and without a browser (the browser's checks are in test_card.py)."""

from __future__ import annotations

import errno
import functools
import html
import json
import os
import re
from html.parser import HTMLParser

import pytest

from setguide import cli
from setguide.base import clock
from setguide.card import build
from setguide.model.data import get
from setguide.triage.tree import check_hours, tree_for
from tests.conftest import flag_args, frozen
from tests.test_provenance import QUOTED, in_protocol

AT = clock.parse_at("2026-11-30T09:00")


# --- reading the page ---------------------------------------------------------------------


BLOCK_TAGS = ("p", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "div")


class Units(HTMLParser):
    """The card's text by unit: each plan (article.plan) on its own, each section, header and
    footer without the plans inside; links (href) and the attributes of each plan."""

    SKIP = ("script", "style", "datalist", "noscript")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: dict[str, list[str]] = {}
        self.attrs: dict[str, dict[str, str]] = {}
        self.stack: list[tuple[str, str | None]] = []  # (tag, unit it opens)
        self.skip = 0
        self.links: list[str] = []

    def _unit(self) -> str | None:
        return next((u for _, u in reversed(self.stack) if u), None)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        unit = None
        if tag == "article" and a.get("class") == "plan":
            unit = a["id"]
            self.attrs[unit] = a
        elif tag in ("section", "header", "footer", "main"):
            unit = a.get("id") or tag
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("br", "meta", "input", "link", "option"):
            return
        self.stack.append((tag, unit))
        if unit:
            self.units.setdefault(unit, [])
        if tag in self.SKIP:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self._add(" ")

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag in self.SKIP:
                self.skip -= 1
            if open_tag == tag:
                break
        if tag in BLOCK_TAGS:
            self._add(" ")

    def _add(self, text: str) -> None:
        unit = self._unit()
        if unit is not None and not self.skip:
            self.units[unit].append(text)

    def handle_data(self, data):
        self._add(data)

    def text(self, unit: str) -> str:
        return fold("".join(self.units[unit]))


def fold(text: str) -> str:
    return " ".join(text.split())


def read(page: str) -> Units:
    u = Units()
    u.feed(page)
    return u


def card_page(at=AT) -> str:
    get.cache_clear()
    return build.build(get(), at)


@pytest.fixture(scope="module")
def page() -> str:
    return card_page()


def test_the_card_writes_to_standard_output(run):
    result = run("card", "--html", "-")
    assert result.code == 0, result.err
    assert result.out.startswith("<!doctype html>") and result.out.rstrip().endswith("</html>")


# --- one plan on every surface ---------------------------------------------------------------


def triage_args(answers: dict, at: str) -> list[str]:
    return [*flag_args(tree_for(get()).flags(), answers), "--at", at]


def missing_from_plans(page: str, run) -> dict[str, list[str]]:
    """For every path through the tree, what `setguide triage --json` gives that the card's
    plan for that path does not show: each step's text, note, contact label and value,
    items and source; each caution and citation; the title and the complement."""
    units = read(page)
    tree = tree_for(get())
    assert len(units.attrs) == len(tree.paths())
    missing: dict[str, list[str]] = {}
    for plan, a in units.attrs.items():
        answers = json.loads(a["data-answers"])
        result = run("triage", *triage_args(answers, a["data-at"]), "--json")
        assert result.code == 0, result.err
        expected = json.loads(result.out)
        assert a["data-outcome"] == expected["id"]
        # Words true only at the moment the plan was routed at are left out: a reader's moment is another.
        closing = max((q.closing_minutes for q in tree.nodes.values() if q.check), default=0)
        moment = list(check_hours(clock.parse_at(a["data-at"]), get(), closing)[1].values())
        cautions = [functools.reduce(lambda t, w: t.replace(w, ""), moment, c) for c in expected["cautions"]]
        wanted = [f"{expected['outcome']}: {expected['title']}", expected["complement"], *cautions]
        wanted += expected["citations"]
        for step in expected["steps"]:
            wanted += [step["text"], f"[{step['source']}]", *step["items"]]
            wanted += [c["value"] for c in step["contacts"]] + [c["label"] for c in step["contacts"]]
            if step["note"]:
                note = step["note"]["text"]
                # A note that already says whose it is ("setguide's reading: ...") is not labelled twice.
                wanted.append(note if note.startswith("setguide") else f"{step['note']['source']}: {note}")
            # What to type at a terminal stands in an aside after the step, never on paper.
            wanted += [f"In the terminal, the same with a flag: {f}" for f in step["flags"]]
            if step["commands"]:
                wanted.append("In the terminal, to record a date: " + "; ".join(step["commands"]))
        shown = units.text(plan)
        gone = [w for w in wanted if fold(w) not in shown]
        if gone:
            missing[plan] = gone
    return missing


def test_every_plan_says_all_that_triage_json_says_for_its_path(page, run):
    assert missing_from_plans(page, run) == {}


def test_a_dropped_note_would_be_noticed(page, run):
    """Take one step's note out of the page: every plan that gives it is then found wanting."""
    result = run("triage", "--no-threat-to-life", "--no-offence", "--level", "strategic", "--json")
    notes = [s["note"]["text"] for s in json.loads(result.out)["steps"] if s["note"]]
    note = next(n for n in notes if not re.search(r"\d|@", n))  # one in a single piece of the page's text
    assert html.escape(note, quote=False) in page
    missing = missing_from_plans(page.replace(html.escape(note, quote=False), ""), run)
    assert missing and all(f"setguide: {note}" in gone for gone in missing.values())


def test_every_quoted_passage_on_the_card_is_the_protocols(page):
    units = read(page)
    false = []
    for unit, text in _by_unit(page).items():  # each part of the page, and the place box's answers
        for m in QUOTED.finditer(text):
            quoted = next(g for g in m.groups() if g is not None)
            if not in_protocol(quoted):
                false.append((unit, quoted))
    assert not false
    # The complement sentence is setguide's paraphrase: cited, never in quote marks.
    complement = get().facts["procedures"]["complement"]
    assert complement in units.text("footer")
    assert f"“{complement!s}”" not in units.text("footer")


def test_hours_are_decided_by_the_readers_clock_said_once(page):
    assert page.count("by the clock of the computer showing this page") == 1
    assert "example moment" not in page
    assert not re.search(r"\(in \d+ minutes?\)", page)  # true only at the moment a plan was routed at


# --- local corrections ------------------------------------------------------------------------

from tests.test_trust_marks import KEYS  # noqa: E402  (the generated list of correctable keys)

UNCONFIRMED = re.compile(r"Caution: setguide: (named contacts are as the protocol gives them|\S+ SPOC details)[^.]*\.")
MARKED = "LOCAL CORRECTION"


def _by_unit(page: str) -> dict[str, str]:
    """The text of each unit of the page, and of the place box's answers (kept in the page's data)."""
    units = read(page)
    shown = {u: fold(UNCONFIRMED.sub("", units.text(u))) for u in units.units}
    data = page.split('<script type="application/json" id="card-data">', 1)[1].split("</script>", 1)[0]
    pieces = " ".join(json.loads(data.replace("<\\/", "</"))["pieces"])
    text = re.sub(r"<[^>]+>", " ", re.sub(r"</?(span|a|strong|code)\b[^>]*>", "", pieces))  # inline tags: no space
    shown["place-box"] = fold(UNCONFIRMED.sub("", html.unescape(text)))
    return shown


@pytest.fixture(scope="module")
def baseline(page) -> dict[str, str]:
    return _by_unit(page)


def test_every_correctable_key_is_covered():
    assert len(KEYS) > 120


@pytest.mark.slow  # one card per key: about a quarter of a second each, some 190 keys
@pytest.mark.parametrize(("key", "value"), KEYS, ids=[k for k, _ in KEYS])
def test_the_card_builds_and_marks_every_correction_where_it_shows_the_fact(key, value, baseline, capsys):
    code = cli.run(["data", "set", key, value, "--source", "test: a changed value"])
    said = capsys.readouterr()
    if code != 0:
        assert code in (1, 2), said
        pytest.skip(f"refused: {said.err.strip()[:120]}")
    after = _by_unit(card_page())
    assert f"{MARKED} on this computer: {key} is" in after["main"]  # the list of corrections in force
    changed = []
    for unit, text in after.items():
        if unit == "main":
            continue
        before = baseline.get(unit, "")
        named = re.search(rf"{MARKED}( on this computer)?: {re.escape(key)}\b", text) is not None
        if text == before:
            assert not named, f"{unit}: {key} is marked but changed nothing shown"
            continue
        changed.append(unit)
        assert named, f"{unit}: {key} changed what is shown but is not marked there"
    # Where the card changed, it shows the corrected value (each item of a corrected list).
    if changed:
        where = " ".join(after[u] for u in changed)
        assert all(fold(v) in where for v in value.split(", ") if v), (key, changed)


def test_a_corrected_address_is_text_not_a_link(capsys):
    with frozen():
        assert (
            cli.run(["data", "set", "facts.sharing_form.url", "https://www.example.gov.uk/form", "--source", "t"]) == 0
        )
        capsys.readouterr()
        page = card_page()
    units = read(page)
    assert "https://www.example.gov.uk/form" in units.text("at-a-glance")
    assert "https://www.example.gov.uk/form" not in units.links
    assert get().facts["procedures"]["url"] in units.links  # the protocol's own still are


# --- one answer for dates ---------------------------------------------------------------------


def test_a_recorded_date_is_the_same_in_forum_entries_plans_and_meeting_table(run):
    assert run("forums", "add-date", "thurrock-mace", "2026-12-03").code == 0
    units = read(card_page())
    forums = units.text("forums")
    entry = forums.split("Thurrock MACE Thurrock Multi Agency", 1)[1].split("Source:", 1)[0]
    assert "Date recorded Thu 3 Dec 2026 Next meeting Thu 3 Dec 2026" in entry
    assert "none recorded" not in entry
    assert "Thu 3 Dec 2026 time not known Thurrock MACE recorded" in forums.split("Meetings from", 1)[1]
    # Every plan that names the forum, routed at a moment before the date (a plan for a bank
    # holiday is routed at the next one, after it), gives that date as the next meeting.
    named = [p for p, a in units.attrs.items() if "Thurrock MACE (" in units.text(p) and a["data-at"] < "2026-12-03"]
    assert len(named) >= 7  # every potential-information plan for Thurrock, and the urgent plans' Also
    for plan in named:
        text = units.text(plan)
        assert text.count("Thurrock MACE (") == text.count("Thurrock MACE (every six weeks; next Thu 3 Dec 2026")


def test_without_recorded_dates_no_reader_is_told_to_type_a_command(page):
    units = read(page)
    for unit in units.units:
        text = units.text(unit)
        # Each command stands in an aside that says it is for the terminal.
        for aside in re.split(r"(?=In the terminal)", text):
            if aside.startswith("In the terminal"):
                aside = aside.split(". ", 1)[-1] if ". " in aside else ""
            m = re.search(r"setguide (forums|triage|contacts|quadrant|data)\b", aside)
            assert m is None, (
                unit,
                aside[m.start() - 60 : m.end() + 40],
            )


# --- the printed decision ---------------------------------------------------------------------


def front_doors(data) -> list[str]:
    """Each council's front door numbers (named sources); the protocol's link where it has none."""
    found: list[str] = []
    for a in data.authorities.values():
        door = data.front_doors.get(a.id)
        found += [door.office_phone, door.out_of_hours_phone] if door else [a.child_protection_page]
    return found


def test_the_decision_names_each_case_and_whom_it_goes_to(page, data):
    decision = read(page).text("decision")
    f = data.facts
    for value in (
        f["emergency"]["number"],
        f["triage_line"]["number"],
        *f["triage_line"]["extensions"],
        f["out_of_hours"]["team"],
        f["sharing_form"]["name"],
        f["triage_email"]["address"],
        *front_doors(data),
        "SET CSE Strategic Group",
        "names no contact for the group",
    ):
        assert fold(value) in decision, value
    # Strategic: share it with Essex Police [§1]; the SPOC table's DI is no contact for the group.
    assert fold(data.contacts["essex-police"].display_name) not in decision
    units = read(page)
    assert not any("Name a district" in units.text(u) for u in units.units)


# --- safe writes ------------------------------------------------------------------------------


def test_an_existing_card_is_replaced_only_with_force(run, tmp_path):
    target = tmp_path / "card.html"
    target.write_text("old card")
    result = run("card", "--html", str(target))
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert target.read_text() == "old card"
    assert run("card", "--html", str(target), "--force").code == 0
    assert target.read_text().startswith("<!doctype html>")


def test_a_card_is_never_written_through_a_link_or_into_a_pipe(run, tmp_path):
    victim = tmp_path / "elsewhere.txt"
    victim.write_text("not a card")
    link = tmp_path / "card.html"
    link.symlink_to(victim)
    for extra in ((), ("--force",)):
        result = run("card", "--html", str(link), *extra)
        assert result.code != 0 and "link, a device or a pipe" in result.err
    assert victim.read_text() == "not a card" and link.is_symlink()
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    result = run("card", "--html", str(fifo), "--force")  # returns: it never opens the pipe
    assert result.code != 0 and "link, a device or a pipe" in result.err


def test_a_failed_write_leaves_the_old_card_whole(run, tmp_path, monkeypatch):
    target = tmp_path / "card.html"
    target.write_text("old card")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run("card", "--html", str(target), "--force")
    assert result.code == 1
    assert "No space left on device" in result.err and "Traceback" not in result.err
    assert target.read_text() == "old card"
    assert [p.name for p in tmp_path.iterdir()] == ["card.html"]  # no temporary file left


def test_a_new_card_is_readable_for_a_shared_desk(run, tmp_path):
    target = tmp_path / "card.html"
    old = os.umask(0o022)
    try:
        assert run("card", "--html", str(target)).code == 0
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_closed_standard_output_is_a_clean_error(capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "stdout", None)
    with frozen():
        code = cli.run(["card", "--html", "-"])
    err = capsys.readouterr().err
    assert code == 1
    assert "standard output is closed" in err and "Traceback" not in err


def test_both_to_standard_output_is_refused(run):
    result = run("card", "--html", "-", "--pdf", "-")
    assert result.code == 2


def test_a_file_in_the_way_is_found_before_any_printing(run, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no Chromium: the file is checked first all the same
    monkeypatch.delenv("SETGUIDE_CHROMIUM", raising=False)
    target = tmp_path / "card.pdf"
    target.write_bytes(b"%PDF old")
    result = run("card", "--pdf", str(target))
    assert result.code == 2 and "already exists" in result.err
    assert target.read_bytes() == b"%PDF old"


def test_html_and_pdf_to_one_file_is_refused(run, tmp_path):
    result = run("card", "--html", str(tmp_path / "card"), "--pdf", str(tmp_path / "." / "card"))
    assert result.code == 2 and "same file" in result.err
    assert not (tmp_path / "card").exists()


# --- views are asked, never cut ---------------------------------------------------------------


def test_views_give_the_card_what_it_asks_for_and_the_terminal_all_of_it(data):
    """The card asks `quadrant` for paper and `forums` without commands; the terminal's
    documents keep both. Nothing on the card depends on a view's wording."""
    from setguide.forums.view import forums_doc, pick
    from setguide.output.blocks import Command, Heading, Para
    from setguide.places.resolve import resolve
    from setguide.places.view import quadrant_doc

    essex = resolve(data, "Essex")
    terminal, paper = quadrant_doc(data, essex), quadrant_doc(data, essex, paper=True)
    assert len(paper) == len(terminal) - 2 and not any(isinstance(b, Heading) for b in paper)
    assert [b for b in terminal if isinstance(b, Para)] and not [b for b in paper if isinstance(b, Para)]
    full, page = forums_doc(data, pick(data), {}, AT), forums_doc(data, pick(data), {}, AT, commands=False)
    assert any(isinstance(b, Command) for b in full) and not any(isinstance(b, Command) for b in page)
    assert full[: len(page)] == page


def test_the_next_meetings_on_paper_name_no_command_and_on_screen_keep_them(run, data):
    """Paper asks `forums --next` for the next meeting of each forum without commands; the
    terminal's list keeps how to see the rest and how to add a date."""
    from setguide.forums import meetings, schedule
    from setguide.forums.view import next_doc
    from setguide.output.blocks import Command

    forums = list(data.forums.values())
    for forum in forums[: len(forums) // 2]:  # the others have no date: the add-date hint
        assert run("forums", "add-date", forum.id, "01/12/2026", "--time", "10:00").code == 0
    some = meetings.load(data).schedules
    found = schedule.next_meetings(some.values(), AT, 90)
    terminal = next_doc(data, found, forums, some, AT, 90, limit=1)
    paper = next_doc(data, found, forums, some, AT, 90, limit=1, commands=False)
    assert sum(isinstance(b, Command) for b in terminal) >= 2
    assert not any(isinstance(b, Command) for b in paper)
    assert len(paper) < len(terminal) and paper[:2] == terminal[:2]  # the same meetings, first


def test_the_cards_cautions_are_placed_by_their_kind_and_source_not_their_words(monkeypatch):
    """Reword the named-source line and the SPOC caution: the card still says each named page
    once (Southend's with and without www is one page) and the SPOC caution once, below the
    four, and the decision table still points to the front doors for their sources."""
    from setguide.model import marks

    monkeypatch.setattr(marks, "source_text", lambda s: f"Read elsewhere ({s.title}), {s.url}.")
    monkeypatch.setattr(marks, "UNCONFIRMED", "setguide: check every named contact before use.")
    try:
        page = card_page()
    finally:
        get.cache_clear()
    units = {k: fold(" ".join(v)) for k, v in read(page).units.items()}
    doors, contacts = units["front-doors"], units["contacts"]
    said = re.findall(r"Read elsewhere \((.+?)\), https?://", doors)
    assert said and len(said) == len(set(said))
    assert sum(t.startswith("Southend City Council") for t in said) == 1
    assert contacts.count("check every named contact before use") == 1
    assert contacts.rindex("check every named contact before use") > contacts.rindex("Essex Police SPOC")
    assert "Read elsewhere" not in units["decision"]
