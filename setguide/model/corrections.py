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
from pathlib import Path
from typing import Any

from setguide.base.errors import DataError, SetguideError, UnknownName, UsageError
from setguide.base.names import suggest
from setguide.base.text import echo, text_fault
from setguide.base.userfiles import read_user_toml, user_path
from setguide.model.records import Data
from setguide.model.validate import build

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
    # Named public sources (councils' pages): each authority's front door, and where the
    # current SET Child Protection Procedures are.
    "frontdoors": ("frontdoors", "front_door"),
    "current": ("frontdoors", None),
}
# Identity and citations are not corrections: changing them would detach a fact from its
# source. `checked` is when setguide compared an entry with the protocol's text; a user
# confirms a contact by correcting it, on the day they do.
FIXED_FIELDS = ("id", "section", "checked")
# Fields that are not values a user acts on but the shape of the protocol's routes, or
# setguide's own reading of it. A correction of one would move a plan, a place or a forum
# from one area to another with nothing shown to mark it, so it is refused with the reason;
# a new edition of the data changes them. (A changed phone number, email, name, cadence,
# the triage line's hours or a district's quadrant is a value, and is corrected.)
REFUSED_FIELDS: dict[tuple[str, str], str] = {
    ("districts", "authority"): "which authority a district belongs to is geography, not a value that changes",
    ("authorities", "kind"): "whether an authority is a county or a unitary council is geography",
    ("authorities", "contact"): (
        "which SPOC an authority has is the protocol's SPOC table itself; correct that SPOC's own fields instead"
    ),
    ("contacts", "area"): "the area a SPOC serves is the protocol's SPOC table itself",
    ("forums", "authority"): "which area a forum serves is the protocol's structure (§2), not a value that changes",
    ("forums", "quadrants"): "the quadrants a forum is held in are the protocol's structure (§2.1)",
    ("forums", "themes"): "which themes suit a forum is setguide's own reading of the protocol, not a fact to correct",
    ("forums", "readings"): "setguide's own readings of the protocol are not facts to correct",
    ("contacts", "aliases"): "names setguide accepts for a SPOC are not facts it shows",
    ("authorities", "aliases"): "names setguide accepts for an authority are not facts it shows",
    ("districts", "aliases"): "names setguide accepts for a district are not facts it shows",
    ("frontdoors", "hours_reading"): "setguide's own reading of a source's hours is not a fact to correct",
    ("current", "source"): "which named source a fact was read in is its provenance; correct the fact itself",
    ("forums", "other_cadence_source"): "which source gave a forum's other cadence is provenance; correct the cadence",
}
# The emergency number is the country's, not the protocol's: no local edit may change it.
FIXED_ENTRIES = {"facts.emergency": "the emergency number is 999 everywhere and cannot be corrected locally"}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days_fault(value: Any) -> str | None:
    bad = [d for d in value if d not in WEEKDAYS]
    if bad:
        return f"not days of the week: {', '.join(bad)} (use {', '.join(WEEKDAYS)})"
    if len(set(value)) != len(value):
        return "a day is given twice"
    return None


# What a field means beyond its type, for fields whose shape the data's own loader leaves open.
MEANING = {"facts.triage_line.days": _days_fault}


# The most a value may hold: twice the longest the packaged data holds, so that every
# correctable key at its largest still leaves the file well within what setguide reads.
MAX_VALUE_CHARS = 2000
MAX_ITEMS = 20
MAX_SOURCE_CHARS = 300
# Keys whose values must agree with each other: changed only together, in one command.
PAIRED = (("facts.secure_email.domains", "facts.secure_email.suffixes"),)


def paired_with(key: str) -> str | None:
    for pair in PAIRED:
        if key in pair:
            return next(k for k in pair if k != key)
    return None


def size_fault(value: Any) -> str | None:
    if isinstance(value, list) and len(value) > MAX_ITEMS:
        return f"has {len(value)} items; setguide keeps at most {MAX_ITEMS}"
    if len(show_value(value)) > MAX_VALUE_CHARS:
        return f"is {len(show_value(value))} characters long; setguide keeps at most {MAX_VALUE_CHARS}"
    return None


def value_fault(key: str, value: Any, original: Any) -> str | None:
    """Why `value` cannot replace the protocol's `original` at `key`, or None."""
    if isinstance(value, str | list):
        fault = size_fault(value)
        if fault:
            return fault
    if type(value) is not type(original) and not (isinstance(original, date) and isinstance(value, date)):
        return f"expected the same kind of value as the protocol's {show_value(original)!r}"
    if isinstance(original, date) and isinstance(value, datetime) != isinstance(original, datetime):
        return "expected a date (YYYY-MM-DD), not a date and time"
    if isinstance(value, list):
        if not value:
            return "is an empty list"
        for item in value:
            if not isinstance(item, str) or not item.strip():
                return "expected a list of non-empty strings"
            fault = text_fault(item)
            if fault:
                return fault
    elif isinstance(value, str):
        if not value.strip():
            return "is empty"
        fault = text_fault(value)
        if fault:
            return fault
    if value == original:
        return "is the protocol's own value: there is nothing to correct (undo a correction with: data reset)"
    check = MEANING.get(key)
    return check(value) if check else None


