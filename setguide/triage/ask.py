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
from setguide.base.facts import fill, join
from setguide.base.text import echo

if TYPE_CHECKING:  # the tree and the data load while the first question waits, not before it
    from setguide.model.data import Data
    from setguide.triage.tree import Outcome, Question, Tree

from setguide.triage.linear import BACK, FINISH  # noqa: F401 (the wizard's answers that are no answer)


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
    linear: Any = None,
) -> Outcome:
    """Ask until the tree reaches a plan, each answer into `answers` (the one answers
    object, which the flags filled first). `now` is read at each step, so an answer
    given at 17:59 is routed by the clock at the moment it is decided. `history` names
    the answers already asked (not given by flag), so a way back leads to them.
    `linear` (a `linear.Lines`): plain numbered lines instead of prompts drawn in place."""
    from setguide.triage import tree as routing

    asked = list(history)
    io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
    while True:
        step = routing.next_step(answers, now(), data, tree, schedules)
        if isinstance(step, routing.Outcome):
            return step
        q = step.question
        answer = ask(q, data, io, back=bool(asked), linear=linear)
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
    linear: Any = None,
) -> list[str]:
    """The optional questions a plan offers once it is on screen, their answers into
    `answers`. Enter on an empty answer, Esc or Ctrl-C ends them: advice was given, so
    that is no cancellation. Returns the keys answered (none when the user ended at the first)."""
    from setguide.triage import tree as routing

    given: list[str] = []
    io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
    step: Any = outcome
    try:
        while isinstance(step, routing.Outcome) and step.offer is not None:
            q = step.offer
            answer = ask(q, data, io, back=bool(given), optional=True, linear=linear)
            if answer == FINISH:
                break
            if answer == BACK:
                answers.pop(given.pop(), None)
            else:
                answers[q.answer] = answer
                given.append(q.answer)
            step = routing.next_step(answers, now(), data, tree, schedules)
    except (Cancelled, KeyboardInterrupt):  # Ctrl-C even before the question is drawn: advice was given
        pass
    return given


def message(q: Question, back: bool, optional: bool = False, linear: bool = False) -> str:
    """The question with its one-line hint under it, and the keys that leave it."""
    if linear:  # typed lines: no Tab, no Esc, no arrows
        hint = q.hint.replace(" Tab takes a suggestion.", "").strip()
        return f"{q.text}\n{hint}" if hint else q.text
    keys = keys_hint(q.kind, back, optional)
    if q.kind == "yesno" and "y:" in q.hint and "n:" in q.hint:  # the hint already says what y and n do
        keys = keys.replace("Press y or n. ", "")
    if q.kind == "place" and "Tab" in q.hint:
        keys = keys.replace("Tab: suggestion. ", "")
    # The answer is echoed after the last line: on a line of its own, so a narrow
    # terminal never breaks it mid-word.
    return _wrapped(q.text, f"{q.hint.strip()} {keys}".strip()) + "\n"


def keys_hint(kind: str, back: bool, optional: bool = False, linear: bool = False) -> str:
    """The keys a question takes, said under it: no answer is ever given by a key not
    meant for it (Enter alone answers no yes/no question and picks no choice)."""
    if linear:
        keys = {"yesno": "Type y or n, then Enter.", "place": "Type a place, then Enter."}.get(
            kind, "Type a number, then Enter."
        )
        finish = "Enter on empty: finish." if optional else ""
        return " ".join(k for k in (keys, finish, "b: back." if back else "", "?: terms.") if k)
    if kind == "place":
        if optional:
            return "Optional. Tab: suggestion. Enter on empty or Esc: finish. ?: terms."
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


def ask(
    q: Question, data: Data, io: dict[str, Any], back: bool = False, optional: bool = False, linear: Any = None
) -> Any:
    if linear is not None:
        return _ask_linear(q, data, linear, back, optional)
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


def _ask_linear(q: Question, data: Data, lines: Any, back: bool, optional: bool) -> Any:
    """The same question as plain numbered lines (`linear`): nothing drawn in place."""
    from setguide.triage import linear

    lines.question(message(q, back, optional, linear=True))
    keys = keys_hint(q.kind, back, optional, linear=True)

    def terms() -> str:
        return glossary(data)

    if q.kind == "yesno":
        return lines.answer(linear.yes_no(lines, "", keys, back, terms))
    if q.kind == "choice":
        options = [(b.label, b.value, " ".join(p for p in _meaning(b) if p)) for b in q.branches]
        return lines.answer(linear.choice(lines, "", options, keys, back, optional, terms))
    if q.kind == "place":

        def which(typed: str, choices: Any) -> Any:
            return which_place(data, typed, options=choices, back=True, linear=lines)

        return lines.answer(linear.place(lines, "", keys, back, optional, data, terms, which))
    raise AssertionError(f"a {q.kind} node is never asked")


def _meaning(b: Any) -> tuple[str, str]:
    """A choice's plain meaning, and its example (the protocol's words, whole, as the
    tree gives them; "e.g." once, whether or not the tree's words begin with it)."""
    example = (getattr(b, "example", "") or "").strip()
    if example and not example.casefold().startswith("e.g."):
        example = f"e.g. {example}"
    detail = (b.detail or "").strip()
    if detail and example and not detail.endswith("."):
        detail += "."
    return detail, example


