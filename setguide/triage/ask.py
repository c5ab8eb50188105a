"""The interactive wizard: asks the questions of the tree that no flag answered,
one at a time, and stops the moment an outcome is decided.

The only module that imports questionary, and only inside `_prompt`'s callers,
so a command whose answers all came from flags never loads it. Every prompt goes
through `_prompt`, the one place Ctrl-C and end of input become `Cancelled`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from setguide.base.errors import Cancelled, UnknownName
from setguide.model.data import Data
from setguide.triage import tree as routing
from setguide.triage.tree import Outcome, Question, Tree


def wizard(
    answers: dict[str, Any],
    now: Callable[[], datetime],
    data: Data,
    tree: Tree,
    *,
    input: Any = None,
    output: Any = None,
) -> Outcome:
    """Ask until the tree reaches an outcome. `now` is read at each step, so an
    answer given at 17:59 is routed by the clock at the moment it is decided."""
    answers = dict(answers)
    io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
    while True:
        step = routing.next_step(answers, now(), data, tree)
        if isinstance(step, Outcome):
            return step
        answers[step.question.answer] = ask(step.question, data, io)


def ask(q: Question, data: Data, io: dict[str, Any]) -> Any:
    import questionary

    if q.kind == "yesno":
        return yes_no(q.text, io)
    if q.kind == "choice":
        choices = [
            questionary.Choice(title=b.label, value=b.value, shortcut_key=str(i)) for i, b in enumerate(q.branches, 1)
        ]
        return _prompt(
            questionary.select(
                q.text, choices=choices, use_shortcuts=True, instruction="(number or arrows, then Enter)", **io
            )
        )
    if q.kind == "place":
        return _ask_place(q, data, io)
    raise AssertionError(f"a {q.kind} node is never asked")


def yes_no(text: str, io: dict[str, Any] | None = None) -> str:
    """One key: y or n answers at once (Enter alone takes the safe side, yes)."""
    import questionary

    answer = _prompt(questionary.confirm(text, default=True, auto_enter=True, **(io or {})))
    return "yes" if answer else "no"


def _ask_place(q: Question, data: Data, io: dict[str, Any]):
    import questionary

    from setguide.places.resolve import names_for_completion, resolve

    def valid(text: str) -> bool | str:
        if not text.strip():
            return "type a town, district or authority, or 'outside SET'"
        try:
            resolve(data, text)
        except UnknownName as exc:
            if exc.ambiguous:
                return True
            return f"unknown place {text.strip()!r}" + (
                f"; did you mean: {', '.join(exc.candidates)}?" if exc.candidates else ""
            )
        return True

    text = _prompt(
        questionary.autocomplete(
            q.text,
            choices=list(names_for_completion(data)),
            validate=valid,
            ignore_case=True,
            match_middle=False,
            **io,
        )
    )
    try:
        return resolve(data, text)
    except UnknownName as exc:
        if not exc.ambiguous:
            raise
    return which_place(data, text, io)


def which_place(data: Data, text: str, io: dict[str, Any] | None = None):
    """A name two places share: ask which one is meant."""
    import questionary

    from setguide.places.resolve import choices

    options = _distinct(choices(data, text))
    picked = _prompt(
        questionary.select(
            f"{text.strip()!r} is more than one place. Which?",
            choices=[questionary.Choice(title=_place_label(data, r), value=i) for i, r in enumerate(options)],
            **(io or {}),
        )
    )
    return options[picked]


def _distinct(resolutions: list) -> list:
    seen: dict[tuple, Any] = {}
    for r in resolutions:
        seen.setdefault((r.authority, r.district, r.outside_where), r)
    return list(seen.values())


def _place_label(data: Data, r) -> str:
    if r.outside:
        return f"{r.name} ({r.outside_where}, outside SET)" if r.outside_where else "outside SET"
    if r.district and data.districts[r.district].name != r.name:
        return f"{r.name} ({data.districts[r.district].name}, {data.authorities[r.authority].name})"
    return f"{r.name} ({data.authorities[r.authority].name})"


def _prompt(question: Any) -> Any:
    """The one place a question is put to the user."""
    _cancel_on_ctrl_d(question)
    try:
        answer = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise Cancelled() from None
    if answer is None:  # the prompt ended without an answer
        raise Cancelled()
    return answer


def _cancel_on_ctrl_d(question: Any) -> None:
    """questionary's lists ignore Ctrl-D; end of input must cancel at every question."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError(), style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([b for b in (app.key_bindings, bindings) if b is not None])
