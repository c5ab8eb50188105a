"""What the trust pass marks, by fact key: each local correction in force, and the
contacts whose details were last confirmed over a year ago."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from setguide.base.facts import LOCAL_LABEL, TEAM_LABEL, WHOLE, Mark, facts_in, fill
from setguide.base.text import clip
from setguide.model.corrections import show_value
from setguide.model.data import Data

STALE_AFTER_DAYS = 365
CONTACT_FIELDS = ("name", "rank", "role", "organisation", "email", "phone_text")


def correction_json(c: Any) -> dict[str, Any]:
    found = {
        "key": c.key,
        "value": c.value,
        "protocol_value": c.protocol_value,
        "source": c.source,
        "set_on": c.set_on.isoformat(),
        "layer": "team" if c.team else "local",
        "label": label_of(c),
    }
    if c.team:
        found.update(team=c.team, checked=c.set_on.isoformat())
    elif c.team_value is not None:
        found["team_value"] = c.team_value
    return found


def correction_text(c: Any) -> str:
    if c.team:
        return (
            f"{TEAM_LABEL} by {c.team} (a shared file): {c.key} is {c.shown!r} "
            f"(the protocol says {c.protocol_shown!r}). Source: {c.source}, checked {c.set_on.isoformat()}."
        )
    over = f"; it replaces your team's {show_value(c.team_value)!r}" if c.team_value is not None else ""
    return (
        f"{LOCAL_LABEL} on this computer: {c.key} is {c.shown!r} (the protocol says {c.protocol_shown!r}{over}). "
        f"Source: {c.source}, set {c.set_on.isoformat()}."
    )


def team_fault_text(data: Data) -> str | None:
    """The caution when a team's corrections file was named but not used."""
    if not data.team_fault:
        return None
    return (
        f"setguide: your team's corrections file was NOT used, so the protocol's values are shown: "
        f"{clip(data.team_fault, 300)}. Check it with: setguide data verify"
    )


UNCONFIRMED = (
    "setguide: named contacts are as the protocol gives them (undated; it cites documents of "
    "October 2019) and should be confirmed before you rely on them."
)


def source_name(source: Any) -> str:
    """A named source in one line: its title, who published it and whether they still
    exist, its link, the copy read, and the copy's date or what dates it (or "undated")."""
    copy = "" if source.read_at == source.url else f"; read in the copy at {source.read_at}"
    return f"{source.title} (published by {source.publisher}: {source.status}), {source.url}{copy}, {source.age()}"


def source_text(source: Any) -> str:
    """The line beside every fact from a named public source: which page, the copy read and
    its date, and that it is not the protocol's and should be confirmed."""
    return f"Named source, not the protocol: {source_name(source)}. Confirm it before you rely on it."


def source_json(source: Any) -> dict[str, Any] | None:
    """A named public source, as --json gives it beside each value it gave (None: the protocol's)."""
    if source is None:
        return None
    return {
        "title": source.title,
        "link": source.url,
        "read_at": source.read_at,
        "dated": source.dated.isoformat() if source.dated else None,
        "dates_to": source.dates_to,
        "age": source.age(),
        "publisher": source.publisher,
        "publisher_status": source.status,
        "kind": source.kind,
    }


# Quote marks within a source's words: setguide keeps quote marks for the protocol's words alone.
_INNER_QUOTES = re.compile(r"“([^”]+)”|‘([^’]+)’|\"([^\"]+)\"|(?:^|(?<=[\s(]))'([^']+)'(?=[\s.,;:)]|$)")


def unquoted(text: str) -> str:
    """A source's words with its own quote marks left out (they are shown as dropped)."""
    return _INNER_QUOTES.sub(lambda m: next(g for g in m.groups() if g is not None), text)


def beside_text(data: Data, b: Any) -> str:
    """What a named source says beside a fact: its words (not the protocol's, so never in
    quote marks), who says it and how old the copy is, and setguide's own line."""
    src = data.sources[b.source]
    text = f"{b.setguide} " if b.setguide else ""
    words = unquoted(" ".join(b.says))
    dropped = " (its quote marks left out)" if words != " ".join(b.says) else ""
    text += f"Named source, not the protocol, in its own words{dropped}: {words} ({source_name(src)})."
    if b.contradicted_by:
        against = data.sources[b.contradicted_by]
        text += f" Newer, in its own words: {unquoted(' '.join(b.contradicted_says))} ({source_name(against)})."
    return text


