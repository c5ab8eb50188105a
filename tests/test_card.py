"""The desk card: one offline HTML page (and its A4 print) with the same plans as `setguide triage`.

The fast tests read the built page; the slow ones open it in a real headless
Chromium (from the system's packages, installed by tools/install-browser.sh)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = Path(os.environ.get("SETGUIDE_AXE", Path.home() / ".cache" / "setguide-test" / "node_modules" / "axe-core"))
KEY_VALUES = ("999", "180022", "180043", "OC.triage.team.essex@essex.pnn.police.uk")


# --- reading the page without a browser ----------------------------------------------------


@pytest.fixture(scope="module")
def card(tmp_path_factory) -> Path:
    """The card as built on a Tuesday morning (the page is the same at any hour of that day)."""

    from setguide import cli
    from tests.conftest import frozen

    path = tmp_path_factory.mktemp("card") / "desk-card.html"
    with frozen():  # built at the suite's moment, not the day it runs
        assert cli.run(["card", "--html", str(path)]) == 0
    return path


def plans_in(path: Path) -> list[dict]:
    from tests.test_card_doc import read

    units = read(path.read_text(encoding="utf-8"))
    return [{"attrs": a} for a in units.attrs.values()]


def triage_json(run, answers: dict, at: str) -> dict:
    from tests.test_card_doc import triage_args

    result = run("triage", *triage_args(answers, at), "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


# --- one source of truth (every plan against triage --json: tests/test_card_doc.py) -----------


def test_the_card_shows_every_hours_case_of_the_urgent_route(card):
    timings = {json.loads(p["attrs"]["data-answers"]).get("urgent"): None for p in plans_in(card)}
    assert True in timings
    html = card.read_text(encoding="utf-8")
    for case in ("in-hours", "closing-soon", "bank-holiday", "out-of-hours"):
        assert f'data-value="{case}"' in html
    assert "Monday to Friday, 08:00 to 18:00" in html


def test_the_card_loads_nothing_and_links_only_to_the_protocol(card, data):
    from setguide.card.build import protocol_links

    class Refs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.refs: list[tuple[str, str, str]] = []

        def handle_starttag(self, tag, attrs):
            for k, v in attrs:
                if k in ("src", "href", "srcset", "action", "data", "poster") and v is not None:
                    self.refs.append((tag, k, v))

    html = card.read_text(encoding="utf-8")
    refs = Refs()
    refs.feed(html)
    assert all(k == "href" and tag == "a" for tag, k, _ in refs.refs)  # no src: nothing is fetched
    external = {v for _, _, v in refs.refs if not v.startswith("#")}
    assert external and external <= protocol_links(data)
    assert "default-src 'none'" in html and "@import" not in html and "url(" not in html


def test_card_needs_a_target(run):
    result = run("card")
    assert result.code == 2
    assert "--html" in result.err


def test_pdf_without_chromium_says_how_to_get_it(run, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SETGUIDE_CHROMIUM", raising=False)
    result = run("card", "--pdf", str(tmp_path / "card.pdf"))
    assert result.code == 1
    assert "apt-get install chromium" in result.err
    assert not (tmp_path / "card.pdf").exists()


# --- in a real browser ---------------------------------------------------------------------------


# Where the one install step (tools/install-browser.sh, which make test runs first) could
# not install what the browser tests need (no apt-get, not root, offline), they skip, saying so.
NO_BROWSER = (
    "Chromium, chromedriver or poppler is not installed here, and tools/install-browser.sh could not install "
    "them (it says why: no apt-get, not root, or offline); run it where it can to run these tests"
)


def _chromium() -> str | None:
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None)


@pytest.fixture(scope="module")
def browser():
    chromium, driver_path = _chromium(), shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.skip(NO_BROWSER)
    webdriver = pytest.importorskip("selenium.webdriver", reason=f"selenium is not installed: {NO_BROWSER}")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--force-color-profile=srgb"):
        options.add_argument(arg)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def _open(browser, card: Path, width: int, height: int = 1000) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    browser.get(card.as_uri())
    browser.get_log("performance")  # from here on, only what the page itself asks for


def _choose(browser, *values: str):
    """Open the answers in turn, as a keyboard user would (focus a summary, press Enter)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    scope = browser.find_element(By.ID, "triage")
    for value in values:
        details = scope.find_element(By.CSS_SELECTOR, f':scope > .question > details[data-value="{value}"]')
        details.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
        assert details.get_attribute("open") is not None
        scope = details
    return scope.find_element(By.CSS_SELECTOR, ":scope > article.plan")


