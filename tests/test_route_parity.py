"""The desk card and the terminal give the same routes: for every path through the tree,
the card's plan and `setguide triage --json` for the same answers at the same moment hold
the same exact values (numbers, extensions, emails, links) under Now, Also and Then; and
after a police Now, the card's answer for each offered area holds what the terminal adds
for that area (its Also, and its council's child-protection front door under Then)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from setguide.card import build
from setguide.model.data import get
from setguide.output.blocks import Field, Heading
from setguide.places.resolve import resolve
from setguide.triage import tree as routing
from setguide.triage.view import AREA_THEN, also_doc
from tests.conftest import flag_args

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)  # a Tuesday, no bank holiday
PARTS = {"NOW": "now", "ALSO": "also", "THEN": "then"}


def _paths():
    data = get()
    tree = routing.tree_for(data)
    return build.all_paths(data, tree, START)


PATHS = _paths()


def card_routes(blocks) -> dict[str, list[tuple[str, str]]]:
    """The exact values of a card plan, by the part (Now, Also, Then) they are under."""
    routes: dict[str, list[tuple[str, str]]] = {"now": [], "also": [], "then": []}
    part = None
    for b in blocks:
        if isinstance(b, Heading):  # the Now said again at the end is a heading of its own
            part = PARTS.get(str(b.text).split(":")[0].split(" (")[0]) if b.level == 2 else None
        elif isinstance(b, Field) and part is not None:
            routes[part].append((str(b.label), str(b.value)))
    return routes


def terminal_routes(plan: dict) -> dict[str, list[tuple[str, str]]]:
    return {part: [(c["label"], c["value"]) for s in plan[part] for c in s["contacts"]] for part in PARTS.values()}


def triage_json(run, answers: dict, at: datetime) -> dict:
    args = flag_args(routing.tree_for(get()).flags(), answers)
    r = run("triage", *args, "--at", at.strftime("%Y-%m-%dT%H:%M"), "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


@pytest.fixture(scope="module")
def card():
    return build.Card(get(), START, {}, [])


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.slug)
def test_the_cards_plan_and_the_terminals_hold_the_same_routes(run, card, path):
    blocks, outcome = build.plan_blocks(card, routing.tree_for(get()), path)
    plan = triage_json(run, path.answers, path.at)
    assert plan["id"] == outcome.id and plan["title"] == str(outcome.title)
    assert card_routes(blocks) == terminal_routes(plan)


def _police_paths():
    data = get()
    tree = routing.tree_for(data)
    out = []
    for p in PATHS:
        outcome = routing.route(dict(p.answers), p.at, data, tree)
        if outcome.offer is not None and outcome.offer.kind == "place":
            out += [(p, b.value) for b in outcome.offer.branches if b.value != "outside"]
    return out


@pytest.mark.parametrize("path, area", _police_paths(), ids=lambda x: x if isinstance(x, str) else x.slug)
def test_the_cards_offered_area_holds_the_terminals_routes_for_it(run, path, area):
    """The card's answer to the offered area question is the terminal's plan with --area:
    the same Also, and the area's council child-protection front door under Then."""
    data = get()
    answers = {**path.answers, "area": build.area_answer(data, area)}
    more = routing.route({**answers, "area": resolve(data, answers["area"])}, path.at, data)
    card = card_routes(also_doc(more))
    plan = triage_json(run, answers, path.at)
    terminal = terminal_routes(plan)
    assert card["also"] == terminal["also"]
    then = [
        (c["label"], c["value"]) for s in plan["then"] for c in s["contacts"] if _step_id(more, s["n"]) in AREA_THEN
    ]
    assert card["then"] == then
    page = data.authorities[area].child_protection_page
    assert page in [v for _, v in card["then"]]  # the area's council page, whatever the moment
    door = data.front_doors[area]
    assert {door.office_phone, door.out_of_hours_phone} & {v for _, v in card["then"]}


def _step_id(outcome, n: int) -> str:
    return outcome.steps[n - 1].id
