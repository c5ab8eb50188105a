"""The interactive wizard: asks the questions of the tree that no flag answered,
one at a time, and stops the moment an outcome is decided.

The only module that imports questionary, and only inside `_prompt`'s callers,
so a command whose answers all came from flags never loads it. Every prompt goes
through `_prompt`, the one place Ctrl-C and end of input become `Cancelled`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from setguide.base.errors import Cancelled, UnknownName

if TYPE_CHECKING:  # the tree and the data load while the first question waits, not before it
    from setguide.model.data import Data
    from setguide.triage.tree import Outcome, Question, Tree

BACK = "\x00back"  # what a question returns when the user goes back one question
FINISH = "\x00finish"  # what an optional question returns when the user ends it


def wizard(
    answers: dict[str, Any],
    now: Callable[[], datetime],
    data: Data,
    tree: Tree,
    *,
    input: Any = None,
    output: Any = None,
    history: tuple[str, ...] = (),
    schedules: dict[str, Any] | None = None,
    answers_out: dict[str, Any] | None = None,
) -> Outcome:
    """Ask until the tree reaches a plan (its answers into `answers_out`, when given).
    `now` is read at each step, so an answer given at 17:59 is routed by the clock at
    the moment it is decided. `history` names the answers already asked (not given by
    flag), so a way back leads to them."""
    from setguide.triage import tree as routing

    answers = dict(answers)
    asked = list(history)
    io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
    while True:
        step = routing.next_step(answers, now(), data, tree, schedules)
        if isinstance(step, routing.Outcome):
            if answers_out is not None:
                answers_out.update(answers)
            return step
        q = step.question
        answer = ask(q, data, io, back=bool(asked))
        if answer == BACK:
            answers.pop(asked.pop(), None)
            continue
        answers[q.answer] = answer
        asked.append(q.answer)


def offer(
    outcome: Outcome,
    answers: dict[str, Any],
    now: Callable[[], datetime],
    data: Data,
    tree: Tree,
    *,
    input: Any = None,
    output: Any = None,
    schedules: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The optional questions a plan offers once it is on screen. Enter on an empty
    answer, Esc or Ctrl-C ends them: advice was given, so that is no cancellation.
    Returns the answers given (none when the user ended at the first)."""
    from setguide.triage import tree as routing

    answers = dict(answers)
    given: list[str] = []
    io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
    step: Any = outcome
    while isinstance(step, routing.Outcome) and step.offer is not None:
        q = step.offer
        try:
            answer = ask(q, data, io, back=bool(given), optional=True)
        except Cancelled:
            break
        if answer == FINISH:
            break
        if answer == BACK:
            answers.pop(given.pop(), None)
        else:
            answers[q.answer] = answer
            given.append(q.answer)
        step = routing.next_step(answers, now(), data, tree, schedules)
    return {k: answers[k] for k in given}


def message(q: Question, back: bool, optional: bool = False) -> str:
    """The question with its one-line hint under it, and the keys that leave it."""
    hint = q.hint
    if optional and q.kind == "place":
        hint = "Optional, for the area's forums and SPOC. Tab: suggestion. Enter on empty or Esc: finish."
    elif optional:
        hint = f"{hint} Esc: finish."
    elif back and q.kind == "yesno":
        hint = f"{hint} b: back."
    elif back and q.kind == "place":
        hint = f"{hint} Esc: back."
    return _wrapped(q.text, hint.strip())


def _wrapped(text: str, hint: str) -> str:
    """Lines broken at spaces to fit the terminal: prompt_toolkit cuts every line of a
    question but its last, which would hide the end of a question on a narrow terminal."""
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size((80, 24)).columns - 2, 20)
    lines = textwrap.wrap(text, width, break_long_words=False)
    if hint:
        lines += textwrap.wrap(hint, width, initial_indent="  ", subsequent_indent="  ", break_long_words=False)
    return "\n".join(lines)


