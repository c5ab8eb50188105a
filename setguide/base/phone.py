"""UK telephone numbers made easy to read without changing what they dial. Pure: text in, text out.

`group("07788303718")` is "07788 303718"; the digits never change, only the spaces, so
what a user copies still dials. `parts(phone_text)` splits the protocol's own wording of
a contact's numbers ("Dial: 101 then ext 203584 / 07855515869") into labelled parts,
each number grouped, using only the protocol's words for how they relate ("then ext",
"or extension", "/"). The protocol's text itself is never altered: views show it on
request and `--json` carries it as `phone_text`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from setguide.base.facts import facts_in, keyed

# Area codes of four digits (0113 Leeds, 0121 Birmingham, ...: 011x and 01x1) and of
# three (London 020, 023, 024, 028, 029), as Ofcom's numbering plan writes them; every
# other 01 code has five digits (01702, 01375).
_THREE_DIGIT_AREA = ("020", "023", "024", "028", "029")


class Part(NamedTuple):
    """One number in a contact's phone text."""

    label: str  # "Phone", "Extension", "or phone", "or extension"
    text: str  # grouped for reading, e.g. "07855 515869"; an extension as given
    dial: str  # digits only, what a phone is given

    @property
    def is_extension(self) -> bool:
        return self.label.casefold().endswith("extension")


def digits(text: str) -> str:
    """The digits of a number as written ("033301 34258" -> "03330134258")."""
    return "".join(ch for ch in text if ch.isdigit())


def group(number: str) -> str:
    """`number` spaced as UK numbers are read: 07788 303718, 0333 013 4258, 020 7946 0000,
    0113 496 0000, 01702 534300. Short numbers (101, 999) and anything that is not a
    whole UK number (an extension, +44..., text) come back as they were given."""
    raw = number.strip()
    if raw.startswith("+44"):
        rest = raw[3:]
        if re.fullmatch(r"[\d ]+", rest) and len(digits(rest)) == 10:
            return "+44 " + group("0" + digits(rest))[1:]
        return number
    if not re.fullmatch(r"[\d ]+", raw):
        return number
    d = digits(raw)
    if len(d) != 11 or not d.startswith("0"):
        return number
    if d.startswith("07") or (d.startswith("01") and not _four_digit_01(d)):
        return f"{d[:5]} {d[5:]}"
    if d.startswith(_THREE_DIGIT_AREA):
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    # 011x, 01x1, 03, 05, 08, 09: four, three, four.
    return f"{d[:4]} {d[4:7]} {d[7:]}"


def _four_digit_01(d: str) -> bool:
    return d[2] == "1" or d[3] == "1"


# A number as the protocol writes one: digits, with single spaces inside a UK number.
_NUMBER = re.compile(r"(?:\+44 ?)?\d+(?: \d+)*")


def parts(phone_text: str) -> list[Part]:
    """The numbers in the protocol's phone text, each with a label from its own words:

    "Dial: 101 then ext 203584 / 07855515869" ->
        [Part("Phone", "101", "101"), Part("Extension", "203584", "203584"),
         Part("or phone", "07855 515869", "07855515869")]
    "01702 534300 or extension 4050" ->
        [Part("Phone", "01702 534300", ...), Part("or extension", "4050", "4050")]

    A number after "ext", "extn" or "extension" is an extension; one after "or" or "/"
    is an alternative ("or ..."); a short number straight after an extension's "or"
    is a second extension (101, extn 180022 or 180043). Text with no number, or with two
    numbers whose relation it does not state, gives []: show the text as written."""
    found: list[Part] = []
    last = 0
    for m in _numbers(phone_text):
        between = phone_text[last : m[0]].casefold()
        last = m[1]
        value = m[2]
        extension = bool(re.search(r"\bext(?:n|ension)?\b", between))
        alternative = bool(re.search(r"\bor\b|/", between))
        if found and not (extension or alternative):
            return []  # two numbers whose relation the text does not say: show the text as written
        if not extension and alternative and found and found[-1].is_extension and not value.startswith("0"):
            extension = True
        kind = "extension" if extension else "phone"
        label = f"or {kind}" if alternative and found else kind.capitalize()
        dial = "+" + digits(value) if value.startswith("+") else digits(value)
        found.append(Part(label, value if extension else group(value), dial))
    return found


def _numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, number) for each number; a run of digit groups is one number only
    when it makes a UK number (11 digits from 0), else each group is its own."""
    out: list[tuple[int, int, str]] = []
    for m in _NUMBER.finditer(text):
        run = m.group(0)
        whole = (run.startswith("0") and len(digits(run)) == 11) or (run.startswith("+44") and len(digits(run)) == 12)
        if " " not in run or whole:
            out.append((m.start(), m.end(), run))
            continue
        for g in re.finditer(r"\d+", run):
            out.append((m.start() + g.start(), m.start() + g.end(), g.group(0)))
    return out


def readable(phone_text: str) -> str:
    """One line for the phone text: "101, extension 203584, or phone 07855 515869".
    The protocol's text comes back unchanged when it holds no number."""
    found = parts(phone_text)
    if not found:
        return phone_text
    first, *rest = found
    words = [first.text if first.label == "Phone" else f"{first.label.lower()} {first.text}"]
    words += [f"{p.label.lower()} {p.text}" for p in rest]
    return ", ".join(words)


def labelled(phone_text: str, as_written: bool = True) -> list[tuple[str, str]]:
    """(label, value) lines for a contact's numbers, each spaced for reading and labelled
    in the protocol's own words ("Or extension: 4050"), each value keeping the fact keys
    of `phone_text`; with `as_written`, the text as the protocol writes it last, where
    the lines differ from it. The text alone where how the numbers relate is not written."""
    found = parts(phone_text)
    if not found:
        return [("Phone", phone_text)]
    keys = facts_in(phone_text)
    lines = [(p.label[0].upper() + p.label[1:], keyed(p.text, *keys)) for p in found]
    if as_written and " ".join(p.text for p in found) != " ".join(phone_text.split()):
        lines.append(("As written", phone_text))
    return lines
