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
            if "section" in syn:
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
