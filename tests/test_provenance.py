"""Nothing invented: every statement in data/ is verbatim protocol text, a listed
paraphrase, setguide's own words, or a named public source (docs/provenance.md)."""

from __future__ import annotations

import re
import tomllib

import pytest

from setguide.model.data import data_dir
from tests.conftest import PROTOCOL

DATA = data_dir()
# Typographic quotes and dashes are folded to plain ones, on both sides, so that a
# straight apostrophe in data matches the protocol's curly one; nothing else is.
FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "·": " "})


def fold(text: str) -> str:
    return " ".join(text.translate(FOLD).split())


PROTOCOL_TEXT = fold(re.sub(r"\[bookmark: [^\]]*\]", "", PROTOCOL.read_text(encoding="utf-8")))


def in_protocol(text: str) -> bool:
    """Verbatim, give or take the case of the first letter and a closing full stop."""
    t = fold(text).rstrip(".;:")
    return bool(t) and (t in PROTOCOL_TEXT or (t[0].swapcase() + t[1:]) in PROTOCOL_TEXT)


def load(name: str) -> dict:
    with open(DATA / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


PARAPHRASES = load("paraphrases")["paraphrase"]
PARAPHRASED = {p["text"] for p in PARAPHRASES}

# The statement fields of each kind of table; every other field is an id, a value
# checked elsewhere (numbers, addresses, links) or a label.
FORUM_FIELDS = ("cadence_text", "chair", "attendees", "purpose")
FACT_FIELDS = (
    "text",
    "when",
    "hours_text",
    "verbal_referral",
    "cait_text",
    "rule_text",
    "how",
    "examples",
    "complement",
)
NOTE_FIELDS = ("text", "items")


def items(value: object) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


def statements() -> list[tuple[str, str, str, str | None]]:
    """(where, kind, text, section) for every statement field in data/."""
    found = []
    forums = load("forums")
    for f in forums["forum"]:
        for field in FORUM_FIELDS:
            kind = f.get("said", {}).get(field, "verbatim")
            for text in items(f[field]):
                found.append((f"forums.{f['id']}.{field}", kind, text, f["section"]))
        for text in f.get("readings", []):
            found.append((f"forums.{f['id']}.readings", "setguide", text, None))
    for key in ("essex_mace_channel", "thurrock_governance", "southend_governance", "theme_reading"):
        table = forums[key]
        said = table.get("said", {})
        for field in NOTE_FIELDS:
            if field in table:
                kind = said if isinstance(said, str) else said.get(field, "verbatim")
                for text in items(table[field]):
                    found.append((f"forums.{key}.{field}", kind, text, table.get("section")))
    for fid, table in load("facts").items():
        for field in FACT_FIELDS:
            if field in table:
                kind = table.get("said", {}).get(field, "verbatim")
                for text in items(table[field]):
                    found.append((f"facts.{fid}.{field}", kind, text, table["section"]))
    for c in load("contacts")["contact"]:
        for field in ("name", "rank", "role", "organisation", "email", "phone_text"):
            if field in c:
                found.append((f"contacts.{c['id']}.{field}", "verbatim", c[field], "spoc"))
    return found


STATEMENTS = statements()


@pytest.mark.parametrize(("where", "kind", "text", "section"), STATEMENTS, ids=[s[0] for s in STATEMENTS])
def test_every_statement_has_a_kind_that_holds(where, kind, text, section):
    assert kind in ("verbatim", "paraphrase", "setguide"), where
    if kind == "verbatim":
        assert in_protocol(text), f"{where} is marked verbatim but is not in the protocol: {text!r}"
    elif kind == "paraphrase":
        assert text in PARAPHRASED, f"{where} is a paraphrase not listed in paraphrases.toml: {text!r}"
        assert section, f"{where}: a paraphrase is cited with its section"
    else:
        assert "§" not in text, f"{where}: a setguide statement is never cited with §"
        assert not in_protocol(text), f"{where} is the protocol's own words: mark it verbatim"


@pytest.mark.parametrize("p", PARAPHRASES, ids=[p["text"][:40] for p in PARAPHRASES])
def test_each_paraphrase_restates_a_verbatim_passage(p):
    assert in_protocol(p["passage"]), p["passage"]
    assert p["text"] != p["passage"] and not in_protocol(p["text"]), "verbatim text is not a paraphrase"
    kinds = {where: kind for where, kind, text, _ in STATEMENTS if text == p["text"]}
    assert kinds and set(kinds.values()) == {"paraphrase"}, kinds
    assert set(p["used_in"]) == set(kinds), "used_in names where the paraphrase is used"


# A quotation: “…”, "…", ‘…’, or '…' opening after a space or bracket (so an
# apostrophe in "Children's" or "setguide's" is not taken for one).
QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|‘([^’]+)’|(?:^|(?<=[\s(]))'([^']+)'(?=[\s.,;:)]|$)")