PATHS = [
    ("yes",),
    ("no", "yes", "yes", "out-of-hours"),
    ("no", "yes", "no"),
    ("no", "no", "potential"),
    ("no", "no", "strategic"),
]


@pytest.mark.slow
@pytest.mark.browser
def test_a_reader_finds_the_plans_by_opening_answers(browser, card, run):
    from selenium.webdriver.common.by import By

    _open(browser, card, 1280)
    for values in PATHS:
        scope = browser.find_element(By.ID, "triage")
        for v in values:
            scope = scope.find_element(By.CSS_SELECTOR, f':scope > .question > details[data-value="{v}"]')
        # Where the tree asks more (an area, a theme), take the first answer of each question.
        chosen = list(values)
        while not scope.find_elements(By.CSS_SELECTOR, ":scope > article.plan"):
            scope = scope.find_element(By.CSS_SELECTOR, ":scope > .question > details")
            chosen.append(scope.get_attribute("data-value"))
        browser.get(card.as_uri())
        plan = _choose(browser, *chosen)
        assert plan.is_displayed()
        answers = json.loads(plan.get_attribute("data-answers"))
        expected = triage_json(run, answers, plan.get_attribute("data-at"))
        text = plan.text
        assert expected["title"] in text
        for step in [s for p in ("now", "also", "then", "steps") for s in expected.get(p, [])]:
            assert step["text"] in text
            for c in step.get("contacts") or []:
                assert c["value"] in text


@pytest.mark.slow
@pytest.mark.browser
def test_key_values_are_visible_and_nothing_is_fetched(browser, card):
    from selenium.webdriver.common.by import By

    _open(browser, card, 1280)
    _choose(browser, "no", "yes", "yes", "in-hours")
    body = browser.find_element(By.TAG_NAME, "body").text
    for value in KEY_VALUES:
        assert value in body
    assert browser.find_element(By.CSS_SELECTOR, "header .big").text == "999"
    requests = [
        json.loads(e["message"])["message"]["params"].get("request", {}).get("url")
        for e in browser.get_log("performance")
        if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    browser.get(card.as_uri())
    loads = [
        json.loads(e["message"])["message"]["params"]["request"]["url"]
        for e in browser.get_log("performance")
        if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    assert requests == []
    assert loads == [card.as_uri()]  # the page itself, and nothing it asks for


@pytest.mark.slow
@pytest.mark.browser
def test_the_place_box_answers_as_setguide_quadrant_does(browser, card, run):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, card, 1280)
    for place in ("Harlow", "Stanway", "Grays", "London"):
        box = browser.find_element(By.ID, "place")
        box.clear()
        box.send_keys(place, Keys.ENTER)
        shown = browser.find_element(By.ID, "place-answer").text
        expected = run("quadrant", place, "--plain")
        assert expected.code == 0
        for line in expected.out.splitlines():
            if line.strip() and not line.startswith(("- ", "Source:")):
                # A command to type at a terminal becomes the card's part that shows the same.
                line = line.replace("(setguide contacts)", "(Single points of contact, on this card)")
                assert line.split(": ", 1)[-1] in shown, (place, line)
        assert "setguide contacts" not in shown


# What the terminal answers a name it cannot place at once: a suggestion for a misspelling,
# a choice between places that share a name, advice for a postcode.
PLACE_PROBLEMS = (
    "Colchster",
    "Grays Thurock",
    "Thorpe",
    "Victoria",
    "CM20 1AB",
    "rm17",
    "Canvy Island",
    "Saffron",
    "Lakside Thurrock",
    "Thurock Grays",
    "Bilericay",
    "xyzzy",
)


@pytest.mark.slow
@pytest.mark.browser
def test_the_place_box_suggests_chooses_and_explains_as_the_terminal_does(browser, card, data):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from setguide.places.resolve import lookup

    _open(browser, card, 1280)
    for text in PLACE_PROBLEMS:
        box = browser.find_element(By.ID, "place")
        box.clear()
        box.send_keys(text, Keys.ENTER)
        answer = browser.find_element(By.ID, "place-answer")
        offered = [b.get_attribute("data-place") for b in answer.find_elements(By.CSS_SELECTOR, "button[data-place]")]
        problem = lookup(data, text).problem
        assert problem is not None
        assert offered == problem.candidates, text  # the same names, in the same order
        shown = answer.text
        if problem.ambiguous:
            assert f"More than one place is called {text}" in shown
        elif not problem.candidates and "postcode" in problem.message:
            assert f"{text.upper()} is a postcode" in shown and problem.hint in shown
        else:
            assert "Not in this card" in shown and "type: outside SET" in shown
        assert "setguide " not in shown.replace("setguide knows", "")  # no command to type
    # A suggestion or a choice answers when chosen, as the name typed would.
    box = browser.find_element(By.ID, "place")
    box.clear()
    box.send_keys("Thorpe", Keys.ENTER)
    browser.find_element(By.CSS_SELECTOR, '#place-answer button[data-place="Thorpe, Tendring"]').click()
    assert "North Quadrant" in browser.find_element(By.ID, "place-answer").text
    for text, quadrant in (
        ("Grays Thurrock", "not in an Essex MACE quadrant"),
        ("Thorpe (Tendring)", "North Quadrant"),
    ):
        box = browser.find_element(By.ID, "place")
        box.clear()
        box.send_keys(text, Keys.ENTER)
        assert quadrant in browser.find_element(By.ID, "place-answer").text, text


@pytest.mark.slow
@pytest.mark.browser
def test_no_place_answer_names_a_terminal_command(browser, card):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, card, 1280)
    for text in ("Ipswich", "outside SET", "London"):
        box = browser.find_element(By.ID, "place")
        box.clear()
        box.send_keys(text, Keys.ENTER)
        shown = browser.find_element(By.ID, "place-answer").text
        assert "outside Southend, Essex and Thurrock" in shown
        assert "(setguide" not in shown and "Single points of contact, on this card" in shown


