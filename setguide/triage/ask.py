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

from setguide.base.errors import Cancelled
from setguide.base.facts import fill
from setguide.base.text import echo

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
    keys = keys_hint(q.kind, back, optional)
    if q.kind == "yesno" and "y:" in q.hint and "n:" in q.hint:  # the hint already says what y and n do
        keys = keys.replace("Press y or n. ", "")
    if q.kind == "place" and "Tab" in q.hint:
        keys = keys.replace("Tab: suggestion. ", "")
    # The answer is echoed after the last line: on a line of its own, so a narrow
    # terminal never breaks it mid-word.
    return _wrapped(q.text, f"{q.hint.strip()} {keys}".strip()) + "\n"


def keys_hint(kind: str, back: bool, optional: bool = False) -> str:
    """The keys a question takes, said under it: no answer is ever given by a key not
    meant for it (Enter alone answers no yes/no question and picks no choice)."""
    if kind == "place":
        if optional:
            return "Optional, for the area's forums and SPOC. Tab: suggestion. Enter on empty or Esc: finish. ?: terms."
        return "Tab: suggestion. Esc: back. ?: terms." if back else "Tab: suggestion. ?: terms."
    way_back = "Esc: finish." if optional else ("b or Esc: back." if back else "")
    keys = "Press y or n." if kind == "yesno" else "Press a number, or arrows then Enter."
    return " ".join(k for k in (keys, way_back, "?: terms.") if k)


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
        return yes_no(text, io, back=back, data=data)
    if q.kind == "choice":
        choices = [
            questionary.Choice(title=b.label, value=b.value, shortcut_key=str(i), description=_described(b))
            for i, b in enumerate(q.branches, 1)
        ]
        if optional:
            choices.append(questionary.Choice(title="Finish here", value=FINISH, shortcut_key="0"))
        if back:
            choices.append(questionary.Choice(title="\u2190 Back", value=BACK, shortcut_key="b"))
        question = questionary.select(text, choices=choices, use_shortcuts=True, instruction=" ", **io)
        _explicit_choice(question, text)
        if optional:
            _bind(question, "escape", FINISH)
        if back:
            _bind(question, "b", BACK)
            if not optional:
                _bind(question, "escape", BACK)
        _explain_terms(question, data)
        return _prompt(question)
    if q.kind == "place":
        return _ask_place(q, text, data, io, back=back, optional=optional)
    raise AssertionError(f"a {q.kind} node is never asked")


def _described(b: Any) -> str | None:
    """What shows under the list for the highlighted choice: its plain meaning, then
    its example (the protocol's words, quoted as the tree gives them)."""
    parts = [p for p in (b.detail, getattr(b, "example", "") and f"e.g. {b.example}") if p]
    return ". ".join(parts) or None


