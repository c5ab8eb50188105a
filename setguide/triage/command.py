"""Commands: triage and tree."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from setguide.options import JSON_OPT, PLAIN_OPT


def interactive() -> bool:
    """Questions are asked only at a terminal; a pipe never has keystrokes read from it."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def triage(
        threat_to_life: Optional[bool] = typer.Option(
            None, "--threat-to-life/--no-threat-to-life", help="Q1: is there an immediate threat to life or safety?"
        ),
        offence: Optional[bool] = typer.Option(
            None, "--offence/--no-offence", help="Q2: has an offence been committed, or is one at risk of being?"
        ),
        urgent: Optional[bool] = typer.Option(
            None, "--urgent/--not-urgent", help="Q3: does it need an urgent response?"
        ),
        level: Optional[str] = typer.Option(
            None, "--level", metavar="LEVEL", help="Q4: operational, potential or strategic."
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
        at: Optional[str] = typer.Option(
            None, "--at", metavar="WHEN", help="Route as at this moment (ISO 8601; no offset = UK time). Default: now."
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
        """Whom to contact, how, and through which forum: at most five questions.

        If there is an immediate threat to life or safety, call 999 now.
        Every question is also a flag; questions no flag answers are asked, one
        key for yes or no. Not at a terminal, a missing answer is an error naming
        its flag.

        Example: setguide triage --no-threat-to-life --offence --urgent
        """
        from setguide.base import clock
        from setguide.base.errors import SetguideError
        from setguide.output import console as out
        from setguide.triage import tree as routing
        from setguide.triage import view as triage_view

        if threat_to_life is None and interactive():
            threat_to_life = _ask_threat_first()
        notes: list[str] = []
        data = _data_for_triage(notes)
        tree = routing.tree_for(data)

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
                notes.append(f"{flag} was not used: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
                return None

        fixed = checked("--at", clock.parse_when, at)
        answers = {
            key: value
            for key, value in (
                ("threat", threat_to_life),
                ("offence", offence),
                ("urgent", urgent),
                ("level", checked("--level", lambda v: _choice(tree, "level", v), level)),
                ("theme", checked("--theme", lambda v: _choice(tree, "theme", v), theme)),
                ("area", checked("--area", lambda v: _area(data, v), area)),
            )
            if value is not None
        }
        step = routing.next_step(answers, fixed or clock.now(), data, tree)
        if isinstance(step, routing.Pending):
            if not interactive():
                raise routing.missing(step.question)
            from setguide.triage import ask

            outcome = ask.wizard(answers, (lambda: fixed) if fixed else clock.now, data, tree)
        else:
            outcome = step
        from setguide.contacts.view import correction_json, correction_text, corrections_shown, stale_texts
        from setguide.output.blocks import plain_lines

        # Trust notes for what is on screen only: a correction or a stale SPOC elsewhere
        # in the data is no concern of this outcome, and would push its first step down.
        shown = "\n".join(plain_lines(triage_view.outcome_doc(outcome)))
        corrected = corrections_shown(data, shown)
        notes += [correction_text(c) for c in corrected] + stale_texts(data, shown, clock.now().date())
        if notes:
            outcome = outcome._replace(cautions=(*outcome.cautions, *notes))
        if json_:
            out.show_json(
                triage_view.outcome_json(outcome) | {"local_corrections": [correction_json(c) for c in corrected]}
            )
        else:
            out.show(triage_view.outcome_doc(outcome), plain)
        if record is not None:
            # Written only after the advice is on screen: a failed write never delays it.
            from setguide.triage import record as rec

            path = rec.write(rec.target(record, outcome), rec.markdown(outcome, data))  # str: "" is not "."
            out.note(f"Record written: {path}")

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
        from setguide.model.data import get
        from setguide.output import console as out
        from setguide.output.blocks import Para
        from setguide.triage import tree as routing
        from setguide.triage import view as triage_view

        fmt = match("format", format_, {"rich": [], "mermaid": []})
        t = routing.tree_for(get())
        if fmt == "mermaid":
            out.show([Para(triage_view.tree_mermaid(t).rstrip("\n"))], plain=True)
        elif out.want_plain(plain):
            out.show([Para(line) for line in triage_view.tree_lines(t)], plain=True)
        else:
            from rich.console import Console

            Console(highlight=False).print(triage_view.tree_rich(t))


def _area(data, text: str):
    """--area: a name two places share is asked about at a terminal, an error elsewhere."""
    from setguide.base.errors import UnknownName
    from setguide.places.resolve import resolve

    try:
        return resolve(data, text)
    except UnknownName as exc:
        if not (exc.ambiguous and interactive()):
            raise
    from setguide.triage import ask

    return ask.which_place(data, text)


def _ask_threat_first() -> bool | None:
    """The threat-to-life question, put before anything else is loaded, so it is on
    screen as fast as the prompt library allows. Its words come from tree.toml as
    written; if that file's first node is not this yes/no question, the wizard asks
    it in the usual way, after the tree is validated."""
    from setguide.base.errors import DataError
    from setguide.model.data import data_dir, read_toml

    try:
        raw = read_toml(data_dir() / "tree.toml")
        start = raw["tree"]["start"]
        node = next(n for n in raw["node"] if n.get("id") == start)
    except (DataError, KeyError, TypeError, StopIteration):
        return None
    if node.get("kind") != "yesno" or node.get("answer") != "threat" or not isinstance(node.get("text"), str):
        return None
    from setguide.triage import ask

    return ask.yes_no(node["text"]) == "yes"


def _data_for_triage(notes: list[str]):
    """The data with the user's local corrections; if their file is broken, the
    protocol's own data with a caution. A broken file of the user's must never
    stand between a user and the route to 999; it is not trusted either."""
    from setguide.base.errors import DataError
    from setguide.base.userfiles import user_path
    from setguide.model.data import get, load

    try:
        return get()
    except DataError as exc:
        if exc.file != str(user_path("overrides.toml")):
            raise
        notes.append(
            f"Your local corrections were NOT applied, so the protocol's own values are shown: {exc.message}. "
            "Check them with: setguide data verify"
        )
        return load()


def _choice(tree, key: str, given: str | None) -> str | None:
    """A --level or --theme value, checked now so a typo is an error even when the question is not reached."""
    if given is None:
        return None
    from setguide.base.names import match

    names: dict[str, list[str]] = {}
    for q in tree.nodes.values():
        if q.answer == key:
            for b in q.branches:
                names.setdefault(b.value, [])
    return match(key, given, names)