@pytest.mark.slow
@pytest.mark.browser
def test_the_clock_marks_one_hours_case(browser, card):
    from selenium.webdriver.common.by import By

    _open(browser, card, 1280)
    marked = browser.find_elements(By.CSS_SELECTOR, "[data-check] summary .now")
    assert len(marked) == 1
    assert "by your computer" in marked[0].get_attribute("textContent")


def _axe(browser) -> list[dict]:
    source = AXE / "axe.min.js"
    if not source.is_file():
        pytest.skip(
            f"axe-core is not installed at {source}: tools/install-browser.sh could not install it (no npm, or offline)"
        )
    browser.execute_script(source.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']}}).then(function (r) { done(r.violations); });"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in result]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 320])
def test_accessible_at_desk_and_phone_widths_with_every_answer_open(browser, card, width):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, card, width)
    browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
    browser.find_element(By.ID, "place").send_keys("Thorpe", Keys.ENTER)  # an answer with choices to press
    assert browser.find_elements(By.CSS_SELECTOR, "#place-answer button[data-place]")
    assert _axe(browser) == []
    # Nothing but a data table may scroll sideways: the page reflows to the width.
    overflow = browser.execute_script(
        "var w = document.documentElement.clientWidth, r = [];"
        "document.querySelectorAll('body *').forEach(function (e) {"
        " if (e.getBoundingClientRect().right > w + 1 && !e.closest('.scroll')) r.push(e.textContent.slice(0, 40)); });"
        "return r;"
    )
    assert overflow == []


@pytest.mark.slow
@pytest.mark.browser
def test_200_percent_zoom_reflows(browser, card):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 2, "mobile": False}
    )
    browser.get(card.as_uri())
    # 200 % zoom of a 1280 px window lays the page out 640 CSS px wide.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 640, "height": 450, "deviceScaleFactor": 2, "mobile": False}
    )
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 640


@pytest.mark.slow
@pytest.mark.browser
def test_screenshots_at_1280_and_320(browser, card, tmp_path):
    """Saved for the README when SETGUIDE_SCREENSHOTS names a folder (docs/), else kept with the test."""
    target = Path(os.environ.get("SETGUIDE_SCREENSHOTS") or tmp_path)
    for width in (1280, 320):
        _open(browser, card, width, 1100 if width == 1280 else 1400)
        _choose(browser, "no", "yes", "yes", "in-hours")
        browser.execute_script("window.scrollTo(0, 0)")
        path = target / f"card-{width}.png"
        assert browser.save_screenshot(str(path))
        assert path.stat().st_size > 10_000


# The printed card's pages with the packaged data: What to do and the contacts, then the
# triage line and the front doors, then the forums, quadrants and sources' ages.
PRINTED_PAGES = 3


def test_card_help_says_what_decides_the_page_count(run):
    shown = " ".join(run("card", "--help").out.split())
    assert "The count is decided by the cautions said on paper" in shown
    assert "Meeting dates recorded add no page" in shown


