"""All printing goes through here: documents to stdout (plain or rich), JSON,
and errors to stderr. rich is imported only when a document is rendered for a
terminal."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from setguide.base.errors import IMMEDIATE_DANGER, Exit, SetguideError
from setguide.base.facts import WHOLE, facts_in
from setguide.base.text import CONTROL, HIDDEN, clip
from setguide.output import trust
from setguide.output.blocks import Block
from setguide.output.plain import plain_lines
from setguide.output.trust import Marks


class Terminal(NamedTuple):
    """What this session's streams are: the one place that decides whether setguide may
    ask a question, draw with rich, or how wide a line is (as gh's IOStreams). Tests
    build their own instead of faking a pty."""

    stdin_tty: bool
    stdout_tty: bool
    width: int
    encoding: str
    no_color: bool
    dumb: bool

    @property
    def interactive(self) -> bool:
        """A person at a keyboard who sees the questions: only then is anything asked; a
        pipe never has keystrokes read from it."""
        return self.stdin_tty and self.stdout_tty

    def plain(self, flag: bool = False) -> bool:
        """Plain lines for --plain, NO_COLOR, TERM=dumb, or output that is not a terminal."""
        return flag or self.no_color or self.dumb or not self.stdout_tty


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed, or replaced by something that is not a file
        return False


def terminal() -> Terminal:
    import shutil

    return Terminal(
        stdin_tty=_isatty(sys.stdin),
        stdout_tty=_isatty(sys.stdout),
        width=shutil.get_terminal_size().columns,
        encoding=(getattr(sys.stdout, "encoding", None) or "utf-8").lower(),
        no_color=bool(os.environ.get("NO_COLOR")),
        dumb=os.environ.get("TERM") == "dumb",
    )


class Run:
    """What one run of setguide has put on screen that must not be said twice: made anew
    by `begin` for each run (the command line calls it first), and handed to whoever asks
    by `this_run`, so no module keeps the state itself."""

    __slots__ = ("emergency_shown",)

    def __init__(self) -> None:
        self.emergency_shown = False  # the 999 route is on screen: an error after it does not repeat it


_run = Run()


def begin() -> Run:
    """A new run: nothing shown yet."""
    global _run
    _run = Run()
    return _run


def this_run() -> Run:
    return _run


def interactive() -> bool:
    return terminal().interactive


def want_plain(flag: bool = False) -> bool:
    return terminal().plain(flag)


def _clean(value):
    """Text with terminal control characters made visible: what a user typed (a search,
    a file name) is echoed back, and must not be able to rewrite the screen."""
    if isinstance(value, str):
        return HIDDEN.sub("", CONTROL.sub("\ufffd", value))
    if isinstance(value, tuple):
        cleaned = [_clean(v) for v in value]
        return type(value)(*cleaned) if hasattr(value, "_fields") else tuple(cleaned)
    return value


def show(blocks: list[Block], plain: bool = False, *, marks: Marks, page: bool = False) -> None:
    """Print a document once, after the trust pass: `marks` is required, so no command
    can print facts without their local corrections and cautions. `page`: a long
    document (the forums listing) goes through a pager at a terminal (`pager`)."""
    blocks = [_clean(b) for b in trust.mark(blocks, marks)]
    paged = page and _pager() is not None
    if want_plain(plain):
        text = "\n".join(plain_lines(blocks)) + "\n"
        if not (paged and _paged(text)):
            write(text)
    elif paged:
        from setguide.output.rich_renderer import render_text

        # Only less, told -R, shows colour; another pager (`more`) would show its codes as text.
        text = render_text(blocks, terminal().width) if _pager_colours() else "\n".join(plain_lines(blocks)) + "\n"
        if not _paged(text):
            write(text)
    else:
        from setguide.output.rich_renderer import render

        with _stdout_errors():
            render(blocks)


def _pager() -> list[str] | None:
    """The pager for long output: only with a person at a terminal (never when piped);
    `less -R` where it is installed; SETGUIDE_PAGER or PAGER chooses another, and
    `cat` or an empty value turns paging off."""
    import shlex
    import shutil

    if not terminal().interactive:
        return None
    chosen = os.environ.get("SETGUIDE_PAGER", os.environ.get("PAGER"))
    if chosen is not None:
        words = shlex.split(chosen) if chosen.strip() else []
        if not words or words[0] == "cat" or shutil.which(words[0]) is None:
            return None
        return [*words, "-R"] if words == ["less"] else words
    less = shutil.which("less")
    return [less, "-R", "-X", "-F"] if less else None


def _pager_colours() -> bool:
    command = _pager() or [""]
    name = os.path.basename(command[0]).lower().removesuffix(".exe")
    return name == "less" and any(w in ("-R", "-r") or w.startswith("-R") for w in command[1:])


def _paged(text: str) -> bool:
    """Show `text` through the pager when it is longer than the screen; False when it
    was not (short, or the pager could not start): the caller then prints it."""
    import shutil
    import subprocess

    rows = shutil.get_terminal_size((80, 24)).lines
    command = _pager()
    if command is None or text.count("\n") < rows - 1:
        return False
    env = {**os.environ, "LESSCHARSET": os.environ.get("LESSCHARSET", "utf-8")}
    try:
        sys.stdout.flush()
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    try:
        proc.communicate(text.encode("utf-8", "replace"))
    except (BrokenPipeError, KeyboardInterrupt):  # the reader quit the pager: what they wanted, they had
        pass
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.kill()
    return True


def show_json(obj: Any, *, marks: Marks | None) -> None:
    """JSON; with `marks`, each object names the local corrections whose facts it shows.
    None only for output that shows no fact of the data (an error listing, a version)."""
    if marks is not None:
        obj = trust.with_corrections(obj, marks)
    # Where the output cannot hold every character (a Windows code page), JSON's own \u
    # escapes keep every value exact; elsewhere the text is as it reads.
    exact = not utf8(getattr(sys.stdout, "encoding", None))
    write(json.dumps(obj, indent=2, ensure_ascii=exact, default=str) + "\n")
    for m in (marks or {}).get(WHOLE, ()):  # about the whole output (a team file not used): after it, on stderr
        note(m.text)


CLOSED = "nothing was shown: standard output is closed"


class ClosedPipe(Exception):
    """The reader of standard output went away (`| head`, `| more` then q): what it
    wanted, it had. Not an OSError, which the command-line library would take over."""


def _stdout() -> Any:
    stream = sys.stdout
    if stream is None:  # started with standard output closed (`>&-`): say so on stderr, not in a traceback
        raise SetguideError(CLOSED)
    return stream


@contextmanager
def _stdout_errors() -> Iterator[None]:
    """The one reading of a failed write to standard output. A reader that went away is a
    closed pipe (`ClosedPipe`: the command line exits quietly): on Windows a pipe closed by its reader
    (`| more`, then q) raises EINVAL rather than EPIPE. A stream closed under setguide is
    said on stderr (exit 1, with the 999 line)."""
    import errno

    try:
        yield
    except UnicodeError:  # never a closed stream: a character the stream cannot hold
        raise
    except ValueError:  # closed while running
        raise SetguideError(CLOSED) from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) or exc.errno in (errno.EPIPE, errno.EINVAL):
            raise ClosedPipe() from None
        raise SetguideError(f"nothing was shown: standard output failed: {exc.strerror or exc}") from None


def write(text: str) -> None:
    """Every text setguide prints on standard output goes through here (`show`,
    `show_json`, the start screen, --version; `write_bytes` for exports)."""
    stream = _stdout()
    with _stdout_errors():
        try:
            stream.write(text)
        except UnicodeEncodeError:  # a stream whose errors could not be set (`ascii_fallback`)
            stream.write(_held(text, stream))
        stream.flush()


def write_bytes(content: bytes) -> None:
    """Bytes setguide exports to standard output (`--ics -`, `card --html -`): written as
    they are, never re-encoded for the terminal's code page."""
    stream = _stdout()
    with _stdout_errors():
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text-only stream (as under a test runner)
            write(content.decode("utf-8", "replace"))
            return
        buffer.write(content)
        buffer.flush()


def error(exc: SetguideError, marks: Marks | None = None) -> None:
    """An error on stderr. A value of the data it echoes (a district's name) is marked as
    a document marks it: with `marks`, each correction it shows follows, in full."""
    prefix = "" if exc.exit_code == Exit.CANCELLED else "setguide: error: "
    lines = [f"{prefix}{exc.message!s}"]  # its keys are read below
    if exc.hint:
        lines.append(f"  {exc.hint!s}")
    for key in facts_in((exc.message, exc.hint)) if marks else ():
        lines += [f"  {m.text}" for m in marks.get(key, ()) if m.json is not None and f"  {m.text}" not in lines]
    if exc.exit_code == Exit.FAILED:  # setguide could not answer: the one instruction that needs no data
        lines.append(f"  {IMMEDIATE_DANGER}")
    text = "\n".join(lines)
    _err(wrap_message(text) if _isatty(sys.stderr) else text, keep=exc.whole)


def message_width() -> int:
    """At a terminal, messages are broken at words to fit it, and never wider than 80
    (a pipe gets each message's lines whole, for grep)."""
    import shutil

    return max(min(shutil.get_terminal_size((80, 24)).columns, 80), 20)


def wrap_message(text: str, width: int | None = None) -> str:
    """Each line broken at spaces (never inside a word, a link or an address), its
    continuation indented like it; a line that fits is left alone."""
    import textwrap

    width = width or message_width()
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out += textwrap.wrap(
            line.strip(" "),
            width,
            initial_indent=indent,
            subsequent_indent=indent + ("  " if not indent else ""),
            break_long_words=False,
            break_on_hyphens=False,
        ) or [line]
    return "\n".join(out)


def note(text: str, whole: bool = False) -> None:
    """A remark about what setguide did (not advice), on stderr so --json output stays clean.
    `whole`: not cut to a screenful (a path setguide wrote, which the user must find)."""
    _err(text, capped=not whole)


def internal_error(exc: BaseException) -> None:
    _err(
        f"setguide: internal error: {type(exc).__name__}: {exc}\n"
        f"  {IMMEDIATE_DANGER}\n"
        "  Otherwise follow the SET Child Protection Procedures."
    )


# Echoed input (a name, a key, a file name, a line of an invite) is shown at most this long.
_QUOTED = re.compile("'[^'\n]{81,}'|\"[^\"\n]{81,}\"")
_LONG_WORD = re.compile(r"\S{81,}")


def _capped(text: str) -> str:
    """A message with every quoted value and every unbroken run of characters longer than
    ECHO cut down, and no line longer than a screenful: what a user pasted (130 KB of it)
    is recognisable, not echoed whole."""
    text = _QUOTED.sub(lambda m: m[0][0] + clip(m[0][1:-1]) + m[0][0], text)
    text = _LONG_WORD.sub(lambda m: clip(m[0]), text)
    return "\n".join(line if len(line) <= 1000 else line[:997] + "..." for line in text.split("\n"))


def _err(text: str, capped: bool = True, keep: str = "") -> None:
    """stderr gets the same cleaning as stdout: an escape code in a file name, a key or a
    line of an invite must not clear the screen or hide the next line. `keep`: a path the
    text names that the user must find (one line already), never cut where the rest is."""
    text = HIDDEN.sub("", CONTROL.sub("\ufffd", text.replace("\t", " ")))
    if capped:
        text = keep.join(map(_capped, text.split(keep))) if keep else _capped(text)
    stream = sys.stderr
    if stream is None:  # started with stderr closed (`2>&-`): the exit code still says what happened
        return
    try:
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:
            stream.write(_held(text + "\n", stream))
        stream.flush()
    except (OSError, ValueError):
        pass


# --- terminals that cannot show every character ------------------------------

# What a reader of an ASCII-only terminal sees for the few characters setguide's text uses.
ASCII = {
    "§": "S.",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "•": "*",
    "·": "-",
    "→": "->",
    "←": "<-",
    "£": "GBP ",
    "×": "x",
    "≥": ">=",
    "≤": "<=",
    "\u00a0": " ",
    "\ufffd": "?",
    "✓": "v",
    "✗": "x",
    "⚠": "!",
}


# Letters that have no ASCII form by decomposition (Ł is not L with a mark in Unicode).
_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE", "æ": "ae",
     "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i", "Ħ": "H", "ħ": "h"}
)  # fmt: skip
_ERRORS = "setguide-ascii"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    """What stands for each character the stream cannot hold: its ASCII reading where it
    has one ('→' '->', 'Ł' 'L', 'é' 'e'), else '?'."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    import unicodedata

    out = []
    for ch in exc.object[exc.start : exc.end]:
        if ch in ASCII:
            out.append(ASCII[ch])
            continue
        plain = unicodedata.normalize("NFKD", ch.translate(_LETTERS)).encode("ascii", "ignore").decode()
        out.append(plain or "?")
    return "".join(out), exc.end


def _register() -> None:
    import codecs

    try:
        codecs.lookup_error(_ERRORS)
    except LookupError:
        codecs.register_error(_ERRORS, _fallback)


def _held(text: str, stream: Any) -> str:
    """`text` as `stream`'s encoding can hold it (`_fallback` for the rest)."""
    _register()
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return text.encode(encoding, _ERRORS).decode(encoding)
    except LookupError:
        return text.encode("ascii", _ERRORS).decode("ascii")


def utf8(encoding: str | None) -> bool:
    """Whether a stream of `encoding` holds every character."""
    import codecs

    try:
        return codecs.lookup(encoding or "ascii").name in ("utf-8", "utf-8-sig", "utf-16", "utf-32")
    except LookupError:
        return False


def ascii_fallback() -> None:
    """Let standard output and error write any text whatever their encoding: on a stream
    that is not UTF-8 (PYTHONIOENCODING=ascii; a Windows code page, as cp1252 for a file or
    a pipe, cp850 or cp437 for an old console) each character the encoding holds is
    written as it is, and each other one as its ASCII reading ('§' 'S.', '→' '->',
    'Ł' 'L'), rather than a UnicodeEncodeError before the 999 line."""
    for stream in (sys.stdout, sys.stderr):
        ascii_fallback_for(stream)


def ascii_fallback_for(stream: Any) -> None:
    if stream is None or utf8(getattr(stream, "encoding", None)):
        return
    _register()
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors=_ERRORS)
        except (ValueError, OSError, LookupError):
            pass