def _described(b: Any) -> str | None:
    """What shows under the list for the highlighted choice, broken at words to fit
    the terminal (questionary would cut it at the edge): the whole meaning, then the
    example starting a line of its own."""
    import shutil
    import textwrap

    parts = [p for p in _meaning(b) if p]
    if not parts:
        return None
    width = max(shutil.get_terminal_size((80, 24)).columns - 1, 20)
    prefix = "  Description: "  # questionary's own words before it
    lines: list[str] = []
    for part in parts:
        lines += textwrap.wrap(
            part,
            width,
            initial_indent=" " * len(prefix) if not lines else "    ",
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(lines)[len(prefix) :]


def yes_no(
    text: str,
    io: dict[str, Any] | None = None,
    back: bool = False,
    started: Any = None,
    data: Any = None,
    linear: Any = None,
) -> str:
    """One key: y or n answers at once; b or Esc goes back; Enter alone answers nothing
    (it says the keys again), so a stray Enter never stands for an answer nobody gave.
    `started` is called once the question is on screen (the data loads meanwhile).
    `linear`: the question as plain lines, answered by y or n and Enter."""
    if linear is not None:
        from setguide.triage import linear as plain_lines

        linear.question(text)
        keys = keys_hint("yesno", back, linear=True)
        return linear.answer(plain_lines.yes_no(linear, "", keys, back, lambda: glossary(data), started))
    from questionary.question import Question

    question = Question(_yes_no_session(text, io, back).app)
    if back:
        _bind(question, "b", BACK)
        _bind(question, "B", BACK)
        _bind(question, "escape", BACK)
    _explain_terms(question, data)
    if started is not None:
        _after_first_render(question, started)
    return _prompt(question)


def _yes_no_session(text: str, io: dict[str, Any] | None, back: bool) -> Any:
    """The yes/no prompt: the question, then `(y/n)` until answered, then the answer."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
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

    return PromptSession(tokens, key_bindings=bindings, style=merge_styles_default([None]), **(io or {}))


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
            from setguide.model.marks import labelled  # loaded with the data, which this question needed

            names = join(", ", (labelled(data, c) for c in exc.candidates[:2]))
            return f"Did you mean: {names!s}? Tab takes it."  # a corrected name says so beside it
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
        _bind(question, "escape", FINISH, clear=True)
    elif back:
        _bind(question, "escape", BACK, clear=True)
    _clear_on_ctrl_c(question)
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


def which_place(
    data: Data, text: str, io: dict[str, Any] | None = None, options: Any = None, back: bool = False, linear: Any = None
):
    """A name two places share: ask which one is meant (`options`: the places it could
    mean, as `lookup` found them)."""
    from setguide.places.resolve import lookup

    options = _distinct(list(options if options is not None else lookup(data, text).choices))
    title = f"{echo(text.strip())} is more than one place. Which?"
    if linear is not None:
        from setguide.triage import linear as plain_lines

        listed = [(_place_label(data, r), i, "") for i, r in enumerate(options)]
        keys = keys_hint("choice", back, linear=True)
        picked = plain_lines.choice(
            linear, plain_lines.wrap(title, ""), listed, keys, back, False, lambda: glossary(data)
        )
        return BACK if picked == BACK else options[picked]
    import questionary

    choices = [
        questionary.Choice(title=_place_label(data, r), value=i, shortcut_key=str(i + 1)) for i, r in enumerate(options)
    ]
    if back:
        choices.append(questionary.Choice(title="\u2190 Back", value=BACK, shortcut_key="b"))
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
        label = fill("{} ({}, {})", r.name, data.districts[r.district].name, data.authorities[r.authority].name)
    else:
        label = fill("{} ({})", r.name, data.authorities[r.authority].name)
    from setguide.model.marks import labelled  # loaded with the data, which this question needed

    return labelled(data, label)


def _bind(question: Any, key: str, result: Any, clear: bool = False) -> None:
    """A key that ends the question with `result` (a way back, or finish). `clear`: what
    was typed is wiped first, so the last drawing of the question shows no answer that
    looks accepted (a place typed, then left with Esc)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add(key, eager=True)
    def _(event: Any) -> None:
        if clear:
            event.app.current_buffer.reset()
        event.app.exit(result=result)

    app = question.application
    app.key_bindings = merge_key_bindings([b for b in (app.key_bindings, bindings) if b is not None])


def _clear_on_ctrl_c(question: Any) -> None:
    """Ctrl-C at a place wipes what was typed before it ends the question: the place
    was not accepted, and the screen must not show it as if it were."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-c", eager=True)
    def _(event: Any) -> None:
        event.app.current_buffer.reset()
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])


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
    drain_console(fd)


# Enough for any burst of keys a person types ahead, and a bound on a console that
# keeps reporting a key: the question is never held up.
DRAIN_LIMIT = 1024


def drain_console(fd: int) -> int:
    """Drop the keys waiting at the terminal: with termios where it exists (POSIX), else
    from the Windows console with msvcrt, one key at a time. Returns the keys dropped
    from a Windows console (termios does not say)."""
    try:
        import termios
    except ImportError:
        termios = None  # type: ignore[assignment]
    if termios is not None:
        try:
            termios.tcflush(fd, termios.TCIFLUSH)
        except (OSError, termios.error):
            pass
        return 0
    try:
        import msvcrt
    except ImportError:
        return 0
    dropped = 0
    try:
        while dropped < DRAIN_LIMIT and msvcrt.kbhit():
            msvcrt.getwch()
            dropped += 1
    except OSError:
        pass
    return dropped


def _cancel_on_ctrl_d(question: Any) -> None:
    """questionary's lists ignore Ctrl-D; end of input must cancel at every question."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError(), style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([b for b in (app.key_bindings, bindings) if b is not None])
