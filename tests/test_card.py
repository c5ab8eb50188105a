"""The desk card: one offline HTML page (and its A4 print) with the same plans as `setguide triage`.

The fast tests read the built page; the slow ones open it in a real headless
Chromium (from the system's packages, installed by tools/install-browser.sh)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from setguide.triage.tree import tree_for

ROOT = Path(__file__).resolve().parent.parent
AXE = Path(os.environ.get("SETGUIDE_AXE", Path.home() / ".cache" / "setguide-test" / "node_modules" / "axe-core"))
KEY_VALUES = ("999", "180022", "180043", "OC.triage.team.essex@essex.pnn.police.uk")


# --- reading the page without a browser ----------------------------------------------------


class Plans(HTMLParser):
    """Each <article class="plan">: its attributes and its steps (text, contacts, items, source), by part."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.plans: list[dict] = []
        self.stack: list[tuple[str, dict]] = []
        self.text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        self.stack.append((tag, a))
        if tag == "article" and cls == "plan":
            self.plans.append({"attrs": a, "parts": {}, "title": ""})
        elif not self.plans or self.plans[-1].get("done"):
            return
        plan = self.plans[-1]
        if tag == "ol" and cls == "steps":
            plan["part"] = a["data-part"]
            plan["parts"][a["data-part"]] = []
        elif tag == "li" and cls == "step":
            plan["parts"][plan["part"]].append({"text": "", "contacts": [], "items": [], "source": None})
        if tag in ("h3", "dt", "dd", "p", "li") and self.text is None:
            self.text = []

    def handle_endtag(self, tag):
        tag_open, a = self.stack.pop()
        if not self.plans or self.plans[-1].get("done"):
            return
        plan = self.plans[-1]
        if tag == "article":
            plan["done"] = True
            return
        if self.text is None or tag not in ("h3", "dt", "dd", "p", "li"):
            return
        text = "".join(self.text).strip()
        step = plan["parts"][plan["part"]][-1] if plan.get("part") and plan["parts"][plan["part"]] else None
        cls = a.get("class", "")
        if tag == "h3":
            plan["title"] = text
        elif step is not None and self._inside("li", "step"):
            if tag == "p" and cls == "text":
                step["text"] = text
            elif tag == "p" and cls == "source":
                step["source"] = text.removeprefix("Source: ")
            elif tag == "dt":
                step["contacts"].append({"label": text})
            elif tag == "dd":
                step["contacts"][-1]["value"] = text
            elif tag == "li" and self._inside("ul", "items"):
                step["items"].append(text)
            elif tag in ("dd", "dt", "p", "li") and cls != "step":
                pass
        if tag in ("h3", "dt", "dd", "p") or (tag == "li" and cls != "step"):
            self.text = None

    def _inside(self, tag: str, cls: str) -> bool:
        return any(t == tag and a.get("class") == cls for t, a in self.stack)

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


@pytest.fixture(scope="module")
def card(tmp_path_factory) -> Path:
    from setguide import cli

    path = tmp_path_factory.mktemp("card") / "desk-card.html"
    assert cli.run(["card", "--html", str(path)]) == 0
    return path


def plans_in(path: Path) -> list[dict]:
    parser = Plans()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.plans


def triage_args(answers: dict, at: str) -> list[str]:
    """The `setguide triage` flags for the answers a plan on the card was built from."""
    flags = tree_for_data().flags()
    args: list[str] = []
    for key, value in answers.items():
        flag = flags[key]
        if "/" in flag:
            yes, no = flag.split("/")
            args.append(yes if value else no)
        else:
            args += [flag, value]
    return [*args, "--at", at]


def tree_for_data():
    from setguide.model.data import get

    return tree_for(get())


def triage_json(run, answers: dict, at: str) -> dict:
    result = run("triage", *triage_args(answers, at), "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def shown_steps(steps: list[dict]) -> list[dict]:
    """A --json step as the card shows it."""
    return [
        {
            "text": s["text"],
            "contacts": [{"label": c["label"], "value": c["value"]} for c in s.get("contacts") or []],
            "items": list(s.get("items") or []),
            "source": s.get("source"),
        }
        for s in steps
    ]


# --- one source of truth -----------------------------------------------------------------------


def test_every_plan_on_the_card_is_the_one_triage_json_gives(card, run):
    plans = plans_in(card)
    assert len(plans) == len(tree_for_data().paths())  # every path through the tree, once
    for plan in plans:
        answers = json.loads(plan["attrs"]["data-answers"])
        expected = triage_json(run, answers, plan["attrs"]["data-at"])
        assert plan["attrs"]["data-outcome"] == expected["id"]
        assert plan["title"] == f"{expected['outcome']}: {expected['title']}"
        parts = [p for p in ("now", "also", "then") if p in expected] or ["steps"]
        shown = {p: steps for p, steps in plan["parts"].items()}
        for part in parts:
            got = [{**s, "contacts": [c for c in s["contacts"]]} for s in shown.get(part, [])]
            for s in got:  # the trust pass's mark is the card's, beside the value
                for c in s["contacts"]:
                    c["label"] = c["label"].removesuffix(" (LOCAL CORRECTION)")
            assert got == shown_steps(expected[part]), (answers, part)


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
                assert line.split(": ", 1)[-1] in shown, (place, line)


@pytest.mark.slow
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
@pytest.mark.parametrize("width", [1280, 320])
def test_accessible_at_desk_and_phone_widths_with_every_answer_open(browser, card, width):
    _open(browser, card, width)
    browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
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


@pytest.mark.slow
def test_the_printed_a4_card_shows_the_key_numbers(tmp_path, run, data):
    if not (_chromium() and shutil.which("pdftoppm") and shutil.which("pdfinfo")):
        pytest.skip(NO_BROWSER)
    pdf = tmp_path / "card.pdf"
    result = run("card", "--pdf", str(pdf))
    assert result.code == 0, result.err
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 1 <= pages <= 2
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
