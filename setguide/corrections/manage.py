"""What `setguide data …` does: set, list, check and undo local corrections."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from setguide.base.clock import now
from setguide.base.errors import DataError, SetguideError, UnknownName, UsageError
from setguide.base.text import echo, one_line, shell_arg
from setguide.base.userfiles import MAX_BYTES, locked, read_user_toml, user_path, write_user_toml
from setguide.model import corrections as local
from setguide.model.data import Data, build, data_dir, load, read_raw
from setguide.output.blocks import Block, Bullets, Caution, Field, Heading, Para


def _stored() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    doc = read_user_toml(local.FILE, private=True)
    return doc, local.read(doc, str(user_path(local.FILE)))


def set_correction(key: str, text: str, source: str, more: list[str] | tuple[str, ...] = ()) -> list[Block]:
    """Correct `key` to `text` (and each further KEY VALUE pair in `more`, set together)."""
    if len(more) % 2:
        raise UsageError("KEY VALUE pairs: the last key has no value", "give each key its value")
    pairs = [(key, text), *zip(more[::2], more[1::2], strict=True)]
    if not source.strip():
        raise UsageError("--source is empty", "say where the new value comes from, e.g. an email from the SPOC")
    if len(source.strip()) > local.MAX_SOURCE_CHARS:
        raise UsageError(f"--source is longer than {local.MAX_SOURCE_CHARS} characters", "say it in a line")
    for what, given in (("--source", source), *(("the new value", t) for _, t in pairs)):
        fault = local.text_fault(given.strip())
        if fault:
            raise UsageError(f"{what} {fault}", "type it again on one line, with plain characters")
    if len({k for k, _ in pairs}) != len(pairs):
        raise UsageError("a key is given twice", "give each key once")
    raw = read_raw()
    entries: dict[str, dict[str, Any]] = {}
    protocol: dict[str, Any] = {}
    for k, t in pairs:
        target, name = local.locate(raw, k)
        value = local.parse_value(target[name], t)
        fault = local.value_fault(k, value, target[name])
        if fault:
            raise UsageError(
                f"{k}: {fault}", f"nothing was saved. Give the value as its source has it (now: setguide data keys {k})"
            )
        entries[k] = {"value": value, "source": source.strip(), "set_on": now().date()}
        protocol[k] = target[name]
    with locked(local.FILE):
        doc, previous, path = _store(raw, entries)
    blocks: list[Block] = [Heading("Local correction saved" if len(entries) == 1 else "Local corrections saved")]
    for k, entry in entries.items():
        blocks += [
            Field(k, local.show_value(entry["value"])),
            Field("The protocol says", local.show_value(protocol[k])),
        ]
    blocks += [
        Field("Source", source.strip()),
        Para(f"Saved in {one_line(str(path), None)}. It is shown marked wherever this fact appears."),
    ]
    for k, old in previous.items():
        blocks.append(
            Caution(
                f"This replaces your earlier correction {local.show_value(old['value'])!r} "
                f"(source: {old['source']}). To restore it: setguide data set {k} "
                f"{shell_arg(local.show_value(old['value']))} --source {shell_arg(old['source'])}"
            )
        )
    blocks += [Para(f"Undo: setguide data reset {k}") for k in entries]
    return blocks


def _store(raw: dict[str, Any], entries: dict[str, dict[str, Any]]) -> tuple[dict, dict, Any]:
    """Under the file's lock: the stored corrections with `entries` added, checked as the
    whole data they make, then written. Another `data set` at the same moment waits, then
    adds its correction to this one, and the two together are checked as they will be
    stored (each alone may be valid while both together are not)."""

    file = str(user_path(local.FILE))
    doc, table = _stored()
    merged = {**table, **entries}
    team_raw = local.with_team(raw, data_dir())[0]  # the team's layer first; the user's own over it
    try:
        corrected, _ = local.apply(team_raw, merged, file, protocol=raw)
    except DataError as exc:  # an older stored correction that no longer applies
        raise UsageError(
            f"nothing was saved: {exc.problem}", "see your corrections with: setguide data verify"
        ) from None
    try:
        build(corrected, data_dir())  # refused before it is written if it would break the data
    except DataError as exc:
        raise _refusal(list(entries), exc) from None
    except Exception as exc:  # a fault no check foresaw is still only this value's
        raise UsageError(f"{', '.join(entries)}: refused ({type(exc).__name__})", "nothing was saved") from None
    previous = {k: table[k] for k in entries if k in table}
    doc.setdefault("override", {}).update(entries)
    import tomli_w

    if len(tomli_w.dumps(doc).encode("utf-8")) > MAX_BYTES // 2:
        raise UsageError(
            "nothing was saved: your corrections would fill the file beyond what setguide keeps",
            "undo ones you no longer need with: setguide data reset KEY",
        )
    return doc, previous, write_user_toml(local.FILE, doc, local.HEADER)


def _refusal(keys: list[str], exc: DataError) -> UsageError:
    """Why the data these corrections make is refused, and what to do."""
    hint = f"nothing was saved. Check the value against its source (now: setguide data keys {keys[0]})"
    for key in keys:
        other = local.paired_with(key)
        if other and other not in keys:
            hint = (
                f"nothing was saved. {key} and {other} go together: set both in one command, "
                f'e.g. setguide data set {key} "…" {other} "…" --source "…"'
            )
    return UsageError(f"{', '.join(keys)}: not a valid value here: {exc.field}: {exc.problem}", hint)


def diff_rows() -> list[dict[str, Any]]:
    """Both layers: the team's corrections, then the user's own (which win)."""
    from setguide.model.marks import correction_json

    data = load(corrections=True)
    rows = []
    for c in sorted(data.corrections.values(), key=lambda c: (c.team is None, c.key)):
        row = correction_json(c)
        row["team_value" if c.team else "local_value"] = c.value
        rows.append(row)
    return rows


def diff_doc(rows: list[dict[str, Any]], team_note: str | None = None) -> list[Block]:
    blocks: list[Block] = [Caution(team_note)] if team_note else []
    if not rows:
        return [
            *blocks,
            Para(
                "No local corrections and no team corrections: every value shown is setguide's packaged data, "
                "each with its source."
            ),
        ]
    for layer, title in (("team", "Team corrections"), ("local", "Local corrections")):
        mine = [r for r in rows if r["layer"] == layer]
        if not mine:
            continue
        blocks.append(Heading(f"{title} ({len(mine)})"))
        for r in mine:
            blocks += [Heading(r["key"], level=2), Field("Protocol", local.show_value(r["protocol_value"]))]
            if layer == "team":
                blocks += [
                    Field(f"Team ({r['team']})", local.show_value(r["value"])),
                    Field("Source", f"{r['source']} (checked {r['checked']})"),
                ]
            else:
                if "team_value" in r:
                    blocks.append(Field("Team", f"{local.show_value(r['team_value'])} (yours replaces it)"))
                blocks += [
                    Field("Local", local.show_value(r["value"])),
                    Field("Source", f"{r['source']} (set {r['set_on']})"),
                ]
    return blocks


def team_note() -> str | None:
    from setguide.model.marks import team_fault_text

    return team_fault_text(load(corrections=True))


# --- the team's file -----------------------------------------------------------


def remember_team(given: str | None, forget: bool) -> list[Block]:
    """`data team PATH`: remember the team's shared file; without PATH, say which is used."""
    if given is not None and forget:
        raise UsageError("give a file or --forget, not both")
    if forget:
        write_user_toml(local.TEAM_SETTING, {}, "The team corrections file setguide reads (setguide data team).")
        return [Para("No team corrections file is remembered now; the protocol's values and your own are shown.")]
    if given is None:
        path = local.team_path()
        if path is None:
            return [Para("No team corrections file. Name one with: setguide data team PATH")]
        return _team_status(path)
    path = Path(given).expanduser().resolve()
    fault = local.text_fault(str(path))
    if fault:
        raise UsageError(f"the file name {fault}", "give the file's name on one line")
    team, table = local.read_team(path)  # a file that cannot be used is refused now, naming why
    _check_team(team, table)
    write_user_toml(
        local.TEAM_SETTING, {"path": str(path)}, "The team corrections file setguide reads (setguide data team)."
    )
    blocks = [Heading("Team corrections file remembered"), *_team_status(path)]
    if os.environ.get(local.TEAM_ENV):
        blocks.append(Caution(f"{local.TEAM_ENV} is set, and names the file used while it is set."))
    return blocks


