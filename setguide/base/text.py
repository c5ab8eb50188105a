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
