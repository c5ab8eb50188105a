"""Search across what setguide knows: forums, themes, contacts, §1 facts, protocol
sections and places. Pure and offline: data in, ranked results out.

Scoring is deliberately simple, so a result's rank can be explained: each query word
found in a result's title counts most, then in its keywords, then in its text (less in
long texts, where a word is cheaper); the whole query found as a phrase adds more; and
a result that misses some query words is scaled down by the share it misses. Words the
protocol writes another way ("NRM" for "National Referral Mechanism") come from
search.toml, each with the section that uses it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from setguide.base.facts import facts_in, fill, keyed
from setguide.base.names import close
from setguide.base.text import echo, one_line, shell_arg
from setguide.find.lexicon import Synonym, search_data
from setguide.forums.cadence import held_per_quadrant_is_a_reading, readings
from setguide.model.data import Data, cite
from setguide.output.blocks import Block, Field, Gap, Heading, Para, Source

STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in is it me my of on or should the this to "
    "what when where which who whom with about".split()
)

# Field weights: a word in a result's name says more than a word somewhere in its text.
TITLE, KEYWORD, TEXT, PREFIX = 4.0, 2.5, 1.0, 0.6
PHRASE_TITLE, PHRASE_KEYWORD, PHRASE_TEXT, EXACT_TITLE = 6.0, 4.0, 3.0, 5.0
# Protocol sections are long and repeat what forums and facts say in a few words; when
# both match, the shorter, more specific result should come first.
RELATIVE_FLOOR = 0.1
PRIOR = {
    "place": 1.3,
    "theme": 1.1,
    "forum": 1.0,
    "fact": 1.0,
    "frontdoor": 1.0,
    "contact": 1.0,
    "note": 0.9,
    "section": 0.8,
}
SYNONYM_WEIGHT, TYPED = 0.85, 0.25
# What every council's front door is found by, beside its own names (setguide's grouping of the
# words people use: search.toml's synonyms lead to these).
FRONT_DOOR_WORDS = ("front door", "child protection", "children's social care")


@dataclass(frozen=True)
class Doc:
    kind: str
    id: str
    title: str
    cite: str
    command: str
    keywords: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()
    exact: tuple[tuple[str, str], ...] = ()  # (label, value) shown whole, never cut
    # setguide's own lines about the result (its readings of the protocol), each saying
    # so, shown whenever the result is; never searched, never cited with §.
    readings: tuple[str, ...] = ()
    # The theme labels a forum is listed under in setguide's theme map: a forum found by
    # one of them says so, since the protocol's text about it may not use the word.
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    doc: Doc
    score: float
    snippet: str | None


@dataclass(frozen=True)
class Meaning:
    term: str
    means: tuple[str, ...]
    cite: str


@dataclass(frozen=True)
class Answer:
    query: str
    meanings: tuple[Meaning, ...]
    results: tuple[Result, ...]
    suggestions: tuple[str, ...] = field(default=())
    cut: bool = False  # the query was longer than any search needs: only its start was used


# --- words -----------------------------------------------------------------


def words(text: str) -> list[str]:
    text = re.sub(r"['’‘`]", "", text.casefold())
    return re.findall(r"[a-z0-9]+", text)


def stem(word: str) -> str:
    """A light stemmer, enough that 'missing' finds 'missed' and 'gangs' finds 'gang'."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, repl in (("ations", ""), ("ation", ""), ("ies", "y"), ("ings", ""), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def _contains(seq: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return n > 0 and any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


# --- the documents ---------------------------------------------------------


def _forum_command(authority: str) -> str:
    return "setguide protocol 3" if authority == "set" else fill("setguide forums --authority {}", authority)


@cache
def documents(data: Data) -> tuple[Doc, ...]:
    """Everything search looks in, in the order ties keep: forums, themes, contacts,
    front doors, facts, notes, sections."""
    return tuple(
        (
            *_forum_docs(data),
            *_theme_docs(data),
            *_contact_docs(data),
            *_front_door_docs(data),
            *_fact_docs(data),
            *_note_docs(data),
            *_section_docs(data),
        )
    )