def _team_status(path: Path) -> list[Block]:
    shown = one_line(str(path), None)
    try:
        team, table = local.read_team(path)
        _check_team(team, table)
    except SetguideError as exc:
        return [Caution(f"{shown} cannot be used, so the protocol's values are shown: {exc.message}")]
    checked = team.checked.isoformat() if team.checked else "no values"
    return [Field("Team", team.name), Field("File", shown), Para(f"{_counted(list(table))}; last checked {checked}.")]


def _check_team(team: Any, table: dict[str, Any]) -> None:
    """The team's corrections checked as the whole data they make."""
    raw = read_raw()
    corrected, _ = local.apply(raw, table, team.path, team=team)
    try:
        build(corrected, data_dir())
    except DataError as exc:
        raise DataError(team.path, "override", f"a team correction makes the data invalid: {exc}") from None


def export_team(name: str, target: str, force: bool) -> list[Block]:
    """`data export --team NAME FILE`: the user's own corrections as a team's shared file."""
    from setguide.base.userfiles import atomic_write, check_export_target

    name = name.strip()
    fault = local.text_fault(name) if name else "is empty"
    if fault or len(name) > local.MAX_TEAM_NAME:
        raise UsageError(f"--team {fault or 'is too long'}", "give the team's name on one line, e.g. 'Basildon CSC'")
    path = Path(target).expanduser()
    check_export_target(path, force, "team-corrections.toml")
    _, table = _stored()
    if not table:
        raise UsageError(
            "no local corrections to export", "make them first with: setguide data set KEY VALUE --source ..."
        )
    local.apply(read_raw(), table, str(user_path(local.FILE)))  # only corrections that still apply
    doc = {
        "team": {"name": name},
        "override": {k: {"value": e["value"], "source": e["source"], "checked": e["set_on"]} for k, e in table.items()},
    }
    import tomli_w

    comments = "".join(f"# {line}\n" for line in local.TEAM_HEADER.splitlines())
    atomic_write(path, (comments + "\n" + tomli_w.dumps(doc)).encode("utf-8"))
    shown = one_line(str(path), None)
    return [
        Heading("Team corrections file written"),
        Field("Team", name),
        Para(f"{shown}: {_counted(list(table))}."),
        Para(f"Each colleague uses it with: setguide data team {shell_arg(shown)} (or {local.TEAM_ENV}={shown})."),
    ]