def strings(value: object, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{where}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, f"{where}.{k}")


DATA_STRINGS = [
    (f"{name}.toml:{where}", text)
    for name in (
        "forums",
        "facts",
        "contacts",
        "places",
        "search",
        "notes",
        "paraphrases",
        "gazetteer",
        "protocol",
        "tree",
    )
    if (DATA / f"{name}.toml").exists()
    for where, text in strings(load(name), "")
]


def test_quote_marks_only_ever_wrap_the_protocols_words():
    false = []
    for where, text in DATA_STRINGS:
        for m in QUOTED.finditer(text):
            quoted = next(g for g in m.groups() if g is not None)
            if "{" in quoted:  # a template: what fills it is checked where it is defined
                continue
            if not in_protocol(quoted):
                false.append(f"{where}: {quoted!r}")
    assert not false, "quoted but not in the protocol:\n" + "\n".join(false)


def test_the_trees_own_words_are_never_cited_with_a_section():
    """A step's `note` and a step or caution of section "setguide" are setguide's words."""
    tree = load("tree")
    own = [(f"step {s['id']}.note", s["note"]) for s in tree["step"] if "note" in s]
    own += [(f"{kind} {s['id']}", s["text"]) for kind in ("step", "caution") for s in tree.get(kind, [])
            if s["section"] == "setguide"]  # fmt: skip
    assert own, "the tree has setguide statements to check"
    for where, text in own:
        assert "§" not in text and "[" not in text, where


def test_a_setguide_statement_is_never_cited_with_a_section():
    for where, kind, text, _ in STATEMENTS:
        if kind == "setguide":
            assert "§" not in text and "[" not in text, where


def test_where_the_protocol_is_silent_the_data_says_so_and_fills_nothing():
    forums = {f["id"]: f for f in load("forums")["forum"]}
    for fid in ("thurrock-rmm", "thurrock-tracker", "set-cse-strategic-group"):
        assert "cadence" not in forums[fid], f"the protocol states no frequency for {fid}"
        assert forums[fid]["said"]["cadence_text"] == "setguide"
    assert forums["thurrock-tracker"]["said"]["chair"] == "setguide"
    assert "panel" not in forums["thurrock-tracker"]["chair"].lower()
    for fid in ("essex-mace-1", "essex-mace-2"):
        assert forums[fid]["said"]["attendees"] == "setguide"
        assert "senior management" not in forums[fid]["attendees"].lower()
    strategic = " ".join(str(v) for v in forums["set-cse-strategic-group"].values())
    assert "SPOC" not in strategic and "through" not in forums["set-cse-strategic-group"]["chair"]


def test_search_expansions_come_from_the_protocol_or_a_named_source():
    sections = {s["id"] for s in load("protocol")["section"]}
    for syn in load("search")["synonym"]:
        if syn.get("shown", True):
            if syn.get("section") == "setguide":  # setguide's own reading, cited as setguide, never with §
                assert "source" not in syn, syn["terms"]
            elif "section" in syn:
                assert syn["section"] in sections and "source" not in syn, syn["terms"]
            else:
                assert syn["source"] and syn["source_url"].startswith("http"), syn["terms"]
    sourced = {t for syn in load("search")["synonym"] if "source" in syn for t in syn["terms"]}
    for acronym in ("CIN", "LAC", "LSCB", "CE", "PCC", "YOS", "CCE", "nominals"):
        assert acronym in sourced, acronym
        assert not re.search(rf"\({acronym}\)", PROTOCOL_TEXT), f"the protocol expands {acronym}: cite it"


MIRRORS = (
    "docslib",
    "rhythmusic",
    "fastly",
    "ipfs",
    "theinfolist",
    "piglix",
    "wikimili",
    "owiki",
    "absoluteastronomy",
    "liquisearch",
    "cryer",
    "wikisum",
    "soft.lk",
    "dweb",
    "iiab",
    "kiwix",
    "wikizero",
    "kidzsearch",
    "kiddle",
    "explained.today",
    "nearbywiki",
    "friendlywiki",
    "uncensored",
    "osmarks",
    "wipi",
    "sagapedia",
    "paperzz",
    "doczz",
    "tourpedia",
    "pages.dev",
    "wikide",
    "zxc.wiki",
    "wikicestina",
    "108.161",
    "triplydb",
    "wikiland",
)


