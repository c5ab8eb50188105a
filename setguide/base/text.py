"""What text may reach a terminal: the data may hold none of these characters, a
correction may hold none, and whatever setguide echoes has them made visible or
removed, so nothing typed, stored or read can rewrite the screen."""

from __future__ import annotations

import re

# Characters that move the cursor or change the terminal, anywhere but a line break or tab.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi overrides and zero-width characters: invisible, and able to make a value read as another.
HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c\u180e]")
# How much of what a user typed or pasted is echoed back.
ECHO = 80


def clip(text: str, limit: int = ECHO) -> str:
    """`text` cut to `limit` characters, keeping its start and its end (where a file's name is)."""
    if len(text) <= limit:
        return text
    head = (limit - 3) * 2 // 5
    return f"{text[:head]}...{text[len(text) - (limit - 3 - head) :]}"


# Line breaks and tabs of every kind: echoed, a name that holds one could print lines of
# its own that look like setguide's ("Phone: 0800 ...").
BREAKS = re.compile("[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# What `one_line` shows for a line break: a name that holds one reads as one name.
NEWLINE = "\u23ce"  # ⏎
_UNSEEN = re.compile(f"\r\n|{BREAKS.pattern}|{CONTROL.pattern}|{HIDDEN.pattern}")


def _seen(m: re.Match) -> str:
    ch = m[0]
    if ch == "\t":
        return "\\t"
    if BREAKS.fullmatch(ch) or ch == "\r\n":
        return NEWLINE
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def one_line(text: object, limit: int | None = ECHO) -> str:
    """What setguide echoes of a name it did not choose (a file name, a key, a place, a value
    typed, an invite's title, a path), and the only way it does: one line, a line break shown
    as ⏎ and any other control, direction or zero-width character as its code (\\x1b,
    \\u202e), so nothing in it can move the cursor, start a line or hide, cut to `limit`."""
    shown = _UNSEEN.sub(_seen, str(text))
    return clip(shown, limit) if limit else shown


def echo(text: object, limit: int | None = ECHO) -> str:
    """`one_line` in quotes: a name as an error or a message quotes it ('Debden')."""
    return f"'{one_line(text, limit)}'"


def text_fault(text: str) -> str | None:
    """Why a one-line text typed or stored by a user (a correction, its source, a meeting
    date's source) cannot be shown beside a fact, or None."""
    if CONTROL.search(text):
        return "contains a control character"
    if BREAKS.search(text):
        return "contains a line break or a tab (one line only)"
    if HIDDEN.search(text):
        return "contains an invisible character (a direction override or a zero-width character)"
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return "contains a digit that is not 0-9"
    return None


# What a word may hold to be typed bare, as one word, in cmd.exe, PowerShell and a POSIX shell.
_BARE = re.compile(r"[A-Za-z0-9._/:=+-]+")


def shell_arg(text: str) -> str:
    """`text` as one word of a command printed for copying: bare when it needs no quotes,
    else in double quotes, which cmd.exe, PowerShell and POSIX shells all read as quotes
    (single quotes are not quotes to cmd.exe, so 'Canvey Island' would be two words). A
    double quote, dollar, backquote or backslash inside is escaped the POSIX way."""
    if _BARE.fullmatch(text):
        return text
    return '"' + re.sub(r'(["$`\\])', r"\\\1", text) + '"'