@dataclass(frozen=True)
class Correction:
    key: str
    value: Any
    protocol_value: Any
    source: str
    set_on: date  # a team's: the day the team checked the value
    team: str | None = None  # the team whose shared file made it; None: the user's own
    team_value: Any = None  # for the user's own over a team's: the team's value it replaces

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
            f"not a data key: {echo(key)}",
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
    if (prefix, name) in REFUSED_FIELDS:
        raise UsageError(
            f"{key} cannot be corrected locally: {REFUSED_FIELDS[prefix, name]}",
            "see what can be corrected with: setguide data keys",
        )
    if name not in table or isinstance(table[name], dict) or _is_tables(table[name]):
        correctable = sorted(k for k, v in table.items() if _field_correctable(prefix, k, v))
        raise _unknown(f"field of {prefix}.{ident}", name, correctable)
    return table, name


def _unknown(kind: str, given: str, known: list[str]) -> UnknownName:
    """Close matches when there are some, else everything that would do."""
    return UnknownName(kind, given, suggest(given, {k: [] for k in known}) or sorted(known))


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _correctable(value: Any) -> bool:
    return not isinstance(value, dict) and not _is_tables(value)


def _field_correctable(prefix: str, name: str, value: Any) -> bool:
    return name not in FIXED_FIELDS and (prefix, name) not in REFUSED_FIELDS and _correctable(value)


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
            if f"{prefix}.{ident}" in FIXED_ENTRIES:
                continue
            for name, value in table.items():
                if _field_correctable(prefix, name, value):
                    found.append((f"{prefix}.{ident}.{name}", value))
    return found


def read(doc: dict[str, Any], file: str, dated: str = "set_on") -> dict[str, dict[str, Any]]:
    """The corrections in a parsed overrides file (or a team's, whose date is `checked`), checked field by field."""
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
        fault = text_fault(source) or (
            f"is longer than {MAX_SOURCE_CHARS} characters" if len(source) > MAX_SOURCE_CHARS else None
        )
        if fault:
            raise DataError(file, f"{where}.source", fault)
        if isinstance(entry.get(dated), datetime) or not isinstance(entry.get(dated), date):
            raise DataError(file, f"{where}.{dated}", "expected a date (YYYY-MM-DD)")
        from setguide.base.clock import now

        if entry[dated] > now().date():
            raise DataError(file, f"{where}.{dated}", f"{entry[dated]} is in the future")
    return table


def apply(
    raw: dict[str, dict[str, Any]],
    table: dict[str, dict[str, Any]],
    file: str,
    protocol: dict[str, dict[str, Any]] | None = None,
    team: Team | None = None,
) -> tuple[dict, list[Correction]]:
    """A copy of `raw` with the corrections in; each checked against what it replaces.
    `protocol`: the packaged data, when `raw` already holds a team's corrections (whose
    values the user's own then replace); `team`: the team whose file `table` is."""
    raw = copy.deepcopy(raw)
    applied: list[Correction] = []
    undo = "ask the team to correct its file" if team else "remove it with: setguide data reset {}"
    for key, entry in table.items():
        where = f'override."{key}"'
        try:
            target, name = locate(raw, key)
        except UsageError as exc:
            raise DataError(file, where, f"{exc.message} ({undo.format(key)})") from None
        value, current = entry["value"], target[name]
        original = locate(protocol, key)[0][name] if protocol is not None else current
        fault = value_fault(key, value, current)
        if fault:
            raise DataError(file, f"{where}.value", f"{fault} ({undo.format(key)})")
        target[name] = value
        dated = entry["checked"] if team else entry["set_on"]
        over = current if protocol is not None and current != original else None
        applied.append(
            Correction(key, value, original, entry["source"].strip(), dated, team.name if team else None, over)
        )
    return raw, applied


# --- loading the data with the corrections ------------------------------------


def path() -> Path:
    return user_path(FILE)