def _forum_docs(data: Data) -> list[Doc]:
    docs: list[Doc] = []
    themes = data.themes
    # Forums held in each Essex quadrant are one forum to a reader: one result, not four.
    seen_bases: set[str] = set()
    for f in data.forums.values():
        base = f.id.removesuffix(f"-{f.quadrant!s}") if f.quadrant else f.id
        if base in seen_bases:
            continue
        seen_bases.add(base)
        # "Each Essex quadrant" only where the protocol says so (Part 1); Part 2 per quadrant
        # is setguide's reading, which the result's readings say.
        if f.quadrant:
            where_text = "Essex" if held_per_quadrant_is_a_reading(f) else "each Essex quadrant"
        else:
            where = data.authorities.get(f.authority, None)
            where_text = where.name if where else "SET"
        labels = tuple(themes[t].label for t in f.themes)
        docs.append(
            Doc(
                kind="forum",
                id=base,
                title=fill("{} ({})", f.base_name, where_text),
                cite=cite(f.section) + ("; setguide" if f.readings else ""),
                command=_forum_command(f.authority),
                keywords=(f.base_long_name, *labels),
                passages=(f.cadence_text, f.chair, f.attendees, *f.purpose),
                readings=readings([f]),
                themes=labels,
            )
        )
    return docs


def _theme_docs(data: Data) -> list[Doc]:
    # The theme map and the descriptions are setguide's, not the protocol's: no §.
    return [
        Doc(
            kind="theme",
            id=t.id,
            title=f"{t.label} (setguide's theme map)",
            cite="setguide",
            command=f"setguide forums --theme {t.id}",
            keywords=(t.label,),
            passages=(t.description,),
            readings=(data.theme_reading,),
        )
        for t in data.themes.values()
    ]


def _contact_docs(data: Data) -> list[Doc]:
    return [
        Doc(
            kind="contact",
            id=c.id,
            title=fill("{} single point of contact (SPOC)", c.area),
            cite=cite(c.section),
            command=f"setguide contacts {c.id}",
            keywords=(c.area, *c.aliases, c.name, c.display_name),
            passages=(fill("{}, {}", c.role, c.organisation),),
            exact=(("Name", c.display_name), ("Email", c.email), ("Phone", c.phone_text)),
        )
        for c in data.contacts.values()
    ]


def _fact_docs(data: Data) -> list[Doc]:
    docs = []
    headings = search_data(data).facts
    for fact in data.facts.values():
        heading = headings.get(fact.id)
        title = heading.title if heading else fact.id.replace("_", " ").capitalize()
        command = heading.command if heading and heading.command else fill("setguide protocol {}", fact.section)
        docs.append(Doc("fact", fact.id, title, cite(fact.section), command, passages=_values(fact.values)))
    return docs


# The notes whose section title says less than they do.
NOTE_TITLES = {
    "essex_mace_channel": "What partners share through the Essex MACE",
    "thurrock_governance": "Who oversees the Thurrock forums",
    "southend_governance": "Who oversees the Southend forums",
}


def _note_docs(data: Data) -> list[Doc]:
    return [
        Doc(
            "note",
            key,
            NOTE_TITLES.get(key, data.sections[note.section].title),
            cite(note.section),
            fill("setguide protocol {}", note.section),
            passages=_values(note.values),
        )
        for key, note in data.notes.items()
    ]


def _values(values: dict) -> tuple[str, ...]:
    """A fact's or note's text values, then the items of its lists."""
    texts = [v for v in values.values() if isinstance(v, str)]
    return (*texts, *(i for v in values.values() if isinstance(v, tuple | list) for i in v))


def _section_docs(data: Data) -> list[Doc]:
    return [
        Doc(
            kind="section",
            id=s.id,
            title=f"{s.cite} {s.title}" if s.id[0].isdigit() else s.title,
            cite=s.cite,
            command=f"setguide protocol {s.id}",
            keywords=(s.title,),
            passages=tuple(_sentences(s.text)),
        )
        for s in data.sections.values()
    ]