@pytest.mark.slow
@pytest.mark.browser
def test_the_printed_a4_card_shows_the_key_numbers(tmp_path, run, data):
    if not (_chromium() and shutil.which("pdftoppm") and shutil.which("pdfinfo")):
        pytest.skip(NO_BROWSER)
    pdf = tmp_path / "card.pdf"
    result = run("card", "--pdf", str(pdf))
    assert result.code == 0, result.err
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == PRINTED_PAGES  # as `card --help` says
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for value in (*KEY_VALUES, "18:00", "101"):
        assert value in text
    for c in data.contacts.values():
        assert c.email in text
    for q in data.quadrants.values():
        assert q.name in text
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == pages and all(p.stat().st_size > 20_000 for p in images)


# --- numbers never break ----------------------------------------------------------------------

# Every phone number, extension and email address in the page's text, found by pattern
# (not by the renderer's own markup), must lie on one line. A link may wrap anywhere.
SPLIT_VALUES = r"""
var found = [], re = /[\w.+'-]+@[\w-]+(?:\.[\w-]+)+|\b(?:ext|extn|extension)\.? \d+|\+?\d[\d ]{2,}\d/g;
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
var node, checked = 0;
while ((node = walker.nextNode())) {
  var el = node.parentElement;
  if (!el || el.closest('script,style,datalist,.url') || !el.getClientRects().length) continue;
  var m; re.lastIndex = 0;
  while ((m = re.exec(node.data))) {
    var r = document.createRange();
    r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
    var rects = Array.prototype.filter.call(r.getClientRects(), function (x) { return x.width > 0; });
    if (!rects.length) continue;
    checked++;
    var top = rects[0].top;
    if (!rects.every(function (x) { return Math.abs(x.top - top) < 2; })) found.push(m[0]);
  }
}
return [checked, found];
"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1280, "print"])
def test_no_number_or_address_is_split_across_lines(browser, card, width):
    if width == "print":  # A4 less the card's margins, as Chromium lays out paper
        _open(browser, card, 794)
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    else:
        _open(browser, card, width)
    try:
        browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
        checked, split = browser.execute_script(SPLIT_VALUES)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert checked > (20 if width == "print" else 100)
    assert split == []


@pytest.mark.slow
@pytest.mark.browser
def test_the_place_box_takes_any_text(browser, card):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, card, 1280)
    for text in ("__proto__", "constructor", "toString", "hasOwnProperty"):
        box = browser.find_element(By.ID, "place")
        box.clear()
        box.send_keys(text, Keys.ENTER)
        assert "Not in this card" in browser.find_element(By.ID, "place-answer").text
    assert browser.get_log("browser") == [] or all(e["level"] != "SEVERE" for e in browser.get_log("browser"))


@pytest.mark.slow
@pytest.mark.browser
def test_page_one_of_the_printed_card_holds_the_decision(tmp_path, run, data):
    if not (_chromium() and shutil.which("pdftotext")):
        pytest.skip(NO_BROWSER)
    pdf = tmp_path / "card.pdf"
    assert run("card", "--pdf", str(pdf)).code == 0

    def page(n: int) -> str:
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        return " ".join(text.split())

    from tests.test_card_doc import front_doors

    one, two, last = page(1), page(2), page(PRINTED_PAGES)
    f = data.facts
    for words in (
        f["emergency"]["number"],
        "threat to life or safety",
        "urgent, in hours",
        *f["triage_line"]["extensions"],
        "out of hours",
        f["out_of_hours"]["team"],
        "not urgent",
        f["triage_email"]["address"],
        f["procedures"]["name"],
        *front_doors(data),
        "Potential information",
        "SET CSE Strategic Group",
        data.contacts["essex-police"].display_name,
        *(c.email for c in data.contacts.values()),
    ):
        assert words in one, words
    for forum in ("Essex MACE Part 1", "Thurrock MACE", "MASE", "Operation Censor"):
        assert forum in two
    for q in data.quadrants.values():
        assert q.name in last
    for paper in (one, two, last):  # nothing asks a reader of paper to type
        for words in ("setguide forums", "setguide triage", "In the terminal", "Name a district", "input", "box"):
            assert words not in paper


@pytest.mark.slow
def test_the_card_to_a_reader_that_goes_away_is_no_error():
    import sys

    card = subprocess.Popen(
        [sys.executable, "-m", "setguide", "card", "--html", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert card.stdout.read(100).startswith(b"<!doctype html>")
    card.stdout.close()  # the reader goes away after the first bytes
    err = card.stderr.read().decode()
    assert card.wait(timeout=120) == 0
    assert "Traceback" not in err and "error" not in err.lower()


@pytest.mark.slow
@pytest.mark.browser
def test_the_printed_card_to_standard_output(tmp_path):
    import sys

    if not _chromium():
        pytest.skip(NO_BROWSER)
    done = subprocess.run([sys.executable, "-m", "setguide", "card", "--pdf", "-"], capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF") and done.stdout.rstrip().endswith(b"%%EOF")
    assert list(tmp_path.iterdir()) == []


# --- paper that fits, whatever is recorded --------------------------------------------------------

LONDON_NOON = (2026, 12, 6, 12, 0)  # a Sunday, in UK time


def _card_with_every_date_recorded(run, data, recorded: bool = True) -> str:
    """The card built at a fixed moment with a meeting date recorded for every forum (the
    longest meeting list there can be), or none, as `setguide card` builds it."""
    from datetime import datetime

    from setguide.base.clock import LONDON
    from setguide.card import build

    for n, forum in enumerate(data.forums if recorded else ()):
        assert run("forums", "add-date", forum, f"{n + 1:02d}/12/2026", "--time", "10:00").code == 0
    return build.build(data, datetime(*LONDON_NOON, tzinfo=LONDON))


def _pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for n in range(1, count + 1)
    ]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("recorded", [True, False], ids=["every-date-recorded", "no-date-recorded"])
def test_the_printed_card_is_two_whole_pages_whatever_is_recorded(tmp_path, run, data, recorded):
    if not (_chromium() and shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip(NO_BROWSER)
    from setguide.card import printing
    from setguide.model.marks import UNCONFIRMED

    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(printing.print_pdf(_card_with_every_date_recorded(run, data, recorded)))
    pages = _pdf_pages(pdf)
    # As `card --help` says: the cautions decide the count (three with the packaged data), and
    # recorded dates add no page.
    assert len(pages) == PRINTED_PAGES
    folded = [" ".join(p.split()) for p in pages]
    both = " ".join(folded)
    # No heading is left at a page's foot: each is followed on its page by what it heads.
    for heading in (
        "What to do",
        "Single points of contact (SPOC)",
        "The triage line, out of hours, and secure email",
        "Children's social care front doors",
        "Forums by area",
        "Meeting dates",
        "Essex MACE quadrants",
    ):
        found = [
            (len(lines) - n, heading)
            for lines in ([line.strip() for line in p.splitlines() if line.strip()] for p in pages)
            for n, line in enumerate(lines)
            if line == heading
        ]
        assert len(found) == 1 and found[0][0] > 2, heading  # at least two lines of its part follow it there
    # No box or quote is broken across the pages: each quote of the triage-line boxes is whole on one.
    f = data.facts
    for quote in (f["triage_line"]["verbal_referral"], f["out_of_hours"]["text"], f["sharing_form"]["text"]):
        assert any(" ".join(str(quote).split()) in p for p in folded), quote
    # The next meeting of each forum is on paper (where recorded), and every quadrant.
    for forum in data.forums.values() if recorded else ():
        assert str(forum.name).split(" – ")[0] in both
    for q in data.quadrants.values():
        assert q.name in folded[-1]
    # One caution for each named page (Southend's, with and without www, is one page).
    cautioned = re.findall(r"Named source, not the protocol: (.+?), https?://", both)
    assert cautioned and len(cautioned) == len(set(cautioned))
    assert sum(t.startswith("Southend City Council: Child protection") for t in cautioned) == 1
    # The SPOC caution is said once, for the four.
    assert both.count(" ".join(UNCONFIRMED.split())) == 1
    # The table says what to do when unsure, and Essex's office hours.
    assert "Not sure which of these it is" in folded[0]
    assert "Mon to Thu 09:00 to 17:30; Fri 09:00 to 16:30" in folded[0]


@pytest.mark.slow
@pytest.mark.browser
def test_the_page_is_folded_to_under_10000_px_with_every_date_recorded(browser, tmp_path, run, data):
    page = tmp_path / "card.html"
    page.write_text(_card_with_every_date_recorded(run, data), encoding="utf-8")
    _open(browser, page, 1280)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert 3000 < height <= 10_000


@pytest.mark.slow
@pytest.mark.browser
def test_only_the_cards_own_script_runs(browser, card, tmp_path):
    from selenium.webdriver.common.by import By

    from setguide.card.page import SCRIPT, script_hash

    html = card.read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    scripts = re.search(r"script-src ([^;]+);", csp).group(1)
    assert scripts == f"'{script_hash(SCRIPT)}'" and "unsafe-inline" not in scripts
    # A hostile value that escaped its escaping (an injected inline script) does not run;
    # the card's own script, allowed by its hash, does.
    hostile = tmp_path / "hostile.html"
    injected = "<script>document.documentElement.setAttribute('data-injected', 'ran')</script>"
    hostile.write_text(html.replace("</main>", injected + "</main>", 1), encoding="utf-8")
    _open(browser, hostile, 1280)
    assert browser.execute_script("return document.documentElement.getAttribute('data-injected')") is None
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-check] summary .now")) == 1
    assert any("Content Security Policy" in e["message"] for e in browser.get_log("browser"))


# --- the page's own parts --------------------------------------------------------------------------


def test_the_spoc_caution_is_said_once_for_all_four(card):
    from setguide.model.marks import UNCONFIRMED

    html = card.read_text(encoding="utf-8")
    section = html.split('<section id="contacts"', 1)[1].split("</section>", 1)[0]
    grid, after = section.rsplit("</div></div>", 1)

    def text(part: str) -> str:
        return re.sub(r"<[^>]+>", "", part)

    assert text(grid).count("Essex Police SPOC") == 1  # the four boxes, the last one included
    assert UNCONFIRMED not in text(grid) and text(after).count(UNCONFIRMED) == 1


def test_every_colour_has_a_literal_before_its_variable():
    from setguide.card.page import STYLE

    uses = re.findall(r"(?:^|[{;\n])([a-z-]+):([^;{}]*var\(--(?!n\b)[\w-]+\)[^;{}]*)", STYLE)
    assert len(uses) > 15
    for prop, value in uses:
        literal = re.sub(r"var\(--[\w-]+\)", "#", value)
        before = STYLE.split(f"{prop}:{value}", 1)[0]
        assert re.search(rf"{re.escape(prop)}:[^;{{}}]*#[0-9a-f]{{3,6}}[^;{{}}]*;$", before), (prop, value, literal)
    assert "header.emergency{background:#a4001d;background:var(--red);color:#fff" in STYLE


def _fake_program(path: Path, script: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script)
    path.chmod(0o755)
    return path


@pytest.fixture
def windows(tmp_path, monkeypatch):
    """os.name as on Windows, no browser on PATH, and its install folders under tmp_path."""
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("SETGUIDE_CHROMIUM", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path / "Program Files (x86)"))
    monkeypatch.setenv("PROGRAMFILES", str(tmp_path / "Program Files"))
    monkeypatch.setattr(os, "name", "nt")
    return tmp_path


def test_on_windows_edge_is_found_in_its_install_folder(windows):
    from setguide.card import printing

    edge = _fake_program(windows / "Program Files (x86)" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    _fake_program(windows / "Program Files" / "Google" / "Chrome" / "Application" / "chrome.exe")
    assert printing.find_chromium() == str(edge)


def test_on_windows_setguide_chromium_still_wins(windows, monkeypatch):
    from setguide.card import printing

    _fake_program(windows / "Program Files (x86)" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    chosen = _fake_program(windows / "portable" / "chrome")
    monkeypatch.setenv("SETGUIDE_CHROMIUM", str(chosen))
    assert printing.find_chromium() == str(chosen)


def test_on_windows_without_a_browser_the_hint_names_edge_and_chrome(windows):
    from setguide.base.errors import SetguideError
    from setguide.card import printing

    with pytest.raises(SetguideError) as raised:
        printing.find_chromium()
    said = f"{raised.value.message} {raised.value.hint}"
    assert "Edge" in said and "Chrome" in said and "SETGUIDE_CHROMIUM" in said
    assert "apt-get" not in said


def test_a_browsers_output_in_any_encoding_is_read(run, tmp_path, monkeypatch):
    """A browser that fails, saying so in bytes that are not UTF-8, gives setguide's error, not a crash."""
    fake = _fake_program(tmp_path / "chromium", "#!/bin/sh\nprintf 'Fehler: \\377\\376 kaputt\\n' >&2\nexit 1\n")
    monkeypatch.setenv("SETGUIDE_CHROMIUM", str(fake))
    result = run("card", "--pdf", str(tmp_path / "card.pdf"))
    assert result.code == 1
    assert "could not print the card: Fehler: \ufffd\ufffd kaputt" in result.err
    assert "Traceback" not in result.err