def verify(loaders: Mapping[str, Callable[[Data], object]]) -> list[Block]:
    """Every data file checked by what reads it: `loaders`, the features' own loading
    functions by file (validate.FEATURE_FILES), given by the command above them."""
    from setguide.model.cache import check_entries, fresh, read_toml
    from setguide.model.validate import DATA_FILES, FEATURE_FILES

    if set(loaders) != set(FEATURE_FILES):
        raise SetguideError(f"data verify: no loader given for {', '.join(sorted(set(FEATURE_FILES) ^ set(loaders)))}")
    directory = data_dir()
    unknown = sorted(p.name for p in directory.glob("*.toml") if p.stem not in DATA_FILES)
    if unknown:
        raise DataError(str(directory), "(files)", f"data files setguide does not know: {', '.join(unknown)}")
    with fresh():  # the files themselves, not what a cache folder says they hold
        packaged = load()
        corrected = load(corrections=True)
        for name, reader in DATA_FILES.items():
            if reader == "tests":
                read_toml(directory / f"{name}.toml")
            elif reader == "feature":
                loaders[name](packaged)
                loaders[name](corrected)  # with the corrections in: a tree step may show a corrected fact
    counts = (
        f"{len(packaged.contacts)} contacts, {len(packaged.forums)} forums, {len(packaged.districts)} districts, "
        f"{len(packaged.places)} places, {len(packaged.sections)} protocol sections"
    )
    blocks: list[Block] = [
        Heading("Data verified"),
        Para(f"Packaged data: valid ({counts}; files: {', '.join(f'{n}.toml' for n in DATA_FILES)})."),
    ]
    removed = check_entries([directory / f"{name}.toml" for name in DATA_FILES])
    if removed:
        blocks.append(
            Caution(
                f"The parse cache held {len(removed)} entr{'y' if len(removed) == 1 else 'ies'} that did not match "
                f"the data files, now removed (they are parsed afresh from now on): {', '.join(removed)}"
            )
        )
    from setguide.forums import meetings

    team_file = local.team_path()
    if team_file is not None:
        team, table = local.read_team(team_file)  # a DataError naming it: exit 1
        _check_team(team, table)
    stored = meetings.load(corrected)
    n = len(stored.schedules)
    for path, what in (
        (user_path(local.FILE), _counted([c.key for c in corrected.corrections.values() if c.team is None])),
        (user_path(meetings.FILE), f"dates for {n} forum{'' if n == 1 else 's'}"),
    ):
        shown = one_line(str(path), None)
        blocks.append(Para(f"{shown}: valid ({what})." if path.exists() else f"{shown}: none yet."))
    if team_file is not None:
        blocks.append(Para(f"{one_line(str(team_file), None)}: valid (team {team.name}; {_counted(list(table))})."))
    blocks += [Caution(fault) for fault in stored.faults]
    if stored.unknown:
        blocks.append(Caution(f"Meeting dates kept for forums this data does not know: {', '.join(stored.unknown)}"))
    return blocks


