"""Commands: data set/diff/verify/reset/keys — local corrections to the protocol data."""

from __future__ import annotations

from typing import Optional

import typer

from setguide.corrections import manage as datacmds
from setguide.options import JSON_OPT
from setguide.output import console as out

# These commands show the corrections themselves, with the protocol's values beside
# them: marking them again would say the same twice.
NO_MARKS: dict = {}


def data_group() -> typer.Typer:
    """`setguide data` and its commands (`data verify` is added above the features, by setguide.verify)."""
    group = typer.Typer(
        name="data",
        help=(
            "Local corrections to the protocol data, the day a number changes.\n\n"
            "Every corrected value is shown marked as a local correction, with its source.\n\n"
            "Example: setguide data set contacts.thurrock.phone_text "
            '"01375 000000" --source "Thurrock SPOC email, 2026-11-20"'
        ),
        no_args_is_help=True,
    )
    group.command("set")(set_)
    for command in (diff, team, export, reset, keys):
        group.command()(command)
    return group


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(data_group())


def set_(
    key: str = typer.Argument(
        ..., help="What to correct, e.g. contacts.thurrock.phone_text (see: setguide data keys)."
    ),
    value: str = typer.Argument(..., help="The new value; a list is comma-separated (180022, 180043)."),
    more: Optional[list[str]] = typer.Argument(
        None,
        metavar="[KEY VALUE]...",
        help="Further keys and values set together, for keys that must agree "
        "(facts.secure_email.domains and facts.secure_email.suffixes).",
    ),
    source: Optional[str] = typer.Option(None, "--source", help="Where the new value comes from (required)."),
) -> None:
    """Correct one fact on this computer; it is shown marked, with its source.

    Example: setguide data set contacts.thurrock.phone_text "01375 000000" --source "Thurrock SPOC email, 2026-11-20"
    """
    if source is None:  # a mistyped key is named first, with the key meant: it is the fault to fix
        from setguide.base.errors import UsageError

        datacmds.local.locate(datacmds.read_raw(), key)
        raise UsageError("missing option --source", "say where the new value comes from, e.g. an email from the SPOC")
    out.show(datacmds.set_correction(key, value, source, more or ()), marks=NO_MARKS)


def diff(json_: bool = JSON_OPT) -> None:
    """List the team's and your local corrections against the protocol's values.

    Example: setguide data diff
    """
    rows = datacmds.diff_rows()
    note = datacmds.team_note()
    if json_:
        if note:
            out.note(note)
        out.show_json(rows, marks=None)
    else:
        out.show(datacmds.diff_doc(rows, note), marks=NO_MARKS)


def team(
    path: Optional[str] = typer.Argument(None, help="The team's shared corrections file; none: say which is used."),
    forget: bool = typer.Option(False, "--forget", help="Stop reading the remembered team file."),
) -> None:
    """Read a team's shared corrections file (remembered); each value it changes is shown marked as the team's.

    SETGUIDE_TEAM_CORRECTIONS=PATH names one for a single run or session instead.

    Example: setguide data team team-corrections.toml
    """
    out.show(datacmds.remember_team(path, forget), marks=NO_MARKS)


def export(
    file: str = typer.Argument(..., metavar="FILE", help="The team file to write."),
    team_name: str = typer.Option(..., "--team", metavar="NAME", help="The team's name, shown beside each value."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists (never a link, device or pipe)."),
) -> None:
    """Write your local corrections as a team's shared file, for colleagues to read with data team.

    Example: setguide data export --team "Basildon CSC" team-corrections.toml
    """
    out.show(datacmds.export_team(team_name, file, force), marks=NO_MARKS)


def reset(
    key: Optional[str] = typer.Argument(None, help="The correction to undo; none with --all undoes every one."),
    all_: bool = typer.Option(False, "--all", help="Undo every local correction."),
) -> None:
    """Undo a local correction, so the protocol's value is shown again.

    Example: setguide data reset contacts.thurrock.phone_text
    """
    out.show(datacmds.reset(key, all_), marks=NO_MARKS)


def keys(
    prefix: Optional[str] = typer.Argument(None, help="Only keys starting with this, e.g. contacts.thurrock"),
) -> None:
    """The keys that can be corrected, with their packaged values.

    Example: setguide data keys contacts.thurrock
    """
    out.show(datacmds.keys_doc(prefix), marks=NO_MARKS)