def ask(q: Question, data: Data, io: dict[str, Any], back: bool = False, optional: bool = False) -> Any:
    import questionary

    text = message(q, back, optional)
    if q.kind == "yesno":
        return yes_no(text, io, back=back)
    if q.kind == "choice":
        choices = [
            questionary.Choice(title=b.label, value=b.value, shortcut_key=str(i), description=b.detail or None)
            for i, b in enumerate(q.branches, 1)
        ]
        if optional:
            choices.append(questionary.Choice(title="Finish here", value=FINISH, shortcut_key="0"))
        if back:
            choices.append(questionary.Choice(title="\u2190 Back", value=BACK, shortcut_key="b"))
        question = questionary.select(
            text, choices=choices, use_shortcuts=True, instruction="(number or arrows, then Enter)", **io
        )
        if optional:
            _bind(question, "escape", FINISH)
        return _prompt(question)
    if q.kind == "place":
        return _ask_place(q, text, data, io, back=back, optional=optional)
    raise AssertionError(f"a {q.kind} node is never asked")


def yes_no(text: str, io: dict[str, Any] | None = None, back: bool = False, started: Any = None) -> str:
    """One key: y or n answers at once (Enter alone takes the safe side, yes); b goes back.
    `started` is called once the question is on screen (the data loads meanwhile)."""
    import questionary

    question = questionary.confirm(text, default=True, auto_enter=True, **(io or {}))
    if back:
        _bind(question, "b", BACK)
    if started is not None:
        _after_first_render(question, started)
    answer = _prompt(question)
    if answer == BACK:
        return BACK
    return "yes" if answer else "no"


def _ask_place(q: Question, text: str, data: Data, io: dict[str, Any], back: bool = False, optional: bool = False):
    import questionary

    from setguide.places.resolve import resolve

    def valid(typed: str) -> bool | str:
        if not typed.strip():
            return True if optional else "type a town, district or authority, or 'outside SET'"
        try:
            resolve(data, typed)
        except UnknownName as exc:
            if exc.ambiguous:
                return True
            return f"unknown place {typed.strip()!r}" + (
                f"; did you mean: {', '.join(exc.candidates)}? (Tab takes it)" if exc.candidates else ""
            )
        return True

    question = questionary.autocomplete(
        text,
        choices=[],
        completer=PlaceCompleter(data),
        validate=valid,
        **io,
    )
    if optional:
        _bind(question, "escape", FINISH)
    elif back:
        _bind(question, "escape", BACK)
    typed = _prompt(question)
    if typed in (BACK, FINISH):
        return typed
    if not typed.strip():
        return FINISH
    try:
        return resolve(data, typed)
    except UnknownName as exc:
        if not exc.ambiguous:
            raise
    return which_place(data, typed, io)


def PlaceCompleter(data: Data) -> Any:  # noqa: N802 (a class made on first use: prompt_toolkit is lazy)
    """Names that begin with what was typed; for a misspelling, the names setguide
    would suggest, so Tab takes the suggestion."""
    from prompt_toolkit.completion import Completer, Completion

    from setguide.places.resolve import names_for_completion, normalise, suggest

    names = names_for_completion(data)

    class Places(Completer):
        def get_completions(self, document: Any, complete_event: Any) -> Any:
            typed = document.text_before_cursor
            key = normalise(typed)
            if not key:
                return
            found = [n for n in names if normalise(n).startswith(key)]
            if not found and len(key) >= 3:
                found = suggest(data, typed)
            for name in found[:20]:
                yield Completion(name, start_position=-len(typed))

    return Places()


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


def _bind(question: Any, key: str, result: Any) -> None:
    """A key that ends the question with `result` (a way back, or finish)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add(key, eager=True)
    def _(event: Any) -> None:
        event.app.exit(result=result)

    app = question.application
    app.key_bindings = merge_key_bindings([b for b in (app.key_bindings, bindings) if b is not None])


def _after_first_render(question: Any, started: Any) -> None:
    """Call `started` once, after the question is first drawn, so work begun then never delays it."""
    app = question.application
    done = []

    def once(_app: Any) -> None:
        if not done:
            done.append(True)
            started()

    app.after_render += once


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
