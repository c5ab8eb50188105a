"""Commands: triage and tree.

setguide's own modules are imported inside the functions here, not at the top: the
threat-to-life question must be on screen before the tree, the data or the prompts'
answers are loaded (the bench's first-question and key-to-999 rows hold it to that).
"""

from __future__ import annotations

from typing import Optional

import typer

from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def triage(
        threat_to_life: Optional[bool] = typer.Option(
            None, "--threat-to-life/--no-threat-to-life", help="Q1: is there an immediate threat to life or safety?"
        ),
        offence: Optional[bool] = typer.Option(
            None,
            "--offence/--no-offence",
            help="Q2: is an offence thought likely to have been, or at risk of being, committed (child or adult)?",
        ),
        urgent: Optional[bool] = typer.Option(
            None, "--urgent/--not-urgent", help="Q3: is an urgent response needed (no immediate threat to life)?"
        ),
        level: Optional[str] = typer.Option(
            None,
            "--level",
            metavar="LEVEL",
            help="Q4: operational (a concern about a child), potential (potential information: no immediate "
            "risk), strategic (patterns across SET, or emerging in one SET area with the potential to expand "
            "into others) or not-sure (the child protection front door first).",
        ),
        area: Optional[str] = typer.Option(
            None, "--area", metavar="PLACE", help="Q5: a town, district or authority, or 'outside SET'."
        ),
        theme: Optional[str] = typer.Option(
            None,
            "--theme",
            metavar="THEME",
            help="Q6 (Southend, Thurrock): county-lines, criminal-exploitation, gangs, missing, "
            "sexual-exploitation, trafficking or not-sure.",
        ),
        touches: Optional[str] = typer.Option(
            None,
            "--touches",
            metavar="AREA",
            help="With --area 'outside SET': where in SET the concern touches: essex, southend, thurrock or none.",
        ),
        at: Optional[str] = typer.Option(
            None,
            "--at",
            metavar="WHEN",
            help="Route as at this moment: 17:45 (today), or a date and time (no offset = UK time). Default: now.",
        ),
        record: Optional[str] = typer.Option(
            None,
            "--record",
            metavar="FILE",
            help="Also write a Markdown record of the questions, answers and advice to FILE "
            "(or a new file in FILE if it is a folder); private (0600), never overwritten.",
        ),
        json_: bool = JSON_OPT,
        plain: bool = PLAIN_OPT,
    ) -> None:
        """A plan: whom to contact now, the other routes, and what follows; at most five questions.

        If there is an immediate threat to life or safety, call 999 now.
        Every question is also a flag; questions no flag answers are asked, one
        key for yes or no. Not at a terminal, a missing answer is an error naming
        its flag.

        Example: setguide triage --no-threat-to-life --offence --urgent
        """
        _triage(
            dict(
                threat_to_life=threat_to_life,
                offence=offence,
                urgent=urgent,
                level=level,
                area=area,
                theme=theme,
                touches=touches,
            ),
            at,
            record,
            json_,
            plain,
        )

    @app.command()
    def tree(
        format_: str = typer.Option(
            "rich", "--format", metavar="FORMAT", help="rich (an indented tree) or mermaid (a diagram to review)."
        ),
        plain: bool = PLAIN_OPT,
    ) -> None:
        """The triage decision tree: every question, answer and outcome.

        Example: setguide tree --format mermaid > triage.mmd
        """
        from setguide.base.names import match
        from setguide.model.data import load
        from setguide.output import console as out
        from setguide.output.blocks import Para
        from setguide.triage import tree as routing
        from setguide.triage import view as triage_view

        fmt = match("format", format_, {"rich": [], "mermaid": []})
        # The tree as packaged, for review of its structure: a local correction (which
        # triage marks on each plan) has no place in a diagram file.
        t = routing.tree_for(load())
        if fmt == "mermaid":
            out.show([Para(triage_view.tree_mermaid(t).rstrip("\n"))], plain=True, marks={})
        else:
            out.show([triage_view.tree_outline(t)], plain, marks={})


def _area(data, text: str):
    """--area: a name two places share is asked about at a terminal, an error elsewhere."""
    from setguide.places.resolve import lookup

    found = lookup(data, text)
    if found.place is not None:
        return found.place
    if not (found.ambiguous and console.interactive()):
        raise found.problem
    from setguide.triage import ask

    return ask.which_place(data, text, options=found.choices)