def yes_no(
    text: str, io: dict[str, Any] | None = None, back: bool = False, started: Any = None, data: Any = None
) -> str:
    """One key: y or n answers at once; b or Esc goes back; Enter alone answers nothing
    (it says the keys again), so a stray Enter never stands for an answer nobody gave.
    `started` is called once the question is on screen (the data loads meanwhile)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
    from questionary.question import Question
    from questionary.styles import merge_styles_default

    status: dict[str, Any] = {"answer": None}

    def tokens() -> list:
        shown = [("class:qmark", "?"), ("class:question", f" {text} ")]
        if status["answer"] is None:
            shown.append(("class:instruction", "(y/n) "))
        else:
            shown.append(("class:answer", "Yes" if status["answer"] == "yes" else "No"))
        return shown

    bindings = KeyBindings()

    def answer(value: str) -> Any:
        def handler(event: Any) -> None:
            status["answer"] = value
            event.app.exit(result=value)

        return handler

    for key, value in (("y", "yes"), ("Y", "yes"), ("n", "no"), ("N", "no")):
        bindings.add(key, eager=True)(answer(value))

    @bindings.add(Keys.ControlC, eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add(Keys.ControlM, eager=True)
    def _(event: Any) -> None:
        _say(event.app, f"  {keys_hint('yesno', back)}")

    @bindings.add(Keys.Any)
    def _(event: Any) -> None:
        """Other keys insert nothing and answer nothing."""

    session = PromptSession(tokens, key_bindings=bindings, style=merge_styles_default([None]), **(io or {}))
    question = Question(session.app)
    if back:
        _bind(question, "b", BACK)
        _bind(question, "B", BACK)
        _bind(question, "escape", BACK)
    _explain_terms(question, data)
    if started is not None:
        _after_first_render(question, started)
    return _prompt(question)


def _ask_place(q: Question, text: str, data: Data, io: dict[str, Any], back: bool = False, optional: bool = False):
    import questionary

    from setguide.places.resolve import lookup

    found: dict[str, Any] = {}  # each name typed is looked up once, when Enter is pressed

    def valid(typed: str) -> bool | str:
        if not typed.strip():
            return True if optional else "type a town, district or authority, or 'outside SET'"
        result = found[typed] = found.get(typed) or lookup(data, typed)
        if result.place is not None or result.ambiguous:
            return True
        # One line, said short, suggestion first: the toolbar that shows it is cut at the
        # terminal's edge, and what was typed is on screen above it.
        exc = result.problem
        if exc.candidates:
            return f"Did you mean: {', '.join(exc.candidates[:2])}? Tab takes it."
        if "postcode" in exc.message:
            return "A postcode: type the town instead."
        return "Unknown place. A town, or: outside SET."

    question = questionary.autocomplete(
        text,
        choices=[],
        completer=PlaceCompleter(data),
        validate=valid,
        validate_while_typing=False,
        **io,
    )
    if optional:
        _bind(question, "escape", FINISH)
    elif back:
        _bind(question, "escape", BACK)
    _explain_terms(question, data)
    typed = _prompt(question)
    if typed in (BACK, FINISH):
        return typed
    if not typed.strip():
        return FINISH
    result = found.get(typed) or lookup(data, typed)
    if result.place is not None:
        return result.place
    if not result.ambiguous:
        raise result.problem
    picked = which_place(data, typed, io, result.choices, back=True)
    if picked == BACK:
        return _ask_place(q, text, data, io, back=back, optional=optional)
    return picked


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


def which_place(data: Data, text: str, io: dict[str, Any] | None = None, options: Any = None, back: bool = False):
    """A name two places share: ask which one is meant (`options`: the places it could
    mean, as `lookup` found them)."""
    import questionary

    from setguide.places.resolve import lookup

    options = _distinct(list(options if options is not None else lookup(data, text).choices))
    choices = [
        questionary.Choice(title=_place_label(data, r), value=i, shortcut_key=str(i + 1)) for i, r in enumerate(options)
    ]
    if back:
        choices.append(questionary.Choice(title="\u2190 Back", value=BACK, shortcut_key="b"))
    title = f"{echo(text.strip())} is more than one place. Which?"
    question = questionary.select(
        _wrapped(title, keys_hint("choice", back)), choices=choices, use_shortcuts=True, instruction=" ", **(io or {})
    )
    _explicit_choice(question, title)
    if back:
        _bind(question, "b", BACK)
        _bind(question, "escape", BACK)
    picked = _prompt(question)
    return BACK if picked == BACK else options[picked]


def _distinct(resolutions: list) -> list:
    seen: dict[tuple, Any] = {}
    for r in resolutions:
        seen.setdefault((r.authority, r.district, r.outside_where), r)
    return list(seen.values())


def _place_label(data: Data, r) -> str:
    if r.outside:
        return fill("{} ({}, outside SET)", r.name, r.outside_where) if r.outside_where else "outside SET"
    if r.district and data.districts[r.district].name != r.name:
        return fill("{} ({}, {})", r.name, data.districts[r.district].name, data.authorities[r.authority].name)
    return fill("{} ({})", r.name, data.authorities[r.authority].name)


def _bind(question: Any, key: str, result: Any) -> None:
    """A key that ends the question with `result` (a way back, or finish)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add(key, eager=True)
    def _(event: Any) -> None:
        event.app.exit(result=result)

    app = question.application
    app.key_bindings = merge_key_bindings([b for b in (app.key_bindings, bindings) if b is not None])


