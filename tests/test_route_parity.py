"""The desk card and the terminal give the same routes: for every path through the tree,
the card's plan holds every exact value (number, extension, email, link) that `setguide
triage --json` shows for the same answers, under the same Now, Also or Then, at every
moment the terminal gives the plan at (what depends on the hour among the card's choices),
and no value the terminal gives at none of them; a plan that does not depend on the hour
holds exactly the terminal's, in its order. After a police Now, the card's answer for each
offered area holds what the terminal adds for that area (its Also, and its council's
child-protection front door under Then)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from setguide.card import build
from setguide.model.data import get
from setguide.output.blocks import Choice, Field, Heading
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
        elif isinstance(b, Choice) and part is not None:  # every answer of an hour-dependent rule
            for o in b.options:
                heading = next(k for k, v in PARTS.items() if v == part)
                routes[part] += card_routes([Heading(heading, level=2), *o.blocks])[part]
    return routes


def held(routes: dict[str, list[tuple[str, str]]]) -> set[tuple[str, str, str]]:
    """The exact values of a plan as a set, each with the part it is under."""
    return {(part, label, value) for part, values in routes.items() for label, value in values}


def moments(card, path) -> list[datetime]:
    """The moments to ask the terminal at: the path's own, an example of each hours case,
    and a moment of each answer of every front door's rule (from the card's build day)."""
    tree = routing.tree_for(get())
    closing = max((q.closing_minutes for q in tree.nodes.values() if q.check), default=0)
    found = [path.at, *build.example_moments(get(), START, closing).values()]
    found += [at for door in card.doors.values() for at in door.values()]
    return list(dict.fromkeys(found))


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
    assert plan["id"] == outcome.id
    # The same plan wherever the terminal gives it: at the path's moment, and at every other
    # moment it gives this outcome for these answers (a check question's case aside).
    every = [triage_json(run, path.answers, at) for at in moments(card, path)]
    plans = [p for p in every if p["id"] == outcome.id]
    ours = card_routes(blocks)
    for p in plans:  # everything the terminal shows at a moment is on the card
        assert held(terminal_routes(p)) <= held(ours), p["title"]
    # And nothing the terminal never shows: its plan at a moment, or what the steps after Now
    # give for these answers at a moment of another hours case (the councils' front doors).
    shown = set().union(*(held(terminal_routes(p)) for p in plans))
    shown |= {r for p in every for r in held(terminal_routes(p)) if r[0] != "now"}
    assert held(ours) <= shown
    titles = {f"{p['outcome']}: {p['title']}" for p in plans}
    ours_titles = card_titles(blocks)
    # The title, where it names the number to phone, is a choice as the step that gives it:
    # every title the terminal gives this plan is among the card's, and the card's are the terminal's.
    assert titles <= ours_titles <= {f"{p['outcome']}: {p['title']}" for p in every}
    same = len({json.dumps(terminal_routes(p)) for p in plans}) == 1 and (
        len({json.dumps({k: v for k, v in terminal_routes(p).items() if k != "now"}) for p in every}) == 1
    )
    if same and len(titles) == 1 and not any(isinstance(b, Choice) for b in blocks):
        # Nothing here depends on the hour: the card's plan is the terminal's, in its order.
        assert ours == terminal_routes(plan) and ours_titles == {f"{plan['outcome']}: {plan['title']}"}


def card_titles(blocks) -> set[str]:
    """The plan's titles on the card: its first heading, or each answer of a choice there."""
    first = blocks[0]
    if isinstance(first, Choice):
        return {str(b.text) for o in first.options for b in o.blocks if isinstance(b, Heading)}
    return {str(first.text)}


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
