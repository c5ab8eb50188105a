"""What a command shows, as data: a list of blocks that `out` renders as plain
lines or with rich. Commands build documents; they never print.

An exact value (a phone number, extension, email address or link) is a `Field`:
renderers never break, shorten or hide it, whatever the terminal width.
"""

from __future__ import annotations

from typing import NamedTuple

from setguide.base.facts import LOCAL_LABEL, fill


class Heading(NamedTuple):
    text: str
    level: int = 1


class Para(NamedTuple):
    text: str


CORRECTED = LOCAL_LABEL  # what a locally corrected value's label says, in every renderer


class Field(NamedTuple):
    label: str
    value: str
    # Set by the trust pass: the label of the correction the value is (LOCAL or TEAM CORRECTION).
    corrected: str = ""


class Bullets(NamedTuple):
    items: tuple[str, ...]


class Caution(NamedTuple):
    """What a reader must know before acting. `kind` says what it is about, for a page that
    places it ("correction", "unconfirmed", "stale", "named-source"; "" for a view's own), and
    `source` the id of the named public source it names (data/sources), never found from its words."""

    text: str
    kind: str = ""
    source: str = ""


class Source(NamedTuple):
    text: str


class Reading(NamedTuple):
    """setguide's own words (a reading of the protocol, a note): never the protocol's, never with a §.
    `text` says whose it is ("setguide: …", "setguide's reading: …")."""

    text: str


class Command(NamedTuple):
    """What to type at a terminal: a whole command ("setguide forums --next"), or a flag
    to add to the one just typed (`flag`, "--area PLACE"). Advice for a terminal's user,
    not for a reader of paper. `purpose`: what it does, where the view says so."""

    text: str
    purpose: str = ""
    flag: bool = False

    @property
    def label(self) -> str:
        return "Flag" if self.flag else "Run"


class Example(NamedTuple):
    """A line of advice ending in what to type, given as an example ("to name one, give e.g."
    and "Debden, Uttlesford"): shown as input, never in quote marks, which are the protocol's."""

    text: str
    typed: str


class Option(NamedTuple):
    """One answer of a `Choice`: the blocks that hold when the rule gives `when`, and
    `hours`, what the source states about when that is (said on paper, beside them)."""

    when: str
    label: str
    blocks: tuple  # Blocks
    hours: str = ""


class Choice(NamedTuple):
    """What depends on the hour, for a reader whose moment is not the one it was built at
    (a printed or saved card): each answer the rule can give, with its blocks. `rule` names
    the rule's data ("frontdoor:essex"); a page chooses by its reader's clock, paper shows all.
    A terminal decides at its own moment and never builds one."""

    rule: str
    options: tuple[Option, ...]


class Gap(NamedTuple):
    """An empty line."""


class Outline(NamedTuple):
    """A tree of lines (the decision tree): indented in plain text, drawn as a tree with rich."""

    text: str
    children: tuple = ()  # Outlines
    kind: str = ""  # "question", "check" or "outcome": how the rich renderer colours it


class Table(NamedTuple):
    """Rows of exact values; rendered as a table only where every cell fits whole."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fallback: tuple  # the same facts as blocks, for narrow terminals and plain output
    wrap: tuple[int, ...] = ()  # columns of prose (not exact values) that may wrap at spaces
    # What the trust pass says of the table's values, shown under the table where it is drawn
    # as one (the fallback carries each mark beside its own value); each cell says so beside it.
    notes: tuple = ()


# Blocks are NamedTuples: they cost a fraction of a dataclass to define, and
# setguide defines them on every start. Renderers tell them apart by class.
Block = (
    Heading | Para | Field | Bullets | Caution | Source | Gap | Table | Outline | Reading | Command | Example | Choice
)


class UnknownBlock(TypeError):
    """A renderer was given a block kind it does not know: a programming error, never skipped silently."""

    def __init__(self, block: object) -> None:
        super().__init__(f"no renderer for block kind {type(block).__name__}")


def field_label(f: Field) -> str:
    """A field's label as shown in text: a corrected value says so beside it."""
    return fill("{} ({})", f.label, f.corrected) if f.corrected else f.label
