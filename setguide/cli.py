"""The command line: parse, call, map to an exit code. Nothing here decides a
fact; every command asks the core and hands a document to `out`."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from setguide import __version__, cli_data, cli_find, cli_forums, cli_triage, out
from setguide.errors import Cancelled, SetguideError

HELP = (
    "Who to contact, how, and through which forum, under the SET (Southend, Essex and Thurrock) "
    "child exploitation information sharing protocol.\n\n"
    "If there is an immediate threat to life or safety, call 999 now.\n\n"
    "This tool complements, and does not replace, the SET Child Protection Procedures."
)


def _help_mode() -> str | None:
    """rich help (boxes, colour) only on a terminal wide enough for it: elsewhere
    rich would send escape codes to a pipe or a screen reader, or cut flag names."""
    if out.want_plain():
        return None
    import shutil

    return "rich" if shutil.get_terminal_size().columns >= 80 else None


def _new_app() -> typer.Typer:
    settings: dict = {"help_option_names": ["-h", "--help"]}
    import shutil

    columns = shutil.get_terminal_size().columns
    if columns < 52:  # plain help is laid out at least 50 wide unless told the width
        settings["terminal_width"] = max(columns - 2, 10)
    root = typer.Typer(
        name="setguide",
        help=HELP,
        rich_markup_mode=_help_mode(),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings=settings,
    )
    root.callback()(_root)
    return root


JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of text.")
PLAIN_OPT = typer.Option(False, "--plain", help="Plain lines: no colour, no tables (screen readers, pipes).")


def _version(value: bool) -> None:
    if value:
        from setguide.data import get

        data = get()
        typer.echo(f"setguide {__version__} (protocol data: {data.edition}, checked {data.read_on.isoformat()})")
        raise typer.Exit()


def _root(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and the data edition."
    ),
) -> None:
    pass


def contacts(
    authority: Optional[str] = typer.Argument(
        None, help="essex, southend, thurrock or essex-police (alias police); any case, a unique prefix will do."
    ),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """The single points of contact (SPOC) of the protocol, exactly as it gives them.

    Example: setguide contacts thurrock
    """
    from setguide import views
    from setguide.clock import now
    from setguide.data import get

    data = get()
    chosen = views.pick_contacts(data, authority)
    today = now().date()
    if json_:
        out.show_json([views.contact_json(data, c, today) for c in chosen])
    else:
        out.show(views.contacts_doc(data, chosen, today), plain)


def quadrant(
    place: Optional[str] = typer.Argument(
        None, help="A district, town, village or authority; none lists the quadrants."
    ),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """The Essex MACE quadrant for a district or town (§2.1).

    Southend and Thurrock are unitary authorities in no Essex quadrant: the answer
    names their own forums.

    Example: setguide quadrant Harlow
    """
    from setguide import views
    from setguide.clock import now
    from setguide.data import get

    data = get()
    r = views.lookup(data, place if place is not None else "Essex")
    if json_:
        out.show_json(views.quadrant_json(data, r, now().date()))
    else:
        out.show(views.quadrant_doc(data, r, now().date()), plain)


def protocol(
    section: Optional[str] = typer.Argument(None, help="A section: spoc, purpose, operating, 1, 2, 2.1, 2.2, 2.3, 3."),
    json_: bool = JSON_OPT,
    plain: bool = PLAIN_OPT,
) -> None:
    """The protocol itself, offline, section by section: what every citation points to.

    Example: setguide protocol 2.3
    """
    from setguide import views
    from setguide.data import get
    from setguide.names import match

    data = get()
    sid = None if section is None else match("section", section.lstrip("§"), views.section_names(data))
    if json_:
        chosen = data.sections.values() if sid is None else [data.sections[sid]]
        out.show_json([{"id": s.id, "cite": s.cite, "title": s.title, "text": s.text} for s in chosen])
    else:
        out.show(views.protocol_doc(data, sid), plain)


def _register_core(target: typer.Typer) -> None:
    for command in (contacts, quadrant, protocol):
        target.command()(command)


# Each group of commands, by the top-level names it adds.
GROUPS = (
    (("contacts", "quadrant", "protocol"), _register_core),
    (("triage", "tree"), cli_triage.register),
    (("forums",), cli_forums.register),
    (("search", "email-check"), cli_find.register),
    (("data",), cli_data.register),
)

app = _new_app()
for _names, _register in GROUPS:
    _register(app)


def _app_for(argv: list[str]) -> typer.Typer:
    """Typer builds every command's parser on each run; a run that names its command
    gets an app holding only that command's group, which saves most of that work.
    Anything else (help, --version, a typo) gets the whole app and its messages."""
    if argv and not argv[0].startswith("-"):
        for names, register in GROUPS:
            if argv[0] in names:
                only = _new_app()
                register(only)
                return only
    return app


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code; the one place errors become exits."""
    try:
        args = list(sys.argv[1:] if argv is None else argv)
        result = _app_for(args)(args=args, prog_name="setguide", standalone_mode=False)
    except SetguideError as exc:
        out.error(exc)
        return exc.exit_code
    except typer.Exit as exc:
        return _cancelled_if_interrupted(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        return _cancelled_if_interrupted(Cancelled.exit_code)
    except typer.TyperException as exc:  # a usage error found by the parser
        show = getattr(exc, "show", None)
        show() if show else out.error(SetguideError(exc.message))
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so without a traceback, keep the 999 line
        out.internal_error(exc)
        return 1
    # typer turns Ctrl-C into exit code 130 by itself; the reminder is ours to print.
    return _cancelled_if_interrupted(result) if isinstance(result, int) else 0


def _cancelled_if_interrupted(code: int) -> int:
    if code == Cancelled.exit_code:
        out.error(Cancelled())
    return code


def main() -> None:
    code = run(sys.argv[1:])
    try:
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        pass
    sys.exit(code)