def _front_door_docs(data: Data) -> list[Doc]:
    """Each council's children's social care front door, from its named sources (not the
    protocol): its numbers shown whole, its sources cited by title and link."""
    docs = []
    for aid, door in data.front_doors.items():
        a = data.authorities[aid]
        cited = dict.fromkeys(door.sources.values())
        sources = "; ".join(f"{data.sources[s].title}, {data.sources[s].url}" for s in cited)
        # Fixed labels: the names are values, so a corrected name is marked where it shows.
        exact = [("Front door", door.name), ("Phone (office hours)" if door.hours else "Phone", door.office_phone)]
        if door.out_of_hours_name:
            exact.append(("Out of hours", door.out_of_hours_name))
        exact.append(("Out-of-hours phone", door.out_of_hours_phone))
        if door.office_hours:
            exact.append(("Office hours", door.office_hours))
        if door.out_of_hours_hours:
            exact.append(("Out-of-hours times", door.out_of_hours_hours))
        if door.refer_email:
            exact.append(("Referral email", door.refer_email))
        docs.append(
            Doc(
                kind="frontdoor",
                id=f"front-door-{aid}",
                title=fill("{} child protection front door: {}", a.name, door.name),
                cite=f"named source, not the protocol: {sources}",
                command=f"setguide contacts {aid}",
                keywords=(door.name, *((door.out_of_hours_name,) if door.out_of_hours_name else ()), *FRONT_DOOR_WORDS),
                passages=tuple(p for p in (door.refer, door.out_of_hours_hours) if p),
                exact=tuple(exact),
            )
        )
    return docs


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.;:])\s+|\n+|\s*·\s*", text)
    return [p.strip() for p in parts if p and p.strip()]


@dataclass(frozen=True)
class _Indexed:
    doc: Doc
    title: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]
    passages: tuple[tuple[str, ...], ...]
    vocab: frozenset[str]
    text_weight: float


@cache
def _index(data: Data) -> tuple[_Indexed, ...]:
    out = []
    for d in documents(data):
        passages = tuple(tuple(stems(p)) for p in (*d.passages, *(v for _, v in d.exact)))
        keywords = tuple(tuple(stems(k)) for k in d.keywords)
        title = tuple(stems(d.title))
        length = sum(len(p) for p in passages)
        # A word in a 700-word section is worth about a third of one in a two-line purpose.
        weight = 1.0 / (1.0 + 0.5 * max(0.0, math.log2(max(length, 1) / 80)))
        vocab = frozenset(title) | {w for k in keywords for w in k} | {w for p in passages for w in p}
        out.append(_Indexed(d, title, keywords, passages, vocab, weight))
    return tuple(out)


# --- queries ---------------------------------------------------------------


def _query_stems(text: str) -> list[str]:
    ws = words(text)
    kept = [w for w in ws if w not in STOPWORDS] or ws
    return [stem(w) for w in kept]


def _alternatives(query: str, synonyms: tuple[Synonym, ...]) -> tuple[list[list[str]], list[Meaning]]:
    """The query as typed, and with each synonym group it mentions swapped for its
    other terms; and what those terms mean, to show."""
    base = _query_stems(query)
    alts = [base]
    meanings: list[Meaning] = []
    qwords = words(query)
    for group in synonyms:
        for term in group.terms:
            term_words = words(term)
            if not _contains(qwords, term_words):
                continue
            others = tuple(t for t in group.terms if words(t) != term_words)
            if group.shown:
                meanings.append(Meaning(term, others, group.cite))
            term_stems = [stem(w) for w in term_words]
            for other in others:
                other_stems = [stem(w) for w in words(other)]
                for alt in list(alts):
                    swapped = _replace(alt, term_stems, other_stems)
                    if swapped != alt and swapped not in alts:
                        alts.append(swapped)
            break
    return alts, meanings


def _replace(seq: list[str], old: list[str], new: list[str]) -> list[str]:
    n = len(old)
    for i in range(len(seq) - n + 1):
        if seq[i : i + n] == old:
            return seq[:i] + new + seq[i + n :]
    return seq


def _score(ix: _Indexed, q: list[str]) -> float:
    if not q:
        return 0.0
    total, matched = 0.0, 0
    keyword_words = {w for k in ix.keywords for w in k}
    text_words = {w for p in ix.passages for w in p}
    for w in q:
        # Said again and again in a text, a word is more what it is about: a little more.
        repeats = min(3, sum(1 for p in ix.passages if w in p))
        total += 0.3 * max(0, repeats - 1) * ix.text_weight
        if w in ix.title:
            hit = TITLE
        elif w in keyword_words:
            hit = KEYWORD
        elif w in text_words:
            hit = TEXT * ix.text_weight
        elif len(w) >= 4 and any(v.startswith(w) for v in ix.vocab):
            hit = PREFIX * ix.text_weight
        else:
            hit = 0.0
        if hit:
            matched += 1
            total += hit
    if not matched:
        return 0.0
    if len(q) > 1:
        if _contains(list(ix.title), q):
            total += PHRASE_TITLE
        elif any(_contains(list(k), q) for k in ix.keywords):
            total += PHRASE_KEYWORD
        elif any(_contains(list(p), q) for p in ix.passages):
            total += PHRASE_TEXT
    if list(ix.title) == q or any(list(k) == q for k in ix.keywords):
        total += EXACT_TITLE
    coverage = matched / len(q)
    return total * coverage * coverage * PRIOR.get(ix.doc.kind, 1.0)