def _triage(flags: dict, at: str | None, record: str | None, json_: bool, plain: bool) -> None:
    # Only what the checks of the flags and the first question need: the tree, the
    # views and the model are imported once the question is on screen.
    from setguide.base import clock
    from setguide.base.errors import SetguideError
    from setguide.base.text import one_line
    from setguide.output import console as out

    threat_to_life = flags["threat_to_life"]
    notes: list[str] = []

    def checked(flag: str, parse, value):
        """A flag's value; with a threat to life, a mistake in any other flag becomes a
        caution beside the 999 route instead of an error that stands in its way."""
        if value is None:
            return None
        try:
            return parse(value)
        except SetguideError as exc:
            if threat_to_life is not True:
                raise
            notes.append(f"{flag} was not used: {exc.message!s}" + (f" ({exc.hint!s})" if exc.hint else ""))
            return None

    # Every flag is checked before the first question: an answer is never asked for
    # and then thrown away by an error about a flag typed with it.
    fixed = checked("--at", clock.parse_at, at)
    if fixed is not None and at is not None and not _plain_clock(at):
        out.note(f"Routing as at {clock.moment_text(fixed)} (UK time).")
    if record is not None and console.interactive():
        # Before any question is asked; without questions the advice comes first, and a
        # record that cannot be written is said after it (the advice stands).
        record = checked("--record", _record_target, record)
    loader = _Loader(warm_renderer=not json_ and not out.want_plain(plain))
    needs_data = any(flags[k] is not None for k in ("level", "theme", "touches", "area"))
    given: dict = {}
    if needs_data:
        data, caution, tree = _loaded(loader, threat_to_life)
        given = _flag_answers(flags, data, tree, checked)
    asked_first = False
    if threat_to_life is None and console.interactive():
        threat_to_life = _ask_threat_first(loader.start)
        asked_first = threat_to_life is not None
    if not needs_data:
        data, caution, tree = _loaded(loader, threat_to_life)
    if caution:
        notes.insert(0, caution)
    from setguide.model.marks import marks_for
    from setguide.output.blocks import Gap
    from setguide.triage import tree as routing
    from setguide.triage import view as triage_view

    answers = {"threat": threat_to_life, **given} if threat_to_life is not None else dict(given)
    answers.update({k: flags[k] for k in ("offence", "urgent") if flags[k] is not None})
    when = (lambda: fixed) if fixed else clock.now
    # The emergency plan names no forum: it never waits for the meetings file.
    schedules = {} if threat_to_life is True else _schedules(data, notes)
    step = routing.next_step(answers, when(), data, tree, schedules)
    if isinstance(step, routing.Pending):
        if not console.interactive():
            raise routing.missing(step.question)
        from setguide.triage import ask

        history = ("threat",) if asked_first else ()
        outcome = ask.wizard(answers, when, data, tree, history=history, schedules=schedules, answers_out=answers)
    else:
        outcome = step
    marks = marks_for(data, when().date())
    if json_:
        out.show_json(triage_view.outcome_json(outcome, notes), marks=marks)
    else:
        out.show(triage_view.outcome_doc(outcome, notes=notes), plain, marks=marks)
    if outcome.offer is not None and console.interactive() and not json_:
        # Advice is on screen: from here, ending a question is no cancellation (exit 0).
        from setguide.triage import ask

        extra = ask.offer(outcome, answers, when, data, tree, schedules=schedules)
        if extra:
            answers.update(extra)
            outcome = routing.next_step(answers, when(), data, tree, schedules)
            out.show(triage_view.also_doc(outcome), plain, marks=marks)
        else:
            out.show([Gap(), *triage_view.now_blocks(outcome)], plain, marks=marks)
    if record is not None:
        # Written only after the advice is on screen: a failed write never delays it.
        from setguide.triage import record as rec

        path = rec.write(rec.target(record, outcome), rec.markdown(outcome, data, marks=marks, notes=notes))
        # The whole path, on one line: the user must be able to find the record.
        out.note(f"Record written: {one_line(str(path), limit=None)}", whole=True)


def _plain_clock(at: str) -> bool:
    """A moment written out in digits needs no saying back; a weekday ("Fri 17:45") does."""
    import re

    return re.search(r"[A-Za-z]{2,}", at) is None


def _loaded(loader, threat_to_life):
    """The data and the tree; with a threat to life, a failure to load them still shows 999."""
    from setguide.base.errors import SetguideError
    from setguide.output import console as out

    if threat_to_life is not True:
        return loader.get()
    try:
        return loader.get()
    except Exception as exc:
        # Nothing the data holds may stand between a user and 999.
        out.show(_emergency_without_data(), False, marks={})
        global EMERGENCY_SHOWN
        EMERGENCY_SHOWN = True
        if isinstance(exc, SetguideError):
            raise
        raise SetguideError(f"setguide could not load its data ({type(exc).__name__})") from None


def _flag_answers(flags: dict, data, tree, checked) -> dict:
    """The answers the choice and place flags give, each checked now, so a typo is an
    error before any question and even when its question is not reached."""
    parsed = (
        ("level", checked("--level", lambda v: _choice(tree, "level", v), flags["level"])),
        ("theme", checked("--theme", lambda v: _choice(tree, "theme", v), flags["theme"])),
        ("touches", checked("--touches", lambda v: _choice(tree, "touches", v), flags["touches"])),
        ("area", checked("--area", lambda v: _area(data, v), flags["area"])),
    )
    return {key: value for key, value in parsed if value is not None}