def test_gazetteer_sources_are_canonical_pages_never_mirrors():
    gaz = load("gazetteer")
    for p in gaz["place"] + gaz["outside"]:
        assert not any(m in p["source"] for m in MIRRORS), (p["name"], p["source"])
        assert p["source_title"] and not p["source_title"].startswith("http"), p["name"]
        if p["source_title"].startswith("Wikipedia: "):
            assert p["source"].startswith("https://en.wikipedia.org/wiki/"), p["name"]
    romford = next(o for o in gaz["outside"] if o["name"] == "Romford")
    assert "Stapleford" not in romford["source"] and romford["source_title"] == "Wikipedia: Romford"


def test_names_shared_with_well_known_places_outside_set_say_so():
    also = {p["name"]: p.get("also_outside") for p in load("gazetteer")["place"]}
    assert "Suffolk" in also["Hadleigh"][0]
    assert "London" in also["Mile End"][0]
    assert "London" in also["Sutton"][0]


def test_the_edition_is_honest_and_no_spoc_counts_as_confirmed_by_the_protocol_alone():
    assert load("protocol")["protocol"]["edition"] == "undated; cites documents of October 2019"
    assert "oct-2019" in PROTOCOL_TEXT
    for c in load("contacts")["contact"]:
        assert "verified" not in c and "checked" in c, c["id"]
        assert "confirmed" not in c or c.get("confirmed_by"), c["id"]


# --- named public sources: title, link, the copy read, and said wherever shown ---------

# A table declares a named public source by any of these keys (gazetteer places,
# authorities' kind, search expansions, front doors' [[source]] pages, and any new file).
SOURCE_KEYS = ("read_at", "source_title", "source_url", "kind_source")
TITLE_KEYS = ("source_title", "title", "kind_source", "source")
LINK_KEYS = ("url", "source_url", "kind_source_url", "source")
LINK = re.compile(r"https?://[^\s/]+\.\S+")
# In these older tables `read_at` is given only where the copy read was not the page
# linked (a mirror, a re-hosted document): without it, the link is the copy read. Every
# other table that names a source says where it was read, always.
LINK_IS_THE_COPY_READ = {"gazetteer.place", "gazetteer.outside", "places.authority", "search.synonym"}