def _snippet(ix: _Indexed, alts: list[list[str]]) -> str | None:
    """The one passage that best shows why this result matched, whole (never cut)."""
    best, best_score = None, 0.0
    for raw, p in zip(ix.doc.passages, ix.passages, strict=False):
        for q in alts:
            s = sum(1 for w in set(q) if w in p) + (2 if len(q) > 1 and _contains(list(p), q) else 0)
            # On a tie the fuller passage says more: "101, extn 180022 or 180043", not "101".
            if s > best_score or (s and s == best_score and len(raw) > len(best)):
                best, best_score = raw, s
    if best is None and ix.doc.passages and ix.doc.kind in ("theme", "fact", "note"):
        best = ix.doc.passages[0]
    if best is None and ix.doc.themes:
        # Found by a theme's name alone: say whose listing that is.
        for label in ix.doc.themes:
            if any(_contains(stems(label), q) or set(q) & set(stems(label)) for q in alts):
                return f"Listed under {label} in setguide's theme map (setguide's reading of its stated focus)."
    return best


# Longer than any question a user would type: a pasted page is searched by its start,
# which keeps the answer as quick as for a short query (130 KB once took 18 s).
MAX_QUERY_WORDS = 30
MAX_QUERY_CHARS = 300


def search(data: Data, text: str, limit: int = 10) -> Answer:
    given = text.split()
    query = " ".join(given[:MAX_QUERY_WORDS])[:MAX_QUERY_CHARS]
    cut = len(given) > MAX_QUERY_WORDS or len(query) < len(" ".join(given[: MAX_QUERY_WORDS + 1]))
    if cut:
        return replace(_search(data, query, limit), cut=True)
    return _search(data, query, limit)


def _search(data: Data, query: str, limit: int) -> Answer:
    if not words(query):
        return Answer(query, (), ())
    alts, meanings = _alternatives(query, search_data(data).synonyms)
    scored: list[Result] = []
    for ix in _index(data):
        # The words as typed count more than a synonym's: MASH finds the MASH first.
        typed = _score(ix, alts[0])
        score = max(typed, SYNONYM_WEIGHT * max((_score(ix, q) for q in alts[1:]), default=0.0)) + TYPED * typed
        if score > 0:
            scored.append(Result(ix.doc, round(score, 3), _snippet(ix, alts)))
    place = _place_result(data, query)
    if place:
        scored.append(place)
    # Ties keep the data's order (forums, themes, contacts, facts, notes, sections).
    scored.sort(key=lambda r: -r.score)
    # A result far below the best matched only a stray word of an expansion: noise.
    if scored:
        floor = scored[0].score * RELATIVE_FLOOR if scored[0].doc.kind != "place" else 0.0
        scored = [r for r in scored if r.score >= floor]
    results = tuple(scored[:limit])
    suggestions: tuple[str, ...] = ()
    if not results:
        suggestions = _suggest(data, query)
    return Answer(query, tuple(meanings), results, suggestions)


def _place_result(data: Data, query: str) -> Result | None:
    from setguide.base.errors import UnknownName
    from setguide.places.resolve import resolve

    try:
        r = resolve(data, query)
    except UnknownName:
        return None
    if r.outside and not r.outside_where:
        where = "Outside SET: what the protocol says for agencies outside SET"
    elif r.outside:
        where = fill("{} is outside Southend, Essex and Thurrock{}", r.name, fill(" ({})", r.outside_where))
    elif r.kind in ("authority", "district"):
        where = fill("{}: what the protocol says for it", r.name)
    else:
        where = fill("{} is in {}", r.name, data.districts[r.district].name)
    doc = Doc(
        kind="place",
        id=r.name,
        title=where,
        # A gazetteer answer names its page (title and link), as `quadrant` does.
        cite=cite(r.source) if not r.source.startswith("http") else f"{r.source_title or 'gazetteer'}, {r.source}",
        command=f"setguide quadrant {shell_arg(query)}",
        # A name shared with a place outside SET says so, as `quadrant` does.
        readings=(fill("setguide: {}", r.note_text),) if r.note else (),
    )
    return Result(doc, 100.0, None)