def with_corrections(raw: dict[str, dict[str, Any]], directory: Path) -> Data:
    """`raw` built into Data with the team's corrections, then the user's own over them.
    A fault in the user's file is a DataError naming it, whatever the fault; a fault in
    the team's file is a caution naming it (`Data.team_fault`), and its values are not used."""
    team_raw, team_applied, team, fault = with_team(raw, directory)
    file = path()
    if not file.exists() and not file.is_symlink():  # the usual case: no corrections, nothing more to read
        return _built(team_raw, directory, team_applied, team, fault)
    name = str(file)
    try:
        table = read(read_user_toml(FILE, private=True), name)
        if not table:
            return _built(team_raw, directory, team_applied, team, fault)
        corrected, applied = apply(team_raw, table, name, protocol=raw)
    except SetguideError:
        raise
    except Exception as exc:  # a type no check foresaw, nesting, memory: still only this file's fault
        raise DataError(name, "override", f"cannot be applied ({type(exc).__name__})") from None
    try:
        data = build(corrected, directory)
    except DataError as exc:
        build(team_raw, directory)  # if the packaged data (with the team's) is itself broken, say that instead
        keys = ", ".join(c.key for c in applied)
        raise DataError(name, "override", f"a local correction ({keys}) makes the data invalid: {exc}") from None
    except Exception as exc:
        build(team_raw, directory)
        raise DataError(name, "override", f"a local correction cannot be applied ({type(exc).__name__})") from None
    data.corrections.update({c.key: c for c in team_applied})
    data.corrections.update({c.key: c for c in applied})
    data.team, data.team_fault = team, fault
    return data


def _built(raw: dict, directory: Path, applied: list[Correction], team: Team | None, fault: str | None) -> Data:
    data = build(raw, directory)
    data.corrections.update({c.key: c for c in applied})
    data.team, data.team_fault = team, fault
    return data


# --- the team's shared corrections -------------------------------------------------

TEAM_ENV = "SETGUIDE_TEAM_CORRECTIONS"
TEAM_SETTING = "team.toml"  # where `setguide data team PATH` remembers the file
TEAM_HEADER = (
    "A team's shared corrections to setguide's protocol data, written by `setguide data export --team`.\n"
    "Each is shown marked as the team's correction, with its source and the day it was checked."
)
MAX_TEAM_NAME = 80


@dataclass(frozen=True)
class Team:
    name: str
    path: str
    checked: date | None  # the latest day a value in the file was checked


def team_path() -> Path | None:
    """The team's file: SETGUIDE_TEAM_CORRECTIONS, else the one `data team` remembered."""
    import os

    given = os.environ.get(TEAM_ENV)
    if given:
        return Path(given).expanduser()
    setting = read_user_toml(TEAM_SETTING).get("path")
    return Path(setting).expanduser() if isinstance(setting, str) and setting.strip() else None


def read_team(file: Path) -> tuple[Team, dict[str, dict[str, Any]]]:
    """The team file's name and corrections, checked field by field: a DataError naming it."""
    import stat

    from setguide.base.userfiles import read_user_bytes

    name = str(file)
    blob = read_user_bytes(file)
    if blob is None:
        raise DataError(name, "(file)", "not found")
    try:
        if stat.S_IMODE(file.stat().st_mode) & stat.S_IWOTH:
            raise DataError(name, "(file)", "not trusted: any user can change it")
    except OSError as exc:
        raise DataError(name, "(file)", f"cannot be read: {exc.strerror or exc}") from None
    import tomllib

    try:
        doc = tomllib.loads(blob.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, MemoryError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError | MemoryError) else str(exc)
        raise DataError(name, "(syntax)", f"not valid TOML: {reason}") from None
    head = doc.get("team")
    team_name = head.get("name") if isinstance(head, dict) else None
    if not isinstance(team_name, str) or not team_name.strip():
        raise DataError(name, "team.name", "missing: a team file says which team keeps it")
    fault = text_fault(team_name) or ("is too long" if len(team_name) > MAX_TEAM_NAME else None)
    if fault:
        raise DataError(name, "team.name", fault)
    table = read(doc, name, dated="checked")
    checked = max((e["checked"] for e in table.values()), default=None)
    return Team(team_name.strip(), name, checked), table


def with_team(raw: dict, directory: Path) -> tuple[dict, list[Correction], Team | None, str | None]:
    """`raw` with the team's corrections in, checked as the whole data they make; or
    `raw` unchanged and why, when the team's file cannot be used."""
    try:
        file = team_path()
    except SetguideError as exc:
        return raw, [], None, f"the remembered team file cannot be read ({exc.message})"
    if file is None:
        return raw, [], None, None
    try:
        team, table = read_team(file)
        corrected, applied = apply(raw, table, str(file), team=team)
        try:
            build(corrected, directory)
        except DataError as exc:
            raise DataError(str(file), "override", f"a team correction makes the data invalid: {exc}") from None
    except SetguideError as exc:
        return raw, [], None, exc.message
    except Exception as exc:  # a type no check foresaw, nesting, memory: still only that file's fault
        return raw, [], None, f"{file}: cannot be applied ({type(exc).__name__})"
    return corrected, applied, team, None