def _record_target(given: str) -> str:
    """--record, checked before any question: a name, a folder that exists or a new file
    in one; the file itself is made only after the advice is on screen."""
    from pathlib import Path

    from setguide.base.errors import UsageError
    from setguide.base.text import echo

    if not given.strip():
        raise UsageError("--record: the file name is empty", "give a file name or a folder")
    path = Path(given)
    if path.is_dir():
        return given
    if path.exists():
        raise UsageError(
            f"--record: {echo(given)} already exists",
            "setguide never overwrites a record; give a new file name or a folder",
        )
    if not path.parent.is_dir():
        where = str(path.parent)
        raise UsageError(
            f"--record: no folder {echo(where)} to write {echo(path.name)} in", "give a folder that exists"
        )
    return given


# Set once the 999 route is on screen, so an error after it does not show it again.
EMERGENCY_SHOWN = False


def emergency_blocks() -> list:
    """The 999 route, for an error exit of `triage --threat-to-life`: whatever else is
    wrong with the command line, the one instruction that needs nothing is shown."""
    return _emergency_without_data()


def _emergency_without_data() -> list:
    """The 999 route when the data could not be loaded: the one instruction that needs none."""
    from setguide.output.blocks import Field, Heading, Para

    return [
        Heading("EMERGENCY: Call 999 now"),
        Para('If there is an immediate threat to life or safety, Essex Police "should be contacted on 999" [§1].'),
        Field("Phone", "999"),
    ]


class _Loader:
    """The data and the tree, loaded in a background thread while the first question
    waits, so the answer is ready when the key is pressed. Started only once the
    question is on screen (it never delays it); without a question, loaded in line."""

    def __init__(self, warm_renderer: bool = False) -> None:
        self._thread = None
        self._result = None
        self._error: BaseException | None = None
        self._warm = warm_renderer

    def start(self) -> None:
        import threading

        if self._thread is None and self._result is None:  # loaded already (a flag needed it): nothing to do
            self._thread = threading.Thread(target=self._run, name="setguide-load", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            from setguide.model.data import load_for_triage
            from setguide.triage import tree as routing

            data, caution = load_for_triage()
            self._result = (data, caution, routing.tree_for(data))
            import setguide.model.marks  # noqa: F401 (what the answer needs next, imported while the question waits)
            import setguide.triage.view  # noqa: F401

            if self._warm:
                import setguide.output.rich_renderer  # noqa: F401 (imported now, so the answer is drawn at once)
        except BaseException as exc:  # raised where the answer is needed, in the main thread
            self._error = exc

    def get(self):
        if self._thread is None:
            if self._result is None:
                self._run()
        else:
            self._thread.join()
        if self._error is not None and self._result is None:
            raise self._error
        return self._result


def _schedules(data, notes: list[str]) -> dict:
    """The meeting dates the user recorded; a fault in that file is a caution, never an error."""
    try:
        from setguide.forums import meetings

        return meetings.load(data).schedules
    except Exception as exc:
        message = getattr(exc, "message", type(exc).__name__)
        notes.append(f"Your recorded meeting dates were not read ({message}); the forums are shown without them.")
        return {}


def _tree_file():
    """tree.toml, found as `model.data.data_dir` finds the data, without importing the
    model: its validation is not needed for the first question, and would delay it."""
    import os
    from pathlib import Path

    override = os.environ.get("SETGUIDE_DATA_DIR")
    if override:
        return Path(override) / "tree.toml"
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data"
    return (packaged if packaged.is_dir() else package.parent / "data") / "tree.toml"


def _ask_threat_first(started) -> bool | None:
    """The threat-to-life question, put before anything else is loaded, so it is on
    screen as fast as the prompt library allows; `started` begins loading the rest
    once it is drawn. It is read and checked by the tree's own question reader; if the
    tree's first node is not this yes/no question, the wizard asks it in the usual way."""
    from setguide.base.errors import DataError
    from setguide.triage.questions import first_question

    try:
        q = first_question(_tree_file())
    except (DataError, OSError):
        started()
        return None
    if q.kind != "yesno" or q.answer != "threat":
        started()
        return None
    from setguide.triage import ask

    return ask.yes_no(ask.message(q, back=False), started=started) == "yes"


def _choice(tree, key: str, given: str | None) -> str | None:
    """A --level or --theme value, checked now so a typo is an error even when the question is not reached."""
    if given is None:
        return None
    from setguide.base.names import match

    names: dict[str, list[str]] = {}
    for q in tree.nodes.values():
        if q.answer == key:
            for b in q.branches:
                names.setdefault(b.value, []).append(b.label)
    return match(key, given, names)