def _explicit_choice(question: Any, text: str) -> None:
    """A list is answered by a choice the user made: Enter before any number or arrow
    key picks nothing (the first item is not an answer by default); it says the keys again."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.keys import Keys

    chosen: list[bool] = []
    app = question.application
    for binding in app.key_bindings.bindings:
        if binding.keys and binding.keys[0] not in (Keys.ControlM, Keys.ControlC, Keys.ControlQ, Keys.Any):
            binding.handler = _marking(binding.handler, chosen)
    bindings = KeyBindings()

    @bindings.add(Keys.ControlM, eager=True, filter=Condition(lambda: not chosen))
    def _(event: Any) -> None:
        _say(event.app, f"  {keys_hint('choice', False)}")

    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])


def _marking(handler: Any, chosen: list[bool]) -> Any:
    def marked(event: Any) -> Any:
        chosen.append(True)
        return handler(event)

    return marked


def _say(app: Any, text: str) -> None:
    """A line printed above the question, which is drawn again under it."""
    from prompt_toolkit.application import run_in_terminal

    output = app.output

    def write() -> None:
        output.write(text + "\n")
        output.flush()

    run_in_terminal(write)


def _explain_terms(question: Any, data: Any) -> None:
    """`?` shows the protocol's short forms (MACE, CAIT, SPOC...) above the question."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("?", eager=True)
    def _(event: Any) -> None:
        _say(event.app, glossary(data))

    app = question.application
    app.key_bindings = merge_key_bindings([b for b in (app.key_bindings, bindings) if b is not None])


def glossary(data: Any = None) -> str:
    """The terms, each with where its meaning comes from: the protocol section that
    spells it out, or the named public source (search.toml)."""
    import shutil
    import textwrap

    try:
        from setguide.find.lexicon import search_data

        if data is None:
            from setguide.model.data import get

            data = get()
        synonyms = search_data(data).synonyms
    except Exception:  # a fault in the data must not end the question
        return "  The terms could not be read; `setguide search TERM` says why."
    # Terms from named public sources first, each source listed once with its link; the
    # protocol's own last, nearest the question, so MACE, CAIT and SPOC stay on screen.
    shown = [syn for syn in synonyms if syn.shown and syn.terms[0].isupper()]
    sources: list[str] = []
    public: dict[str, list[str]] = {}
    protocol: dict[str, list[str]] = {}
    for syn in shown:
        if syn.section is not None:
            protocol.setdefault(syn.terms[0], []).append(f"{_spelt_out(syn.terms)} [{syn.cite}]")
            continue
        if syn.cite not in sources:
            sources.append(syn.cite)
        public.setdefault(syn.terms[0], []).append(f"{_spelt_out(syn.terms)} [source {sources.index(syn.cite) + 1}]")
    width = max(min(shutil.get_terminal_size((80, 24)).columns, 100) - 2, 20)

    def wrap(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(
            text, width, initial_indent=first, subsequent_indent=rest, break_long_words=False, break_on_hyphens=False
        )

    lines: list[str] = []
    if public:
        lines.append("Other terms, each from the public source numbered:")
        for short, means in public.items():
            lines += wrap(f"{short}: {'; '.join(means)}", "  ", "    ")
        lines.append("Sources:")
        for n, source in enumerate(sources, 1):
            lines += wrap(f"{n}. {source}", "  ", "     ")
    lines.append("Terms the protocol spells out, with its section (setguide search TERM for more):")
    for short, means in protocol.items():
        lines += wrap(f"{short}: {'; '.join(means)}", "  ", "    ")
    return "\n".join(lines)


def _spelt_out(terms: tuple[str, ...]) -> str:
    """The term that spells the short form out, letter by word ("red amber green" for RAG)."""
    short = terms[0].casefold()
    for term in terms[1:]:
        if "".join(w[0] for w in term.casefold().split()) == short:
            return term
    return terms[1]


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
    """The one place a question is put to the user. Keys typed before it is drawn (an
    Enter pressed with the last answer) are dropped: they were meant for no question."""
    _cancel_on_ctrl_d(question)
    question.application.pre_run_callables.append(lambda: _flush_typeahead(question.application))
    try:
        answer = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise Cancelled() from None
    if answer is None:  # the prompt ended without an answer
        raise Cancelled()
    return answer


def _flush_typeahead(app: Any) -> None:
    """At a real terminal only: a test's pipe holds keys meant for every question."""
    import os

    try:
        fd = app.input.fileno()
        if not os.isatty(fd):
            return
    except (AttributeError, NotImplementedError, OSError, ValueError):
        return
    from prompt_toolkit.input.typeahead import clear_typeahead

    clear_typeahead(app.input)
    try:
        import termios

        termios.tcflush(fd, termios.TCIFLUSH)
    except (ImportError, OSError):
        pass


def _cancel_on_ctrl_d(question: Any) -> None:
    """questionary's lists ignore Ctrl-D; end of input must cancel at every question."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError(), style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([b for b in (app.key_bindings, bindings) if b is not None])
