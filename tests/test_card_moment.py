"""The desk card decides at its reader's moment, never at the hour it was built: what
depends on the hour (the front door's number, the triage line's case, bank holidays)
is chosen in the page by the reader's clock, from the same rules' data; paper shows
every answer with the hours each source states."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from freezegun import freeze_time

from setguide.base.clock import LONDON
from setguide.card import build
from setguide.model.data import get
from setguide.triage.tree import bank_holiday, office_open
from tests.test_card import _open, browser  # noqa: F401  (the Chromium fixture, used here too)
from tests.test_card_doc import read

SUNDAY = datetime(2026, 12, 6, tzinfo=LONDON)
TUESDAY = datetime(2026, 12, 1, tzinfo=LONDON)


def card_at(run, moment: datetime) -> str:
    get.cache_clear()
    with freeze_time(moment):
        result = run("card", "--html", "-")
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("day", [SUNDAY, TUESDAY], ids=["sunday", "tuesday"])
def test_a_card_built_at_any_hour_of_a_day_is_the_same_page(run, day):
    pages = [card_at(run, day.replace(hour=h)) for h in (3, 10, 21)]
    assert pages[0] == pages[1] == pages[2]
    # The page holds the hour-dependent choice, not one hour's answer: both Essex numbers
    # in the child-protection plans, each under what it holds for.
    door = get().front_doors["essex"]
    units = read(pages[0])
    plan = next(
        p for p, a in units.attrs.items() if a["data-outcome"] == "child-protection" and "Essex" in a["data-answers"]
    )
    text = units.text(plan)
    assert "phone it now, in office hours" in text and door.office_phone in text
    assert "phone now, out of office hours" in text and door.out_of_hours_phone in text


def test_cards_of_two_days_differ_only_where_the_day_shows(run):
    """The build's day is the card's stamp and its dates' start: the Sunday card and the
    Tuesday card give the same plans for child protection, whatever day each was built."""

    def cp_plans(page: str) -> dict[str, str]:
        units = read(page)
        return {p: units.text(p) for p, a in units.attrs.items() if a["data-outcome"] == "child-protection"}

    sunday, tuesday = cp_plans(card_at(run, SUNDAY.replace(hour=10))), cp_plans(card_at(run, TUESDAY.replace(hour=10)))
    assert sunday.keys() == tuesday.keys() and len(sunday) >= 4
    assert sunday == tuesday


def test_each_answer_of_a_front_doors_rule_is_the_one_triage_gives_at_such_a_moment():
    """`door_state` names the answers of the rule triage applies (`office_open`): every
    moment of a year with one name gets one answer from it (the holiday's name aside)."""
    data = get()
    for door in data.front_doors.values():
        seen: dict[str, set] = {}
        moment = SUNDAY
        while moment < SUNDAY + timedelta(days=400):
            is_open, why = office_open(door, moment)
            general = why.replace(f" ({bank_holiday(moment.date())})", "")
            seen.setdefault(build.door_state(door, moment), set()).add((is_open, general))
            moment += timedelta(minutes=97)  # every time of day falls on every day of the week in turn
        assert all(len(answers) == 1 for answers in seen.values()), (door.id, seen)
        assert set(seen) == set(build.door_moments(door, SUNDAY)), door.id  # a moment found for each


def test_paper_shows_both_front_door_numbers_with_the_hours_each_source_states(run):
    units = read(card_at(run, SUNDAY.replace(hour=10)))
    decision = units.text("decision")
    for door in get().front_doors.values():
        assert door.office_phone in decision and door.out_of_hours_phone in decision
        for hours in (door.office_hours, door.out_of_hours_hours):
            if hours:
                assert hours in decision


def test_the_clocks_data_holds_each_front_doors_rule(run):
    page = card_at(run, SUNDAY.replace(hour=10))
    data = page.split('<script type="application/json" id="card-data">', 1)[1].split("</script>", 1)[0]
    doors = json.loads(data.replace("<\\/", "</"))["doors"]
    for door in get().front_doors.values():
        rule = doors[door.id]
        assert rule["closed_days"] == list(door.closed_days) and rule["bank_holidays"] == door.bank_holidays
        assert [(h["opens"], h["closes"]) for h in rule["hours"]] == [(h.opens, h.closes) for h in door.hours]
        disputed = [(h["days"], h["opens"], h["closes"]) for h in rule["disputed"]]
        assert disputed == [(list(h.days), h.opens, h.closes) for h in door.disputed_hours]


# --- in a browser: the page chooses by its reader's clock ----------------------------------------


READER_MOMENTS = [
    datetime(2026, 12, 7, 10, 0, tzinfo=LONDON),  # a Monday morning
    datetime(2026, 12, 8, 8, 50, tzinfo=LONDON),  # a Tuesday, when Essex's sources disagree whether the Hub is open
    datetime(2026, 12, 11, 17, 0, tzinfo=LONDON),  # a Friday, after Southend's and Essex's Friday hours
    datetime(2026, 12, 12, 12, 0, tzinfo=LONDON),  # a Saturday
    datetime(2026, 12, 25, 10, 0, tzinfo=LONDON),  # Christmas Day, a Friday
    datetime(2027, 6, 8, 9, 30, tzinfo=LONDON),  # a Tuesday in summer time
]


@pytest.mark.slow
def test_the_page_shows_the_front_door_answer_of_its_readers_clock(browser, tmp_path):  # noqa: F811
    data = get()
    path = tmp_path / "card.html"
    path.write_text(build.build(data, SUNDAY.replace(hour=21)), encoding="utf-8")
    driver = browser
    if True:
        for moment in READER_MOMENTS:
            epoch = int(moment.timestamp() * 1000)
            # The reader's clock: Date (and so Intl's "now") at `moment`, before the page's script runs.
            script = driver.execute_cdp_cmd(
                "Page.addScriptToEvaluateOnNewDocument",
                {
                    "source": f"(()=>{{const T={epoch},D=Date;class F extends D{{constructor(...a){{"
                    "if(a.length)super(...a);else super(T);}static now(){return T;}}window.Date=F;})();"
                },
            )
            _open(driver, path, 1280)
            shown = driver.execute_script(
                "return Array.from(document.querySelectorAll('.choice')).map(c=>[c.dataset.rule,"
                "Array.from(c.querySelectorAll(':scope>.option')).filter(o=>!o.hidden).map(o=>o.dataset.when)])"
            )
            driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
            assert shown, moment
            for rule, visible in shown:
                door = data.front_doors[rule.removeprefix("frontdoor:")]
                assert visible == [build.door_state(door, moment)], (moment, rule, visible)


def test_no_plan_holds_words_true_only_at_the_moment_it_was_routed_at(run):
    """No plan names the minutes left or a bank holiday: a reader's moment is another."""
    import holidays

    units = read(card_at(run, SUNDAY.replace(hour=10)))
    names = set(holidays.country_holidays("GB", subdiv="ENG", years=(2026, 2027)).values())
    for plan in units.attrs:
        text = units.text(plan)
        assert "minutes)" not in text, plan
        assert not [n for n in names if f"({n})" in text], plan
    assert any("today is a bank holiday, which the source counts as out of hours" in units.text(p) for p in units.attrs)