def beside_json(data: Data, b: Any) -> dict[str, Any]:
    return {
        "id": b.id,
        "says": list(b.says),
        "source": source_json(data.sources[b.source]),
        "contradicted_by": (
            {"says": list(b.contradicted_says), "source": source_json(data.sources[b.contradicted_by])}
            if b.contradicted_by
            else None
        ),
        "setguide": b.setguide,
        "not_the_protocol": True,
    }


def beside_marks(data: Data) -> dict[str, list[Mark]]:
    """Each [[beside]] as a mark on every fact it sits beside (and, for `cited_with`, on
    every fact its source gave)."""
    cited = named_source_keys(data)
    found: dict[str, list[Mark]] = {}
    for b in data.besides:
        keys = [*b.applies_to, *(k for k, s in cited.items() if b.cited_with and s.id == b.source)]
        m = Mark(beside_text(data, b), kind="beside", source=b.source, named=beside_json(data, b))
        for key in dict.fromkeys(keys):
            found.setdefault(key, []).append(m)
    return found


def named_source_keys(data: Data) -> dict[str, Any]:
    """Every fact key from a named public source, with its source."""
    found: dict[str, Any] = {}
    for door in data.front_doors.values():
        for field, sid in door.sources.items():
            found[f"frontdoors.{door.id}.{field}"] = data.sources[sid]
    current = data.current_procedures
    if current is not None:
        for field in ("name", "edition", "url"):
            found[f"current.procedures.{field}"] = data.sources[current.source]
    return found


def stale_text(area: str, confirmed: date) -> str:
    return fill(
        "setguide: {} SPOC details were last confirmed on {}, over 12 months ago: check this is still current.",
        area,
        confirmed.isoformat(),
    )


def confirmed_on(data: Data, contact: Any, field: str | None = None) -> date | None:
    """The day a SPOC's `field` was last confirmed: by a newer named source in the data
    (which confirms the whole entry), or by a local correction of that field alone.
    Without a field, the entry's: the oldest of its shown fields' days, None while any
    is unconfirmed. Checking it against the protocol's text is not confirming it."""
    if field is None:
        days = [confirmed_on(data, contact, f) for f in CONTACT_FIELDS if getattr(contact, f) is not None]
        return None if None in days else min(days, default=None)
    dates = [c.set_on for c in data.corrected(f"contacts.{contact.id}") if c.key.rsplit(".", 1)[-1] == field]
    if contact.confirmed:
        dates.append(contact.confirmed)
    return max(dates, default=None)


def is_stale(confirmed: date | None, today: date) -> bool:
    """Unconfirmed, or confirmed over 12 months ago: to be checked before use."""
    return confirmed is None or (today - confirmed).days > STALE_AFTER_DAYS


def marks_for(data: Data, today: date) -> dict[str, list[Mark]]:
    marks: dict[str, list[Mark]] = {}
    for key, c in data.corrections.items():
        label = label_of(c)
        marks.setdefault(key, []).append(
            Mark(correction_text(c), correction_json(c), f"{label}: {key} (as above).", "correction")
        )
    fault = team_fault_text(data)
    if fault:
        marks[WHOLE] = [Mark(fault)]
    for contact in data.contacts.values():
        for field in CONTACT_FIELDS:
            confirmed = confirmed_on(data, contact, field)
            if confirmed is None:
                mark = Mark(UNCONFIRMED, kind="unconfirmed")
            elif is_stale(confirmed, today):
                mark = Mark(stale_text(contact.area, confirmed), kind="stale")
            else:
                continue
            marks.setdefault(f"contacts.{contact.id}.{field}", []).append(mark)
    for key, source in named_source_keys(data).items():
        marks.setdefault(key, []).append(Mark(source_text(source), kind="named-source", source=source.id))
    for key, found in beside_marks(data).items():
        marks.setdefault(key, []).extend(found)
    return marks


def labelled(data: Data, value: Any) -> Any:
    """A value a question shows, with the label of a correction it holds beside it
    ("Tendring (LOCAL CORRECTION)"): a prompt has no room for the mark's whole text,
    which the plan that follows gives in full."""
    labels = [label_of(data.corrections[k]) for k in facts_in(value) if k in data.corrections]
    return fill("{} ({})", value, labels[-1]) if labels else value  # as the trust pass labels a value


def label_of(c: Any) -> str:
    """What a correction is called beside its value: the user's own, or a team's."""
    return TEAM_LABEL if c.team else LOCAL_LABEL