def _counted(keys: list[str]) -> str:
    n = len(keys)
    return f"{n} correction{'' if n == 1 else 's'}" + (f": {', '.join(keys)}" if keys else "")


def reset(key: str | None, everything: bool) -> list[Block]:
    with locked(local.FILE):
        return _reset(key, everything)


def _reset(key: str | None, everything: bool) -> list[Block]:
    # Only the file's syntax is checked: a correction that no longer validates must still be removable.
    try:
        doc = _readable(key)
    except DataError as exc:
        if not everything:
            raise
        return _set_aside(exc)
    table = doc.get("override")
    shaped = isinstance(table, dict)
    if not shaped:
        table = doc["override"] = {}
    if key is None and not everything:
        raise UsageError("name the correction to undo, or give --all", "see them with: setguide data diff")
    if key is not None and everything:
        raise UsageError("give a key or --all, not both")
    if not table and (everything or key is None) and shaped:
        return [Para("No local corrections to undo.")]
    if everything:
        removed = list(table)
        doc["override"] = {}
    else:
        if key not in table:
            raise UnknownName("local correction", key, sorted(table))
        removed = [key]
        del doc["override"][key]
    write_user_toml(local.FILE, doc, local.HEADER)
    return [
        Heading("Local corrections undone"),
        Bullets(tuple(removed)),
        Para("The protocol's values are shown again."),
    ]


def _readable(key: str | None) -> dict[str, Any]:
    """The corrections file for undoing: one too big for setguide to apply is still read
    (up to RESET_BYTES), so that a correction can be taken out of it."""
    from setguide.base.userfiles import read_user_bytes

    raw = read_user_bytes(user_path(local.FILE), limit=RESET_BYTES)
    if raw is None:
        return {}
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, MemoryError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError | MemoryError) else str(exc)
        error = DataError(str(user_path(local.FILE)), "(syntax)", f"not valid TOML: {reason}")
        error.hint = "undo every correction with: setguide data reset --all (the file is kept beside it)"
        raise error from None


RESET_BYTES = 64 * 1024 * 1024


def _set_aside(exc: DataError) -> list[Block]:
    """`data reset --all` on a file setguide cannot read: it is renamed, kept for the user,
    and no correction applies any more."""
    import os

    path = user_path(local.FILE)
    kept = path.with_name(f"{path.name}.{now().strftime('%Y%m%d-%H%M%S')}.unread")
    try:
        os.replace(path, kept)
    except OSError as err:
        raise SetguideError(
            f"cannot undo the corrections: {one_line(str(path), None)}: {err.strerror or err}",
            "move or delete that file yourself; setguide then shows the protocol's values",
        ) from None
    return [
        Heading("Local corrections undone"),
        Para(f"{one_line(str(path), None)} could not be read ({exc.problem}), so none of it applied."),
        Para(f"It is kept as {one_line(str(kept), None)}. The protocol's values are shown again."),
    ]


def keys_doc(prefix: str | None) -> list[Block]:
    found = [(k, v) for k, v in local.keys(read_raw()) if prefix is None or k.startswith(prefix)]
    if not found:
        raise UsageError(
            f"no data key starts with {echo(prefix)}", "e.g. contacts, facts.triage_line, forums.southend-mase"
        )
    return [Field(k, local.show_value(v)) for k, v in found]
