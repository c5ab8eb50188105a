"""Commands: triage and tree.

setguide's own modules are imported inside the functions here, not at the top: the
threat-to-life question must be on screen before the tree, the data or the prompts'
answers are loaded (the bench's first-question and key-to-999 rows hold it to that).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import typer

from setguide.base.facts import fill
from setguide.options import JSON_OPT, PLAIN_OPT
from setguide.output import console

THREAT_OPT = typer.Option(
    None, "--threat-to-life/--no-threat-to-life", help="Q1: is there an immediate threat to life or safety?"
)
OFFENCE_OPT = typer.Option(
    None,
    "--offence/--no-offence",
    help="Q2: is an offence thought likely to have been, or at risk of being, committed (child or adult)?",
)
URGENT_OPT = typer.Option(
    None, "--urgent/--not-urgent", help="Q3: is an urgent response needed (no immediate threat to life or safety)?"
)
LEVEL_OPT = typer.Option(
    None,
    "--level",
    metavar="LEVEL",
    help="Q4: operational (a concern about a child), potential (potential information: no immediate "
    "risk), strategic (patterns across SET, or emerging in one SET area with the potential to expand "
    "into others) or not-sure (the child protection front door first).",
)
AREA_OPT = typer.Option(None, "--area", metavar="PLACE", help='Q5: a town, district or authority, or "outside SET".')
THEME_OPT = typer.Option(
    None,
    "--theme",
    metavar="THEME",
    help="Q6 (Southend, Thurrock): county-lines, criminal-exploitation, gangs, missing, "
    "sexual-exploitation, trafficking or not-sure.",
)
TOUCHES_OPT = typer.Option(
    None,
    "--touches",
    metavar="AREA",
    help='With --area "outside SET": where in SET the concern touches: essex, southend, thurrock or none.',
)
AT_OPT = typer.Option(
    None,
    "--at",
    metavar="WHEN",
    help="Route as at this moment: 17:45 or 5.45pm (today), Fri 5.45pm, or a date and time "
    "(no offset = UK time). Default: now.",
)
RECORD_OPT = typer.Option(
    None,
    "--record",
    metavar="FILE",
    help="Also write a Markdown record of the questions, answers and advice to FILE "
    "(or a new file in FILE if it is a folder); private (0600), never overwritten.",
)
LINEAR_OPT = typer.Option(
    False,
    "--linear",
    help="Ask each question as plain numbered lines, answered by typing and Enter; nothing is redrawn "
    "(for screen readers). Also SETGUIDE_LINEAR=1, and wherever TERM=dumb.",
)
FORMAT_OPT = typer.Option(
    "rich", "--format", metavar="FORMAT", help="rich (an indented tree) or mermaid (a diagram to review)."
)


@dataclass(frozen=True)
class TriageOptions:
    """What `setguide triage` was given on its command line."""

    threat_to_life: bool | None = None
    offence: bool | None = None
    urgent: bool | None = None
    level: str | None = None
    area: str | None = None
    theme: str | None = None
    touches: str | None = None
    at: str | None = None
    record: str | None = None
    json_: bool = False
    plain: bool = False
    linear: bool = False


def triage(
    threat_to_life: Optional[bool] = THREAT_OPT,
    offence: Optional[bool] = OFFENCE_OPT,
    urgent: Optional[bool] = URGENT_OPT,
    level: Optional[str] = LEVEL_OPT,
    area: Optional[str] = AREA_OPT,
    theme: Optional[str] = THEME_OPT,
    touches: Optional[str] = TOUCHES_OPT,
    at: Optional[str] = AT_OPT,
    record: Optional[str] = RECORD_OPT,
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
    linear: bool = LINEAR_OPT,
) -> None:
    """A plan: whom to contact now, the other routes, and what follows; at most five questions.

    If there is an immediate threat to life or safety, call 999 now.
    Every question is also a flag; questions no flag answers are asked, one
    key for yes or no. Not at a terminal, a missing answer is an error naming
    its flag.

    Example: setguide triage --no-threat-to-life --offence --urgent
    """
    run(TriageOptions(threat_to_life, offence, urgent, level, area, theme, touches, at, record, json_, plain, linear))


def tree(format_: str = FORMAT_OPT, plain: bool = PLAIN_OPT) -> None:
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


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(triage)
    app.command()(tree)


def _area(data, text: str, prompter=None):
    """--area: a name two places share is asked about at a terminal, an error elsewhere."""
    from setguide.places.resolve import lookup

    found = lookup(data, text)
    if found.place is not None:
        return found.place
    if not (found.ambiguous and console.interactive()):
        raise found.problem
    from setguide.triage import ask

    return ask.which_place(data, text, options=found.choices, linear=prompter)


def run(opts: TriageOptions) -> None:
    """One triage: the flags checked, the questions no flag answered asked, the plan shown,
    and the record written from what was shown."""
    from setguide.output import console as out

    r = _Run(opts)
    r.check_flags()
    r.first_answers()
    outcome = r.decide()
    if opts.json_:
        from setguide.triage import view as triage_view

        out.show_json(triage_view.outcome_json(outcome, r.notes), marks=r.marks)
        r.shown = r.doc(outcome)
    else:
        outcome = r.present(outcome)
    if r.record is not None:
        r.write_record(outcome)


class _Run:
    """The state of one triage: the notes said beside the plan, one answers object (filled
    once, from the flags and then the keys), and the blocks shown, as shown."""

    def __init__(self, opts: TriageOptions) -> None:
        from setguide.output import console as out
        from setguide.triage import linear

        self.opts = opts
        self.threat = opts.threat_to_life
        self.notes: list[str] = []
        self.record = opts.record
        self.fixed = None
        self.answers: dict = {}
        self.asked_first = False
        self.prompter = linear.Lines() if linear.enabled(opts.linear) else None
        # The linear wizard's answer is plain lines too: nothing drawn in place.
        self.plain = opts.plain or self.prompter is not None
        self.loader = _Loader(warm_renderer=not opts.json_ and not out.want_plain(self.plain))
        self.shown: list = []
        self.marks: dict = {}

    def checked(self, flag: str, parse, value):
        """A flag's value; with a threat to life, a mistake in any other flag becomes a
        caution beside the 999 route instead of an error that stands in its way."""
        from setguide.base.errors import SetguideError

        if value is None:
            return None
        try:
            return parse(value)
        except SetguideError as exc:
            if self.threat is not True:
                raise
            # Its keys kept: a corrected name it echoes is marked beside the 999 route.
            hint = fill(" ({})", exc.hint) if exc.hint else ""
            self.notes.append(fill("{} was not used: {}{}", flag, exc.message, hint))
            return None

    def check_flags(self) -> None:
        """Every flag is checked before the first question: an answer is never asked for
        and then thrown away by an error about a flag typed with it."""
        from setguide.base import clock
        from setguide.output import console as out

        at = self.opts.at
        self.fixed = self.checked("--at", clock.parse_at, at)
        if self.fixed is not None and at is not None and not _plain_clock(at):
            out.note(f"Routing as at {clock.moment_text(self.fixed)} (UK time).")
        if self.record is not None and console.interactive():
            # Before any question is asked; without questions the advice comes first, and a
            # record that cannot be written is said after it (the advice stands).
            self.record = self.checked("--record", _record_target, self.record)

    def first_answers(self) -> None:
        """The flags' answers, then the threat-to-life question, asked before the rest loads."""
        o = self.opts
        needs_data = any(v is not None for v in (o.level, o.theme, o.touches, o.area))
        if needs_data:
            self.data, caution, self.tree = _loaded(self.loader, self.threat)
            self.answers.update(self._flag_answers())
        if self.threat is None and console.interactive():
            self.threat = _ask_threat_first(self.loader.start, self.prompter)
            self.asked_first = self.threat is not None
        if not needs_data:
            self.data, caution, self.tree = _loaded(self.loader, self.threat)
        if caution:
            self.notes.insert(0, caution)
        if self.threat is not None:
            self.answers["threat"] = self.threat
        self.answers.update({k: v for k, v in (("offence", o.offence), ("urgent", o.urgent)) if v is not None})

    def _flag_answers(self) -> dict:
        """The answers the choice and place flags give, each checked now, so a typo is an
        error before any question and even when its question is not reached."""
        o, tree = self.opts, self.tree
        parsed = (
            ("level", self.checked("--level", lambda v: _choice(tree, "level", v), o.level)),
            ("theme", self.checked("--theme", lambda v: _choice(tree, "theme", v), o.theme)),
            ("touches", self.checked("--touches", lambda v: _choice(tree, "touches", v), o.touches)),
            ("area", self.checked("--area", lambda v: _area(self.data, v, self.prompter), o.area)),
        )
        return {key: value for key, value in parsed if value is not None}

    def when(self):
        from setguide.base import clock

        return self.fixed if self.fixed else clock.now()

    def decide(self):
        """The plan the answers reach, asking what they leave open."""
        from setguide.model.marks import marks_for
        from setguide.triage import tree as routing

        # The emergency plan names no forum: it never waits for the meetings file.
        self.schedules = {} if self.threat is True else _schedules(self.data, self.notes)
        step = routing.next_step(self.answers, self.when(), self.data, self.tree, self.schedules)
        if isinstance(step, routing.Pending):
            if not console.interactive():
                raise routing.missing(step.question)
            from setguide.triage import ask

            history = ("threat",) if self.asked_first else ()
            step = ask.wizard(
                self.answers,
                self.when,
                self.data,
                self.tree,
                history=history,
                schedules=self.schedules,
                linear=self.prompter,
            )
        self.marks = marks_for(self.data, self.when().date())
        return step

    def doc(self, blocks_or_outcome) -> list:
        """Blocks as the trust pass marks them: what the screen and the record both hold."""
        from setguide.output import trust
        from setguide.triage import view as triage_view

        blocks = blocks_or_outcome
        if not isinstance(blocks, list):
            blocks = triage_view.outcome_doc(blocks, notes=self.notes)
        return trust.mark(blocks, self.marks)

    def show(self, blocks: list) -> None:
        from setguide.output import console as out

        out.show(blocks, self.plain, marks=self.marks)
        self.shown += self.doc(blocks)

    def present(self, outcome):
        """The plan on screen; then, once it is there, the questions it offers (the area),
        whose answers add to it what the same answers given by flag would give."""
        from setguide.output.blocks import Gap
        from setguide.triage import view as triage_view

        if self.prompter is not None and self.prompter.answered:
            self.prompter.say("")  # the plan begins on a line of its own, after the last answer
        offered = outcome.offer is not None and console.interactive()
        self.show(triage_view.outcome_doc(_asked_next(outcome, self.tree) if offered else outcome, notes=self.notes))
        if not offered:
            return outcome
        # Advice is on screen: from here, ending a question is no cancellation (exit 0).
        from setguide.triage import ask
        from setguide.triage import tree as routing

        given = ask.offer(
            outcome, self.answers, self.when, self.data, self.tree, schedules=self.schedules, linear=self.prompter
        )
        if not given:
            self.show([Gap(), *triage_view.now_blocks(outcome)])
            return outcome
        offering, outcome = outcome, routing.next_step(self.answers, self.when(), self.data, self.tree, self.schedules)
        if outcome.id != offering.id:  # the answers replaced the plan (nowhere in SET): the new one, whole
            self.show([Gap(), *triage_view.outcome_doc(outcome, notes=self.notes)])
        else:
            self.show(triage_view.offered_doc(outcome))
        return outcome

    def write_record(self, outcome) -> None:
        """Written only after the advice is on screen (a failed write never delays it),
        from the blocks shown: it holds nothing that was not on screen."""
        from setguide.base.text import one_line
        from setguide.output import console as out
        from setguide.triage import record as rec

        path = rec.write(rec.target(self.record, outcome), rec.markdown(outcome, self.data, self.shown))
        # The whole path, on one line: the user must be able to find the record.
        out.note(f"Record written: {one_line(str(path), limit=None)}", whole=True)


def _asked_next(outcome, tree):
    """The plan as the wizard shows it just before it asks the question the plan offers:
    a step shown only while no area is known tells how to give one, and here it names
    the question that follows, not the flag (the wizard's hints name keys, not flags)."""
    flag = outcome.offer.flag or ""

    def said(s):
        if flag and any(f.split()[0] == flag for f in s.flags):
            return s._replace(
                note="the question below (where the concern is) fills this in; Enter on empty skips it.",
                flags=tuple(f for f in s.flags if f.split()[0] != flag),
            )
        return s

    parts = ("steps", "now", "also", "then")
    return outcome._replace(**{p: tuple(said(s) for s in getattr(outcome, p)) for p in parts})


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
        out.this_run().emergency_shown = True
        if isinstance(exc, SetguideError):
            raise
        raise SetguideError(f"setguide could not load its data ({type(exc).__name__})") from None


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
    from setguide.forums import meetings

    found, cautions = meetings.load_or_caution(data)
    notes += cautions
    return found


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


def _ask_threat_first(started, prompter=None) -> bool | None:
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

    return (
        ask.yes_no(ask.message(q, back=False, linear=prompter is not None), started=started, linear=prompter) == "yes"
    )


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
