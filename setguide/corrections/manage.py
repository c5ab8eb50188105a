"""What `setguide data …` does: set, list, check and undo local corrections."""

from __future__ import annotations

from typing import Any

from setguide.base.clock import now
from setguide.base.errors import DataError, UnknownName, UsageError
from setguide.base.text import echo, one_line
from setguide.base.userfiles import locked, read_user_toml, user_path, write_user_toml
from setguide.model import corrections as local
from setguide.model.data import load, read_raw
from setguide.output.blocks import Block, Bullets, Caution, Field, Heading, Para


def _stored() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    doc = read_user_toml(local.FILE, private=True)
    return doc, local.read(doc, str(user_path(local.FILE)))


def set_correction(key: str, text: str, source: str) -> list[Block]:
    if not source.strip():
        raise UsageError("--source is empty", "say where the new value comes from, e.g. an email from the SPOC")
    for what, given in (("--source", source), ("the new value", text)):
        fault = local.text_fault(given.strip())
        if fault:
            raise UsageError(f"{what} {fault}", "type it again on one line, with plain characters")
    raw = read_raw()
    target, name = local.locate(raw, key)
    value = local.parse_value(target[name], text)
    fault = local.value_fault(key, value, target[name])
    if fault:
        raise UsageError(f"{key}: {fault}")
    file = str(user_path(local.FILE))
    entry = {"value": value, "source": source.strip(), "set_on": now().date()}
    from setguide.model.data import build, data_dir

    # Held from the read to the write, and the merged file checked inside it: another
    # `data set` at the same moment waits, then adds its correction to this one, and
    # the two together are checked as they will be stored (each alone may be valid
    # while both together are not).
    with locked(local.FILE):
        doc, table = _stored()
        corrected, _ = local.apply(raw, {**table, key: entry}, file)
        try:
            build(corrected, data_dir())  # refused before it is written if it would break the data
        except Exception as exc:
            raise UsageError(f"{key}: {echo(text)} is not a valid value here: {exc}") from None
        previous = table.get(key)
        doc.setdefault("override", {})[key] = entry
        path = write_user_toml(local.FILE, doc, local.HEADER)
    blocks: list[Block] = [
        Heading("Local correction saved"),
        Field(key, local.show_value(value)),
        Field("The protocol says", local.show_value(target[name])),
        Field("Source", source.strip()),
        Para(f"Saved in {one_line(str(path), None)}. It is shown marked wherever this fact appears."),
    ]
    if previous:
        blocks.append(
            Caution(
                f"This replaces your earlier correction {local.show_value(previous['value'])!r} "
                f"(source: {previous['source']}). To restore it: setguide data set {key} "
                f"{_quoted(local.show_value(previous['value']))} --source {_quoted(previous['source'])}"
            )
        )
    blocks.append(Para(f"Undo: setguide data reset {key}"))
    return blocks


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def diff_rows() -> list[dict[str, Any]]:
    raw = read_raw()
    _, table = _stored()
    _, applied = local.apply(raw, table, str(user_path(local.FILE)))
    return [
        {
            "key": c.key,
            "protocol_value": c.protocol_value,
            "local_value": c.value,
            "source": c.source,
            "set_on": c.set_on.isoformat(),
        }
        for c in applied
    ]


def diff_doc(rows: list[dict[str, Any]]) -> list[Block]:
    if not rows:
        return [Para("No local corrections: every value shown is setguide's packaged data, each with its source.")]
    blocks: list[Block] = [Heading(f"Local corrections ({len(rows)})")]
    for r in rows:
        blocks += [
            Heading(r["key"], level=2),
            Field("Protocol", local.show_value(r["protocol_value"])),
            Field("Local", local.show_value(r["local_value"])),
            Field("Source", f"{r['source']} (set {r['set_on']})"),
        ]
    return blocks


def verify() -> list[Block]:
    from setguide.model.cache import check_entries, fresh, read_toml
    from setguide.model.data import data_dir
    from setguide.model.validate import LOADERS

    directory = data_dir()
    unknown = sorted(p.name for p in directory.glob("*.toml") if p.stem not in LOADERS)
    if unknown:
        raise DataError(str(directory), "(files)", f"data files setguide does not know: {', '.join(unknown)}")
    with fresh():  # the files themselves, not what a cache folder says they hold
        packaged = load()
        corrected = load(corrections=True)
        for name, loader in LOADERS.items():
            if loader == "":
                read_toml(directory / f"{name}.toml")
            elif loader is not None:
                check = _loader(loader)
                check(packaged)
                check(corrected)  # with the corrections in: a tree step may show a corrected fact
    counts = (
        f"{len(packaged.contacts)} contacts, {len(packaged.forums)} forums, {len(packaged.districts)} districts, "
        f"{len(packaged.places)} places, {len(packaged.sections)} protocol sections"
    )
    blocks: list[Block] = [
        Heading("Data verified"),
        Para(f"Packaged data: valid ({counts}; files: {', '.join(f'{n}.toml' for n in LOADERS)})."),
    ]
    removed = check_entries([directory / f"{name}.toml" for name in LOADERS])
    if removed:
        blocks.append(
            Caution(
                f"The parse cache held {len(removed)} entr{'y' if len(removed) == 1 else 'ies'} that did not match "
                f"the data files, now removed (they are parsed afresh from now on): {', '.join(removed)}"
            )
        )
    from setguide.forums import meetings

    stored = meetings.load(corrected)
    n = len(stored.schedules)
    for path, what in (
        (user_path(local.FILE), _counted(list(corrected.corrections))),
        (user_path(meetings.FILE), f"dates for {n} forum{'' if n == 1 else 's'}"),
    ):
        shown = one_line(str(path), None)
        blocks.append(Para(f"{shown}: valid ({what})." if path.exists() else f"{shown}: none yet."))
    if stored.unknown:
        blocks.append(Caution(f"Meeting dates kept for forums this data does not know: {', '.join(stored.unknown)}"))
    return blocks


def _loader(spec: str):
    """A data file's loader, named in the registry by "module:function"."""
    import importlib

    module, _, function = spec.partition(":")
    return getattr(importlib.import_module(module), function)


def _counted(keys: list[str]) -> str:
    n = len(keys)
    return f"{n} correction{'' if n == 1 else 's'}" + (f": {', '.join(keys)}" if keys else "")


def reset(key: str | None, everything: bool) -> list[Block]:
    with locked(local.FILE):
        return _reset(key, everything)


def _reset(key: str | None, everything: bool) -> list[Block]:
    # Only the file's syntax is checked: a correction that no longer validates must still be removable.
    doc = read_user_toml(local.FILE)
    table = doc.get("override")
    if not isinstance(table, dict):
        table = doc["override"] = {}
    if key is None and not everything:
        raise UsageError("name the correction to undo, or give --all", "see them with: setguide data diff")
    if key is not None and everything:
        raise UsageError("give a key or --all, not both")
    if not table and (everything or key is None):
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


def keys_doc(prefix: str | None) -> list[Block]:
    found = [(k, v) for k, v in local.keys(read_raw()) if prefix is None or k.startswith(prefix)]
    if not found:
        raise UsageError(
            f"no data key starts with {echo(prefix)}", "e.g. contacts, facts.triage_line, forums.southend-mase"
        )
    return [Field(k, local.show_value(v)) for k, v in found]
