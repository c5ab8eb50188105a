"""The command line: parse, call, map to an exit code. Nothing here decides a
fact; every command asks the core and hands a document to `out`."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from setguide import __version__
from setguide.base.errors import Cancelled, SetguideError
from setguide.contacts import command as contacts_command
from setguide.corrections import command as corrections_command
from setguide.find import command as find_command
from setguide.forums import command as forums_command
from setguide.output import console as out
from setguide.places import command as places_command
from setguide.protocol import command as protocol_command
from setguide.triage import command as triage_command

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


def _version(value: bool) -> None:
    if value:
        from setguide.model.data import get

        data = get()
        typer.echo(f"setguide {__version__} (protocol data: {data.edition}, checked {data.read_on.isoformat()})")
        raise typer.Exit()


def _root(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and the data edition."
    ),
) -> None:
    pass


# Each group of commands, by the top-level names it adds.
GROUPS = (
    (("triage", "tree"), triage_command.register),
    (("contacts",), contacts_command.register),
    (("quadrant",), places_command.register),
    (("forums",), forums_command.register),
    (("search", "email-check"), find_command.register),
    (("protocol",), protocol_command.register),
    (("data",), corrections_command.register),
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