def tables(value: object, where: str):
    """(where, table) for every table in a TOML document, nested ones and arrays included."""
    if isinstance(value, dict):
        yield where, value
        for k, v in value.items():
            yield from tables(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from tables(v, f"{where}[{i}]")


def source_faults(file: str, where: str, table: dict, kind: str) -> list[str]:
    """What a table that names a public source lacks: its title, its link, and (outside
    the older tables where the link is the copy read) `read_at`, the copy actually read."""
    faults = []
    title = next((table[k] for k in TITLE_KEYS if isinstance(table.get(k), str) and table[k].strip()), None)
    if title is None or LINK.fullmatch(title):
        faults.append(f"{file}:{where}: a named source without its title")
    if not any(isinstance(table.get(k), str) and LINK.fullmatch(table[k]) for k in LINK_KEYS):
        faults.append(f"{file}:{where}: a named source without its link")
    read_at = table.get("read_at")
    if read_at is None and kind not in LINK_IS_THE_COPY_READ:
        faults.append(f"{file}:{where}: a named source without read_at (the copy it was read in)")
    elif read_at is not None and not (isinstance(read_at, str) and LINK.fullmatch(read_at)):
        faults.append(f"{file}:{where}: read_at is not the address of the copy read: {read_at!r}")
    return faults


def named_sources(name: str, doc: dict) -> list[tuple[str, dict, str]]:
    """(where, table, kind) for every table of a data file that declares a named source;
    `kind` is "<file>.<array>" for a table in a top-level array."""
    found = []
    for where, table in tables(doc, ""):
        if where.startswith("source[") and "." not in where or where and any(k in table for k in SOURCE_KEYS):
            found.append((where, table, f"{name}.{where.split('[', 1)[0].split('.', 1)[0]}"))
    return found


def source_references(doc: dict) -> list[tuple[str, str]]:
    """(where, id) for every reference to a [[source]] by id (`source = "id"`, or a
    `sources` table or list of ids), in a file that lists its sources as [[source]]."""
    refs = []
    for where, table in tables(doc, ""):
        if where.startswith("source["):
            continue
        for key in ("source", "sources"):
            value = table.get(key)
            values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
            refs += [(f"{where}.{key}", v) for v in values if isinstance(v, str) and not LINK.match(v)]
    return refs


DATA_FILES = sorted(p.stem for p in DATA.glob("*.toml"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_named_source_gives_its_title_link_and_the_copy_read(name):
    doc = load(name)
    faults = [f for where, table, kind in named_sources(name, doc) for f in source_faults(name, where, table, kind)]
    assert not faults, "\n".join(faults[:20])
    if isinstance(doc.get("source"), list):  # facts that name their source by id
        ids = {s.get("id") for s in doc["source"]}
        unknown = [f"{name}:{where}: no [[source]] {ref!r}" for where, ref in source_references(doc) if ref not in ids]
        assert not unknown, "\n".join(unknown)


@pytest.mark.parametrize(
    ("table", "fault"),
    [
        ({"url": "https://example.org/a", "read_at": "https://example.org/a"}, "without its title"),
        ({"title": "Council: Child protection", "read_at": "https://example.org/a"}, "without its link"),
        (
            {"title": "Council: Child protection", "url": "https://example.org/a", "kind": "authority"},
            "without read_at",
        ),
        (
            {"source_title": "Wikipedia: X", "source": "https://en.wikipedia.org/wiki/X", "read_at": "yesterday"},
            "read_at",
        ),
    ],
)
def test_a_named_source_without_title_link_or_read_at_fails(table, fault):
    """A new data file's [[source]] page missing one of them is refused."""
    doc = {"source": [{"id": "page", **table}]}
    found = [f for where, t, kind in named_sources("new", doc) for f in source_faults("new", where, t, kind)]
    assert any(fault in f for f in found), found


def test_the_check_finds_the_gazetteers_named_sources_and_would_find_a_new_files():
    gaz = named_sources("gazetteer", load("gazetteer"))
    assert len(gaz) == len(load("gazetteer")["place"]) + len(load("gazetteer")["outside"])
    new = {"source": [{"id": "p", "title": "T", "url": "https://e.org/p", "read_at": "https://e.org/p"}],
           "front_door": [{"id": "x", "phone": "0345 000 0000", "sources": {"default": "q"}}]}  # fmt: skip
    assert [kind for _, _, kind in named_sources("frontdoors", new)] == ["frontdoors.source"]
    assert source_references(new) == [("front_door[0].sources", "q")]


def sourced_values(doc: dict) -> list[tuple[str, str, str, str]]:
    """(where, value, title, link) for each exact value (a number, an address, a link) of a
    table that names its [[source]] by id, with that source's title and link; values the
    protocol also gives are its own, and left out."""
    by_id = {s.get("id"): s for s in doc.get("source", []) if isinstance(s, dict)}
    found = []
    for where, table in tables(doc, ""):
        if where.startswith("source[") or not isinstance(table.get("sources", table.get("source")), dict | str):
            continue
        refs = table.get("sources", table.get("source"))
        for key, value in table.items():
            if key in ("source", "sources", "id") or not isinstance(value, str) or not EXACT.fullmatch(value):
                continue
            sid = refs if isinstance(refs, str) else refs.get(key, refs.get("default"))
            if sid in by_id and not in_protocol(value):
                found.append((f"{where}.{key}", value, by_id[sid].get("title", ""), by_id[sid].get("url", "")))
    return found


EXACT = re.compile(r"[0-9][0-9 ]{6,}[0-9]|[^@\s]+@[^@\s]+\.[A-Za-z]{2,}|https?://\S+")
# The views that show named-source facts today: contacts, places, and plans for a concern
# about a child and for the police, in office hours and at night, in each authority.
AREAS = ("Southend", "Basildon", "Grays")
VIEWS = [
    ("contacts",),
    *(("contacts", a) for a in ("essex", "southend", "thurrock")),
    *(("quadrant", a) for a in AREAS),
    *(
        ("triage", "--no-threat-to-life", "--no-offence", "--level", "operational", "--area", a, "--at", when)
        for a in AREAS
        for when in ("2026-12-02 10:00", "2026-12-02 22:00")
    ),
    *(
        ("triage", "--no-threat-to-life", "--offence", "--urgent", "--area", a, "--at", "2026-12-02 22:00")
        for a in AREAS
    ),
    *(("triage", "--no-threat-to-life", "--offence", "--not-urgent", "--area", a) for a in AREAS),
]


def _squash(text: str) -> str:
    return re.sub(r"[\s()-]", "", text).casefold()


@pytest.fixture(scope="module")
def view_outputs():
    from typer.testing import CliRunner

    from setguide import cli

    runner = CliRunner()
    return {argv: runner.invoke(cli.app, [*argv, "--plain"]).output for argv in VIEWS}


@pytest.mark.parametrize("name", DATA_FILES)
def test_a_named_source_fact_is_never_shown_without_its_source(name, view_outputs):
    """Wherever a value from a named public source is shown, its source is named beside it
    (one of them, where two sources give the same number for different areas)."""
    faults = []
    found = sourced_values(load(name))
    # One value may come from two sources (Southend and Essex share an out-of-hours number):
    # naming either of them names where it comes from.
    sources_of: dict[str, list[tuple[str, str]]] = {}
    for _, value, title, link in found:
        sources_of.setdefault(_squash(value), []).append((title, link))
    for where, value, title, _ in found:
        for argv, out in view_outputs.items():
            named = any(t in out or li in out for t, li in sources_of[_squash(value)])
            if _squash(value) in _squash(out) and not named:
                faults.append(f"{' '.join(argv)}: shows {name}:{where} ({value}) without its source {title!r}")
    assert not faults, "\n".join(faults[:20])


def test_the_label_check_finds_a_value_shown_without_its_source():
    doc = {
        "source": [{"id": "p", "title": "Council: Child protection", "url": "https://e.org/p", "read_at": "https://e.org/p"}],
        "front_door": [{"id": "x", "office_phone": "0345 000 0000", "sources": {"default": "p"}}],
    }  # fmt: skip
    [(where, value, title, link)] = sourced_values(doc)
    assert (where, value, title) == ("front_door[0].office_phone", "0345 000 0000", "Council: Child protection")
    shown = "Phone: 0345 000 0000\nSource: §1"
    assert _squash(value) in _squash(shown) and title not in shown and link not in shown


@pytest.mark.parametrize("place", ["Billericay", "Wickford", "Sutton", "Ipswich", "Romford", "Gosfield"])
def test_a_gazetteer_answer_names_its_page_and_never_the_mirror_it_was_read_in(run, place):
    gaz = load("gazetteer")
    entry = next(p for p in gaz["place"] + gaz["outside"] if p["name"] == place)
    out = run("quadrant", place).out
    assert entry["source_title"] in out and entry["source"] in out
    if entry.get("read_at", entry["source"]) != entry["source"]:
        assert entry["read_at"] not in out


# --- setguide's readings: each says so, and is shown wherever its forum is ---------------


def test_every_reading_says_it_is_setguides():
    for f in load("forums")["forum"]:
        for text in f.get("readings", []):
            assert text.startswith("setguide"), (f["id"], text)
    part2 = next(f for f in load("forums")["forum"] if f["id"] == "essex-mace-2")
    assert part2["said"]["quadrants"] == "setguide"
    assert any("every other month" in r and "setguide's reading" in r for r in part2["readings"])
    assert "setguide's reading" in load("forums")["theme_reading"]["text"]


def test_part_2_per_quadrant_and_every_other_month_are_labelled_in_every_view(run, data):
    part2 = data.forums["essex-mace-2-west"].readings
    assert len(part2) == 2
    run("forums", "add-date", "essex-mace-2-west", "14/01/2027")
    outputs = {
        "add-date": run("forums", "add-date", "essex-mace-2-west", "14/01/2027").out,
        "forums": run("forums").out,
        "forums --next": run("forums", "--next", "--at", "2027-01-01", "--days", "120").out,
        "forums --ics": run("forums", "--ics", "-").out.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";"),
        "quadrant": run("quadrant", "Harlow").out,
        "search": run("search", "mace", "part", "2").out,
    }
    for view, out in outputs.items():
        flat = " ".join(out.replace("\\n", "\n").split())
        for reading in part2:
            assert " ".join(reading.split()) in flat, f"{view} shows Essex MACE Part 2 without: {reading}"
        assert "protocol's cadence" not in flat, view
    assert "Held in each quadrant" not in outputs["forums"].split("Essex MACE Part 2", 1)[1].split("Source:", 1)[0]


def test_the_tree_labels_setguides_own_time_rules_beside_the_protocols_hours(run):
    lines = run("tree").out.splitlines()
    for label in ("open, closing within 30 minutes →", "a weekday that is an England bank holiday →"):
        line = next(x for x in lines if x.strip().startswith(label))
        assert "(setguide's rule beyond the protocol's hours)" in line, line
    for label in ("open →", "closed →"):
        line = next(x for x in lines if x.strip().startswith(label))
        assert "setguide" not in line, line
    mermaid = run("tree", "--format", "mermaid").out
    assert mermaid.count("setguide's rule beyond the protocol's hours") == 2


def test_a_plan_says_a_forums_reading_once_labelled_never_twice(run):
    out = run("triage", "--no-threat-to-life", "--no-offence", "--level", "potential", "--area", "Harlow").out
    assert "setguide: setguide" not in out
    assert "setguide's reading: Part 2 is listed once for each quadrant" in out