MAX_WORD = 40


def _suggest(data: Data, query: str) -> tuple[str, ...]:
    vocab = sorted({w for ix in _index(data) for p in (*ix.doc.passages, ix.doc.title) for w in words(p)})
    out = []
    own = {w for group in search_data(data).synonyms for t in group.terms for w in words(t)}
    for w in words(query):
        # A word setguide knows as a synonym is never "corrected" (MASH is not MASE).
        if w in own:
            continue
        # A word far longer than any in the protocol cannot be a misspelling of one,
        # and comparing it would take time in proportion to its length.
        if w in STOPWORDS or len(w) > MAX_WORD:
            continue
        near = close(w, vocab, 1)
        if near and near[0] != w:
            out.append(near[0])
    return tuple(out)


# --- output ----------------------------------------------------------------


KIND_WORDS = {
    "place": "place",
    "forum": "forum",
    "theme": "theme",
    "contact": "contact",
    "fact": "what to do",
    "frontdoor": "front door (named source)",
    "note": "protocol",
    "section": "protocol section",
}


def doc(answer: Answer) -> list[Block]:
    blocks: list[Block] = [Heading(f"Search: {one_line(answer.query, None)}")]
    if answer.cut:
        blocks.append(
            Para(f"setguide: only the first {MAX_QUERY_WORDS} words ({MAX_QUERY_CHARS} characters) were searched.")
        )
    for m in answer.meanings:
        blocks.append(Para(f"{m.term}: {'; '.join(m.means)} [{m.cite}]"))
    if not answer.results:
        blocks.append(Para(f"Nothing found for {echo(answer.query)}."))
        if answer.suggestions:
            blocks.append(Para(f"Did you mean: {' '.join(answer.suggestions)}?"))
        blocks.append(Para("Try a forum, a theme (county lines, missing), a town, or: setguide protocol"))
        return blocks
    for i, r in enumerate(answer.results, 1):
        d = r.doc
        blocks.append(Gap())
        heading = fill("{}. {} – {}", i, d.title, KIND_WORDS.get(d.kind, d.kind))
        # A result is found by words it does not show (a forum's long name, a fact's other
        # values): it carries their keys, so a correction that found or ranked it is marked.
        blocks.append(Heading(keyed(heading, *facts_in(heading), *found_by(d)), level=2))
        if r.snippet:
            # A theme's description is setguide's words, and says so.
            blocks.append(Para(fill("{} (setguide's words)", r.snippet) if d.kind == "theme" else r.snippet))
        blocks += [Para(line) for line in d.readings]
        for label, value in d.exact:
            blocks.append(Field(label, value))
        blocks.append(Field("More", d.command))
        blocks.append(Source(d.cite))
    return blocks


def found_by(d: Doc) -> tuple[str, ...]:
    """The keys of the facts a result is searched by (its title, keywords, text and values)."""
    return facts_in((d.title, d.keywords, d.passages, d.exact))


def to_json(answer: Answer) -> dict[str, Any]:
    return {
        "query": answer.query,
        "meanings": [{"term": m.term, "means": list(m.means), "source": m.cite} for m in answer.meanings],
        "results": [
            {
                "rank": i,
                "kind": r.doc.kind,
                "id": r.doc.id,
                "title": r.doc.title,
                "snippet": r.snippet,
                "snippet_source": "setguide" if r.doc.kind == "theme" else r.doc.cite,
                "readings": list(r.doc.readings),
                "exact": {label: value for label, value in r.doc.exact},
                "source": r.doc.cite,
                "command": r.doc.command,
                "score": r.score,
                "found_by": [keyed(k, k) for k in found_by(r.doc)],  # the facts it is searched by
            }
            for i, r in enumerate(answer.results, 1)
        ],
        "suggestions": list(answer.suggestions),
    }
