"""Local corrections: the day a number changes, a user can correct it on their own
computer before a new edition of the data ships.

Corrections live in `overrides.toml` in the user config folder, each with the
source the user gave. They are applied to the raw tables before validation, so a
correction passes the same checks as the packaged data, and every corrected value
is shown marked, with its source and the protocol's own value beside it.

Keys name one field: `contacts.thurrock.phone_text`, `facts.triage_line.extensions`,
`forums.southend-mase.cadence`, `authorities.essex.child_protection_page`,
`districts.harlow.quadrant`, `quadrants.mid.text`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from setguide.base.errors import DataError, UnknownName, UsageError

FILE = "overrides.toml"
HEADER = (
    "Local corrections to setguide's protocol data, made with `setguide data set`.\n"
    "Each is shown marked as a local correction with its source. Undo with `setguide data reset KEY`."
)

# key prefix -> (data file, array of tables holding entries with an id; None for the facts' named tables)
TABLES: dict[str, tuple[str, str | None]] = {
    "contacts": ("contacts", "contact"),
    "facts": ("facts", None),
    "forums": ("forums", "forum"),
    "authorities": ("places", "authority"),
    "districts": ("places", "district"),
    "quadrants": ("places", "quadrant"),
}
# Identity and citations are not corrections: changing them would detach a fact from its source.
FIXED_FIELDS = ("id", "section")
# The emergency number is the country's, not the protocol's: no local edit may change it.
FIXED_ENTRIES = {"facts.emergency": "the emergency number is 999 everywhere and cannot be corrected locally"}


@dataclass(frozen=True)
class Correction:
    key: str
    value: Any
    protocol_value: Any
    source: str
    set_on: date

    @property
    def shown(self) -> str:
        return show_value(self.value)

    @property
    def protocol_shown(self) -> str:
        return show_value(self.protocol_value)


def show_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def locate(raw: dict[str, dict[str, Any]], key: str) -> tuple[dict[str, Any], str]:
    """The raw table holding `key`'s field, and the field's name."""
    parts = key.split(".")
    if len(parts) != 3 or not all(parts):
        raise UsageError(
            f"not a data key: {key!r}",
            "a key has three parts, e.g. contacts.thurrock.phone_text (see: setguide data keys)",
        )
    prefix, ident, name = parts
    if prefix not in TABLES:
        raise _unknown("data key prefix", prefix, list(TABLES))
    file, array = TABLES[prefix]
    doc = raw[file]
    if array is None:
        table = doc.get(ident)
        if not isinstance(table, dict):
            raise _unknown(f"{prefix} entry", ident, [k for k, v in doc.items() if isinstance(v, dict)])
    else:
        entries = {t.get("id"): t for t in doc.get(array, []) if isinstance(t, dict)}
        if ident not in entries:
            raise _unknown(f"{prefix} entry", ident, [str(i) for i in entries])
        table = entries[ident]
    if name in FIXED_FIELDS:
        raise UsageError(f"{key}: the {name} of an entry cannot be corrected locally")
    if f"{prefix}.{ident}" in FIXED_ENTRIES:
        raise UsageError(f"{key}: {FIXED_ENTRIES[f'{prefix}.{ident}']}")
    if name not in table or isinstance(table[name], dict) or _is_tables(table[name]):
        correctable = sorted(k for k, v in table.items() if k not in FIXED_FIELDS and _correctable(v))
        raise _unknown(f"field of {prefix}.{ident}", name, correctable)
    return table, name


def _unknown(kind: str, given: str, known: list[str]) -> UnknownName:
    """Close matches when there are some, else everything that would do."""
    from setguide.base.names import suggest

    return UnknownName(kind, given, suggest(given, {k: [] for k in known}) or sorted(known))


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _correctable(value: Any) -> bool:
    return not isinstance(value, dict) and not _is_tables(value)


def parse_value(current: Any, text: str) -> Any:
    """`text` as the same kind of value as `current`: a list is comma-separated."""
    text = text.strip()
    if not text:
        raise UsageError("the new value is empty", "to undo a correction use: setguide data reset KEY")
    if isinstance(current, list):
        items = [item.strip() for item in text.split(",")]
        if not all(items):
            raise UsageError(f"a list value has an empty item: {text!r}", "separate items with commas: 180022, 180043")
        return items
    if isinstance(current, date) and not isinstance(current, datetime):
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"not a date: {text!r}", "give a date as YYYY-MM-DD") from None
        from setguide.base.clock import now

        if value > now().date():
            raise UsageError(f"{text} is in the future", "give the day the value was checked")
        return value
    return text


def keys(raw: dict[str, dict[str, Any]]) -> list[tuple[str, Any]]:
    """Every correctable key with its packaged value."""
    found: list[tuple[str, Any]] = []
    for prefix, (file, array) in TABLES.items():
        doc = raw[file]
        if array is None:
            entries = [(k, v) for k, v in doc.items() if isinstance(v, dict)]
        else:
            entries = [(t.get("id"), t) for t in doc.get(array, []) if isinstance(t, dict)]
        for ident, table in entries:
            for name, value in table.items():
                if name not in FIXED_FIELDS and _correctable(value):
                    found.append((f"{prefix}.{ident}.{name}", value))
    return found


def read(doc: dict[str, Any], file: str) -> dict[str, dict[str, Any]]:
    """The corrections in a parsed overrides file, checked field by field."""
    table = doc.get("override", {})
    if not isinstance(table, dict):
        raise DataError(file, "override", "expected a table of corrections")
    for key, entry in table.items():
        where = f'override."{key}"'
        if not isinstance(entry, dict):
            raise DataError(file, where, "expected a table with value and source")
        if "value" not in entry:
            raise DataError(file, f"{where}.value", "missing")
        source = entry.get("source")
        if not isinstance(source, str) or not source.strip():
            raise DataError(file, f"{where}.source", "missing: every local correction must say where it comes from")
        from setguide.model.data import CONTROL

        if CONTROL.search(source):
            raise DataError(file, f"{where}.source", "contains a control character")
        if not isinstance(entry.get("set_on"), date):
            raise DataError(file, f"{where}.set_on", "expected a date (YYYY-MM-DD)")
        from setguide.base.clock import now

        if entry["set_on"] > now().date():
            raise DataError(file, f"{where}.set_on", f"{entry['set_on']} is in the future")
    return table


def apply(raw: dict[str, dict[str, Any]], table: dict[str, dict[str, Any]], file: str) -> tuple[dict, list[Correction]]:
    """A copy of `raw` with the corrections in; each checked against what it replaces."""
    raw = copy.deepcopy(raw)
    applied: list[Correction] = []
    for key, entry in table.items():
        where = f'override."{key}"'
        try:
            target, name = locate(raw, key)
        except UsageError as exc:
            raise DataError(file, where, f"{exc.message} (remove it with: setguide data reset {key})") from None
        value, original = entry["value"], target[name]
        if type(value) is not type(original) and not (isinstance(original, date) and isinstance(value, date)):
            raise DataError(file, f"{where}.value", f"expected the same kind of value as the protocol's {original!r}")
        target[name] = value
        applied.append(Correction(key, value, original, entry["source"].strip(), entry["set_on"]))
    return raw, applied
