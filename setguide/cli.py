"""The command line: parse, call, map to an exit code. Nothing here decides a
fact; every command asks the core and hands a document to `out`."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer
from typer.core import TyperGroup

from setguide import __version__
from setguide import typer_compat as compat
from setguide.base.errors import Cancelled, Exit, SetguideError
from setguide.base.facts import facts_in
from setguide.base.text import shell_arg
from setguide.output import console as out

HELP = (
    "Who to contact, how, and through which forum, under the SET (Southend, Essex and Thurrock) "
    "child exploitation information sharing protocol.\n\n"
    "If there is an immediate threat to life or safety, call 999 now.\n\n"
    "This tool complements, and does not replace, the SET Child Protection Procedures."
)

# What a bare `setguide` shows: the way in, not the whole manual. Laid out for the
# terminal it is shown in (`start_text`): no line wider than the screen or than 80,
# broken at words, so nothing is cut mid-word at 40 columns either.
START_LINES = (
    "setguide: whom to contact under the SET (Southend, Essex and Thurrock) child exploitation "
    "information sharing protocol, offline.",
    "If there is an immediate threat to life or safety, call 999 now.",
    "Start with:  setguide triage",
)
START_COMMANDS = (
    ("setguide contacts thurrock", "a single point of contact (SPOC)"),
    ("setguide quadrant Harlow", "the Essex MACE quadrant of a town or district"),
    ("setguide forums --next", "when the forums meet"),
    ("setguide search NRM", "find a forum, contact, term or section"),
    ("setguide email-check ADDRESS", "is this sender address secure?"),
)
START_END = "Every command: setguide --help"


def start_text(width: int | None = None) -> str:
    """The start screen, wrapped at words to `width` (default: the terminal's, at most 80)."""
    import shutil
    import textwrap

    width = width or shutil.get_terminal_size((80, 24)).columns
    width = max(min(width, 80), 20)

    def fill(text: str, indent: str = "", after: str = "") -> list[str]:
        return textwrap.wrap(
            text,
            width,
            initial_indent=indent,
            subsequent_indent=after or indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    lines: list[str] = []
    for para in START_LINES:
        lines += [*fill(para), ""]
    lines.append("Also:")
    column = max(len(cmd) for cmd, _ in START_COMMANDS) + 4
    for cmd, about in START_COMMANDS:
        if column + len(about) <= width:
            lines.append(f"  {cmd.ljust(column - 2)}{about}")
        else:  # narrow: the command on its line, what it does under it
            lines += [f"  {cmd}", *fill(about, "      ")]
    lines += ["", START_END]
    return "\n".join(lines)


def _help_mode() -> str | None:
    """rich help (boxes, colour) only on a terminal wide enough for it: elsewhere
    rich would send escape codes to a pipe or a screen reader, or cut flag names."""
    if out.want_plain():
        return None
    import shutil

    return "rich" if shutil.get_terminal_size().columns >= 80 else None


class _Root(TyperGroup):
    """The root command: before it parses anything it gives every command readable
    help and the completion of its values (see `polish`)."""

    def main(self, *args, **kwargs):
        polish(self)
        return super().main(*args, **kwargs)


def _new_app() -> typer.Typer:
    settings: dict = {"help_option_names": ["-h", "--help"]}
    import shutil

    columns = shutil.get_terminal_size().columns
    if columns < 52:  # plain help is laid out at least 50 wide unless told the width
        settings["terminal_width"] = max(columns - 2, 10)
    root = typer.Typer(
        name="setguide",
        cls=_Root,
        help=HELP,
        rich_markup_mode=_help_mode(),
        invoke_without_command=True,
        no_args_is_help=False,
        add_completion=True,
        pretty_exceptions_enable=False,
        context_settings=settings,
    )
    root.callback()(_root)
    return root


def _version(value: bool) -> None:
    if value:
        from setguide.model.data import get

        data = get()
        out.write(f"setguide {__version__} (protocol data: {data.edition}, checked {data.read_on.isoformat()})\n")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    version: Optional[bool] = typer.Option(
        None, "--version", metavar="", callback=_version, is_eager=True, help="Show the version and the data edition."
    ),
) -> None:
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        out.write(start_text() + "\n")


# --- help that reads well, and completion ---------------------------------------
#
# Typer shows a parameter's Python type where it has no metavar (`<str>`, `<bool>`,
# `<list[str]>`, `{address}`), and rich help keeps every line break of a docstring.
# One pass over the finished command tree fixes both for every command, and attaches
# the completion of values; it sets attributes only, so it costs nothing measurable.


def polish(command, path: tuple[str, ...] = ()) -> None:
    """Give `command` and everything under it metavars, unwrapped descriptions and completers."""
    if getattr(command, "_setguide_polished", False):
        return
    command._setguide_polished = True
    command.context_class = _HelpContext
    command.help = _unwrap(command.help)
    summary = _summary(command.help)
    if summary:
        command.get_short_help_str = lambda limit=45, _s=summary: _s
    for param in command.params:
        _polish_param(param, path)
        _plain_coercion(param)
        _safe_completion(param)
    help_option = command.get_help_option

    def get_help_option(ctx, _get=help_option):
        option = _get(ctx)
        if option is not None:
            option.metavar = ""
            _plain_coercion(option)
        return option

    command.get_help_option = get_help_option
    for name, sub in getattr(command, "commands", {}).items():
        polish(sub, (*path, name))


class _HelpContext(compat.Context):
    """Plain help laid out for a narrow terminal: an option's description under it, not
    in a column 8 wide, and no word, link or address ever broken across lines."""

    def make_formatter(self):
        import shutil

        width = self.terminal_width or shutil.get_terminal_size().columns
        if width >= NARROW:
            return _wide_formatter()(width=self.terminal_width, max_width=self.max_content_width)
        return _narrow_formatter()(width=width, max_width=self.max_content_width)


NARROW = 60


def _narrow_formatter():
    import textwrap

    HelpFormatter = compat.help_formatter()

    def fill(text: str, width: int, indent: str) -> str:
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
        return "\n\n".join(
            textwrap.fill(
                p,
                max(width, len(indent) + 10),
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            for p in paragraphs
            if p
        )

    class Narrow(HelpFormatter):
        def write_text(self, text: str) -> None:
            self.write(fill(text, self.width, " " * self.current_indent) + "\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
            for first, second in rows:
                self.write(f"{'':>{self.current_indent}}{first}\n")
                if second:
                    self.write(fill(second, self.width, " " * (self.current_indent + 4)) + "\n")

    return Narrow


def _wide_formatter():
    """click's two columns, with its text broken only at spaces ("not-sure" stays whole)."""
    import textwrap

    iter_rows, measure_table, term_len = compat.table_helpers()

    class Wide(compat.help_formatter()):
        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
            rows = list(rows)
            first_col = min(measure_table(rows)[0], col_max) + col_spacing
            pad = " " * (first_col + self.current_indent)
            for first, second in iter_rows(rows, 2):
                self.write(f"{'':>{self.current_indent}}{first}")
                if not second:
                    self.write("\n")
                    continue
                if term_len(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - term_len(first)))
                else:
                    self.write("\n" + pad)
                width = max(self.width - first_col - 2 - self.current_indent, 10)
                lines = textwrap.wrap(" ".join(second.split()), width, break_long_words=False, break_on_hyphens=False)
                self.write(("\n" + pad).join(lines or [""]) + "\n")

    return Wide


def _plain_coercion(param) -> None:
    """A text, yes/no or whole-number parameter is taken without pydantic: Typer would
    build a pydantic adapter for it, and importing pydantic costs more start-up time
    than the rest of a command (the first question waits for it). Others keep Typer's."""
    found = compat.plain_annotation(param)
    if found is None or found[0] not in (str, bool, int):
        return
    annotation, info = found
    try:
        kind = compat.whole_number() if annotation is int else compat.pass_through()
        compat.set_coercion(param, kind(annotation=annotation, parameter_info=info))
    except (ImportError, TypeError):  # another Typer: its own coercion stands
        pass


def _unwrap(text: str | None) -> str | None:
    if not text:
        return text
    import inspect

    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(text).split("\n\n"))


def _summary(text: str | None) -> str:
    return text.split("\n\n", 1)[0] if text else ""


def _polish_param(param, path: tuple[str, ...]) -> None:
    if param.param_type_name == "argument":
        if param.metavar is None:
            param.metavar = param.name.upper()
        if param.nargs != 1 and not param.metavar.endswith("..."):
            param.metavar += "..."
        compat.set_usage(param, param.metavar if param.required else f"[{param.metavar}]")
    elif getattr(param, "is_flag", False) or getattr(param, "count", False):
        param.metavar = ""
    elif param.metavar is None:
        annotation = compat.annotation(param)
        param.metavar = "N" if annotation is int else param.name.rstrip("_").upper()
    completer = COMPLETERS.get((path, param.name))
    if completer is not None:
        compat.set_completer(param, completer)


# Shells whose completion setguide installs and shows. Typer's PowerShell installer runs
# `Set-ExecutionPolicy Unrestricted -Scope CurrentUser` unasked (on a managed desktop a
# security setting changed, or refused by Group Policy), and its script rebinds Tab.
COMPLETION_SHELLS = ("bash", "zsh", "fish")


def _safe_completion(param) -> None:
    """--install-completion and --show-completion for bash, zsh and fish only: any other
    shell (PowerShell) is a usage error that changes nothing."""
    if param.name not in (compat.INSTALL_COMPLETION, compat.SHOW_COMPLETION) or param.callback is None:
        return

    def callback(ctx, param, value, _typer=param.callback):
        if value and not ctx.resilient_parsing:
            shell = value if isinstance(value, str) else compat.detected_shell()
            if shell not in COMPLETION_SHELLS:
                from setguide.base.errors import UsageError

                shown = shell or "this shell"
                raise UsageError(
                    f"setguide offers completion for bash, zsh and fish, not for {shown}; nothing was changed",
                    "type a command in full: setguide --help lists them",
                )
        return _typer(ctx, param, value)

    param.callback = callback
    verb = "Install" if param.name == compat.INSTALL_COMPLETION else "Show"
    param.help = f"{verb} completion for the current shell: bash, zsh or fish."


# What a completion may put on a command line. Each shell reads a reply its own way (bash
# takes it as typed, zsh evaluates the whole reply, fish inserts it), and a value can come
# from a local correction: so a value or a description holding anything but these is
# never offered (the user can still type it). Letters of any script, digits, and:
SAFE_VALUE_MARKS = frozenset(" ,.'-")
SAFE_HELP_MARKS = frozenset(" ,.'-&/§")


def _safe(text: str, marks: frozenset[str]) -> bool:
    return bool(text) and all(ch.isalnum() or ch in marks for ch in text) and text.isprintable()


def _shell() -> str:
    import os

    return os.environ.get("_SETGUIDE_COMPLETE", "").removeprefix("complete_")


def _offer(values, incomplete: str) -> list:
    """The values that begin with what was typed, any case; only values and descriptions
    made of safe characters (`_safe`). bash puts a reply on the command line as it is, so
    a space or an apostrophe in a name is escaped for it; zsh and fish quote for themselves;
    PowerShell inserts it as it is, so a name of two words goes in double quotes."""
    typed = incomplete.casefold()
    shell = _shell()
    found = []
    for value, about in values:
        if not _safe(value, SAFE_VALUE_MARKS) or not value.casefold().startswith(typed):
            continue
        shown = value
        if shell == "bash":
            shown = value.replace(" ", "\\ ").replace("'", "\\'")
        elif shell in ("powershell", "pwsh"):
            shown = shell_arg(value)
        found.append(compat.completion_item(str(shown), str(about) if _safe(about, SAFE_HELP_MARKS) else None))
    return found


def _data():
    from setguide.model.data import get

    return get()


def _quiet(complete):
    """A completer that cannot speak: whatever goes wrong (a data file that does not
    load), the shell gets no values rather than an error in the middle of a line."""

    def quiet(ctx, param, incomplete: str) -> list:
        try:
            return complete(ctx, param, incomplete)
        except Exception:
            return []

    return quiet


@_quiet
def _complete_authority(ctx, param, incomplete: str) -> list:
    data = _data()
    values = [(c.id, c.area) for c in data.contacts.values()]
    values += [(a, c.area) for c in data.contacts.values() for a in c.aliases]
    return _offer(values, incomplete)


@_quiet
def _complete_forum_authority(ctx, param, incomplete: str) -> list:
    data = _data()
    values = [(a.id, a.name) for a in data.authorities.values()]
    return _offer([*values, ("set", "the SET CSE Strategic Group, §3")], incomplete)


@_quiet
def _complete_place(ctx, param, incomplete: str) -> list:
    from setguide.places.resolve import names_for_completion

    return _offer([(n, "") for n in names_for_completion(_data())], incomplete)


@_quiet
def _complete_theme(ctx, param, incomplete: str) -> list:
    values = [(t.id, t.label) for t in _data().themes.values()]
    if path_of(ctx) == ("triage",):
        values.append(("not-sure", "not sure"))
    return _offer(values, incomplete)


@_quiet
def _complete_level(ctx, param, incomplete: str) -> list:
    levels = (
        ("operational", "a concern about a child"),
        ("potential", "potential information, not about immediate risk"),
        ("strategic", "patterns across SET, or that could spread"),
    )
    return _offer(levels, incomplete)


@_quiet
def _complete_forum(ctx, param, incomplete: str) -> list:
    return _offer([(f.id, f.name) for f in _data().forums.values()], incomplete)


@_quiet
def _complete_section(ctx, param, incomplete: str) -> list:
    return _offer([(s, "") for s in _data().sections], incomplete)


def reference() -> str:
    """docs/cli.md: every command's --help, as plain text 100 columns wide, from the
    app itself (tests/test_ux_docs.py fails when the file is out of date)."""
    import typer.main

    Context = compat.Context
    root = typer.main.get_command(full_app())
    polish(root)
    parts = [
        "# setguide command reference",
        "",
        "Generated from the app by `python -m setguide.cli reference > docs/cli.md`; do not edit by hand.",
    ]

    def walk(command, ctx) -> None:
        command.rich_markup_mode = None  # the same plain text whatever terminal writes the file
        parts.extend(["", f"## {ctx.command_path}", "", "```text", command.get_help(ctx), "```"])
        for name in getattr(command, "commands", {}):
            sub = command.commands[name]
            if not sub.hidden:
                walk(sub, Context(sub, info_name=name, parent=ctx))

    settings = {**root.context_settings, "terminal_width": 100, "max_content_width": 100}
    walk(root, Context(root, info_name="setguide", **settings))
    return "\n".join(parts) + "\n"


def path_of(ctx) -> tuple[str, ...]:
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return tuple(reversed(names))


# (command path, parameter name) -> what completes its value.
COMPLETERS = {
    (("contacts",), "authority"): _complete_authority,
    (("quadrant",), "place"): _complete_place,
    (("triage",), "area"): _complete_place,
    (("triage",), "theme"): _complete_theme,
    (("triage",), "level"): _complete_level,
    (("forums",), "authority"): _complete_forum_authority,
    (("forums",), "theme"): _complete_theme,
    (("forums", "add-date"), "forum"): _complete_forum,
    (("forums", "remove-date"), "forum"): _complete_forum,
    (("protocol",), "section"): _complete_section,
}


# Each feature's commands, by the top-level names they add. A run imports only the
# module of the command it names (see `_app_for`): start-up pays for one feature.
GROUPS = (
    (("triage", "tree"), "setguide.triage.command"),
    (("contacts",), "setguide.contacts.command"),
    (("quadrant",), "setguide.places.command"),
    (("forums",), "setguide.forums.command"),
    (("search", "email-check"), "setguide.find.command"),
    (("protocol",), "setguide.protocol.command"),
    (("data",), "setguide.verify"),  # data verify, above the features; the rest of data below them
    (("card",), "setguide.card.command"),
    (("sources",), "setguide.sources.command"),
)


def _register(target: typer.Typer, module: str) -> None:
    import importlib

    importlib.import_module(module).register(target)


def full_app() -> typer.Typer:
    """Every command: for help, --version, a typo's suggestions, and the docs."""
    whole = _new_app()
    for _names, module in GROUPS:
        _register(whole, module)
    return whole


def __getattr__(name: str):  # `setguide.cli.app`, built only when asked for
    if name == "app":
        return full_app()
    raise AttributeError(name)


def _app_for(argv: list[str]) -> typer.Typer:
    """Typer builds every command's parser on each run; a run that names its command
    gets an app holding only that command's group, which saves most of that work.
    Anything else (help, --version, a typo) gets the whole app and its messages."""
    if argv and not argv[0].startswith("-"):
        for names, module in GROUPS:
            if argv[0] in names:
                only = _new_app()
                _register(only, module)
                return only
    return full_app()


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code; the one place errors become exits."""
    out.ascii_fallback()
    out.begin()  # one run, one 999 route at most
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        _check_text(args)
    except SetguideError as exc:  # before any command ran: nothing is on screen yet
        _triage_failed(args, exc.exit_code)
        out.error(exc)
        _triage_reminder(args, exc.exit_code)
        return exc.exit_code
    try:
        result = _app_for(args)(args=args, prog_name="setguide", standalone_mode=False)
    except SetguideError as exc:
        _triage_failed(args, exc.exit_code)
        out.error(exc, marks=_error_marks(exc))
        _triage_reminder(args, exc.exit_code)
        return exc.exit_code
    except typer.Exit as exc:
        return _cancelled_if_interrupted(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        return _cancelled_if_interrupted(Cancelled.exit_code)
    except typer.TyperException as exc:  # a usage error found by the parser
        _triage_failed(args, exc.exit_code)
        _usage_error(exc)
        _triage_reminder(args, exc.exit_code)
        return exc.exit_code
    except (BrokenPipeError, out.ClosedPipe):  # the reader went away (| head): what it wanted, it had
        return Exit.OK
    except Exception as exc:  # a bug: say so without a traceback, keep the 999 line
        out.internal_error(exc)
        return Exit.FAILED
    # typer turns Ctrl-C into exit code 130 by itself; the reminder is ours to print.
    return _cancelled_if_interrupted(result) if isinstance(result, int) else Exit.OK


def _error_marks(exc: SetguideError):
    """The marks for an error that echoes values of the data (a district's corrected name
    among the places it could mean); None where it echoes none, or the data cannot be read."""
    if not facts_in((exc.message, exc.hint)):
        return None
    try:
        from setguide.base.clock import now
        from setguide.model.data import get
        from setguide.model.marks import marks_for

        return marks_for(get(), now().date())
    except Exception:  # an error about the data itself: said as it is, unmarked
        return None


def _is_triage(args: list[str]) -> bool:
    return bool(args) and args[0] == "triage" and not {"-h", "--help"} & set(args)


def _triage_failed(args: list[str], code: int) -> None:
    """`triage --threat-to-life` that cannot run (a flag it cannot use, bytes that are not
    text) still shows the 999 route first: nothing typed beside it stands in its way."""
    if not _is_triage(args) or "--threat-to-life" not in args or code == Cancelled.exit_code:
        return
    from setguide.triage import command

    if not out.this_run().emergency_shown:
        out.this_run().emergency_shown = True
        try:
            out.show(command.emergency_blocks(), True, marks={})
        except SetguideError:
            pass


def _triage_reminder(args: list[str], code: int) -> None:
    """Every error exit of triage ends with the 999 reminder (an error exit 1 and a
    cancellation already carry it)."""
    from setguide.base.errors import IMMEDIATE_DANGER

    if _is_triage(args) and code not in (Exit.FAILED, Cancelled.exit_code):
        out.note(f"  {IMMEDIATE_DANGER}")


def _check_text(args: list[str]) -> None:
    """An argument that is not valid text (bytes that are not UTF-8, kept by Python as
    lone surrogates) is a usage error, before any command stores or echoes it."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            from setguide.base.errors import UsageError

            raise UsageError(
                "an argument is not valid text (it holds bytes that are not UTF-8)",
                "type it again, or copy it from a UTF-8 source",
            ) from None


def _usage_error(exc: typer.TyperException) -> None:
    """click's own usage message, printed through `out` so what it echoes of the
    command line is cleaned and cut like every other message."""
    import io

    show = getattr(exc, "show", None)
    if show is None:
        out.error(SetguideError(exc.message))
        return
    buffer = io.StringIO()
    try:
        show(file=buffer)
    except TypeError:  # an exception whose show() takes no file
        out.error(SetguideError(exc.message))
        return
    out.note(buffer.getvalue().rstrip("\n"))


def _cancelled_if_interrupted(code: int) -> int:
    if code == Cancelled.exit_code:
        out.error(Cancelled())
    return code


def main() -> None:
    code = run(sys.argv[1:])
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        # Output went to a closed pipe: send what is left nowhere, so the interpreter's
        # own flush at exit prints no "Exception ignored" message.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # AttributeError: a stream that is not a file
            pass
    sys.exit(code)


if __name__ == "__main__" and sys.argv[1:] == ["reference"]:
    sys.stdout.write(reference())
