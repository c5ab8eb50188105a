"""The protocol as typed records: what every view and every piece of logic reads.

NamedTuples, not dataclasses: setguide defines these on every start, and a
NamedTuple costs a fifth of a frozen dataclass to define. Built only by
`model.validate.build`, from checked TOML."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from setguide.base.facts import fill

# NamedTuples, not dataclasses: setguide defines these on every start, and a
# NamedTuple costs a fifth of a frozen dataclass to define.


class Section(NamedTuple):
    id: str
    title: str
    text: str

    @property
    def cite(self) -> str:
        return cite(self.id)


def cite(section_id: str) -> str:
    """How a citation is written: '§2.1', or 'SPOC table' for the contact table."""
    if section_id == "spoc":
        return "SPOC table"
    if section_id[0].isdigit():
        return fill("§{}", section_id)
    return fill("protocol: {}", section_id)


class Phone(NamedTuple):
    number: str | None
    extension: str | None


class Contact(NamedTuple):
    id: str
    area: str
    aliases: tuple[str, ...]
    name: str
    rank: str | None
    role: str
    organisation: str
    email: str
    phone_text: str
    phones: tuple[Phone, ...]
    section: str
    # The day the entry was last checked against the protocol text: not a confirmation
    # that the person is still in post.
    checked: date
    # Set only when a newer named source confirms the entry (`confirmed_by`); the
    # 12-month rule counts from it. A local correction also confirms, on its own date.
    confirmed: date | None = None
    confirmed_by: str | None = None

    @property
    def display_name(self) -> str:
        return fill("{} {}", self.name, self.rank) if self.rank else self.name


class Fact:
    """A named table of facts (the §1 facts, forum notes): fact["number"]."""

    __slots__ = ("id", "section", "values")

    def __init__(self, id: str, section: str, values: dict[str, Any]) -> None:
        self.id = id
        self.section = section
        self.values = values

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __repr__(self) -> str:
        return f"Fact({self.id!r}, {self.section!r}, {self.values!r})"


class Authority(NamedTuple):
    id: str
    name: str
    council: str
    kind: str
    aliases: tuple[str, ...]
    contact: str
    child_protection_page: str
    section: str
    # The named public source for `kind` where the protocol does not state it (unitary).
    kind_source: str | None = None
    kind_source_url: str | None = None


class NamedSource(NamedTuple):
    """A public page that is not the protocol (a council's, ESCB's): the fourth kind of
    statement. `read_at` is the copy actually read; `dated` the date that copy states."""

    id: str
    title: str
    url: str
    read_at: str
    dated: date | None
    kind: str  # "authority" (the council's own page) or "partner"
    publisher: str = ""
    # Whether the publisher still exists, as far as setguide knows ("abolished 1 July 2022").
    status: str = ""
    # What the copy's content dates it to where it states no date ("2022 or later"), else None.
    dates_to: str | None = None

    def age(self) -> str:
        """The copy's date, what its content dates it to, or "undated"."""
        if self.dated:
            return f"dated {self.dated.isoformat()}"
        return self.dates_to or "undated"


class Beside(NamedTuple):
    """What a named source says beside a fact of the protocol (or of another source): its
    words, verbatim, shown wherever one of `applies_to` (fact keys) shows, with setguide's
    own line where one is needed. `cited_with`: shown wherever `source` itself is cited
    (a cited page's statement that is out of date), with `contradicted_by`'s words."""

    id: str
    applies_to: tuple[str, ...]
    source: str
    says: tuple[str, ...]
    setguide: str | None
    cited_with: bool
    contradicted_by: str | None
    contradicted_says: tuple[str, ...]


class Hours(NamedTuple):
    """Opening hours a named source states: days (mon..sun) and opens <= t < closes, UK time."""

    days: tuple[str, ...]
    opens: str
    closes: str


class FrontDoor(NamedTuple):
    """An authority's children's social care front door, from named sources (not the
    protocol): the number for office hours and the one for out of hours, and how a
    professional refers. `sources` maps each field shown to its NamedSource id."""

    id: str  # the authority's id
    name: str
    office_phone: str
    office_hours: str | None
    hours: tuple[Hours, ...]  # empty where the source states no hours
    hours_reading: str | None  # setguide's line where `hours` are its reading of the source
    # Times a named source counts as open and setguide's reading does not (or the reverse):
    # then both numbers are shown, as where no hours are stated.
    disputed_hours: tuple[Hours, ...]
    bank_holidays: str  # "out-of-hours" where the source says so, else "not-stated"
    closed_days: tuple[str, ...]  # days the source says are wholly out of hours (weekends)
    out_of_hours_phone: str
    out_of_hours_name: str | None
    out_of_hours_hours: str | None
    refer: str | None
    refer_url: str | None
    refer_email: str | None
    moved_to: str | None
    sources: dict[str, str]
    disagreement: str | None


class CurrentProcedures(NamedTuple):
    """Where the current SET Child Protection Procedures are, from a named source."""

    name: str
    edition: str
    url: str
    source: str


class Quadrant(NamedTuple):
    id: str
    name: str
    text: str
    section: str


class District(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    authority: str
    quadrant: str | None
    section: str


class Theme(NamedTuple):
    id: str
    label: str
    description: str


class Forum(NamedTuple):
    id: str
    name: str
    long_name: str
    authority: str
    quadrant: str | None
    cadence: str | None
    cadence_text: str
    chair: str
    attendees: str
    purpose: tuple[str, ...]
    themes: tuple[str, ...]
    section: str
    # The forum's id in forums.toml, which its fact keys use: a forum held in each
    # quadrant is one entry there, with its quadrant as data (`quadrant`).
    data_id: str
    # Provenance of the statement fields (cadence_text, chair, attendees, purpose):
    # "verbatim" unless named here as "paraphrase" or "setguide".
    said: dict[str, str] = {}
    # setguide's own readings of the protocol about this forum, labelled "setguide".
    readings: tuple[str, ...] = ()
    # A forum held in each quadrant: its name without the quadrant ("Essex MACE Part 1"),
    # as forums.toml gives it; `name` and `long_name` join it to the quadrant's name.
    base_name: str = ""
    base_long_name: str = ""
    # A named source's frequency where it differs from the protocol's, and that source's id:
    # projections follow the protocol's and show this one beside them.
    other_cadence: str | None = None
    other_cadence_source: str | None = None

    def kind(self, field: str) -> str:
        return self.said.get(field, "verbatim")


class Place(NamedTuple):
    name: str
    district: str
    kind: str
    aliases: tuple[str, ...]
    # The canonical public page the place's district comes from (`source_title`, e.g.
    # "Wikipedia: Stock, Essex"); `read_at` is the copy actually read, never shown as the source.
    source: str
    source_title: str = ""
    read_at: str | None = None
    # Where a well-known place of the same name lies outside SET, e.g. "Suffolk".
    also_outside: tuple[str, ...] = ()


class OutsidePlace(NamedTuple):
    name: str
    where: str
    source: str
    source_title: str = ""
    read_at: str | None = None


class Data:
    """Everything setguide knows, validated. Compared and hashed by identity: one
    load, one object (functions that index it cache on it)."""

    title: str
    edition: str
    read_on: date
    sections: dict[str, Section]
    contacts: dict[str, Contact]
    facts: dict[str, Fact]
    authorities: dict[str, Authority]
    quadrants: dict[str, Quadrant]
    districts: dict[str, District]
    themes: dict[str, Theme]
    forums: dict[str, Forum]
    notes: dict[str, Fact]
    # setguide's own line: which forum suits which theme is its reading, not the protocol's.
    theme_reading: str
    places: tuple[Place, ...]
    outside: tuple[OutsidePlace, ...]
    # Named public sources (councils' and ESCB's pages), shown beside the protocol, never instead.
    sources: dict[str, NamedSource]
    front_doors: dict[str, FrontDoor]
    current_procedures: CurrentProcedures | None
    # What named sources say beside the protocol's facts (frontdoors.toml [[beside]]).
    besides: tuple[Beside, ...]
    source_dir: Path
    # Local corrections applied, by key (see setguide.model.corrections); empty for the packaged data.
    corrections: dict[str, Any]

    def __init__(self, **fields: Any) -> None:
        self.corrections = {}
        self.team = None  # the team whose shared corrections are in (model.corrections.Team)
        self.team_fault: str | None = None  # why a team's file named was not used
        self.besides = ()
        self.__dict__.update(fields)

    def corrected(self, prefix: str) -> list[Any]:
        """The local corrections under a key prefix, e.g. 'contacts.thurrock' or 'facts.triage_line'."""
        return [c for k, c in self.corrections.items() if k.startswith(prefix + ".")]

    def quadrant_districts(self, quadrant_id: str) -> list[District]:
        return [d for d in self.districts.values() if d.quadrant == quadrant_id]

    def forums_of(self, authority_id: str, quadrant_id: str | None = None) -> list[Forum]:
        return [
            f
            for f in self.forums.values()
            if f.authority == authority_id and (quadrant_id is None or f.quadrant in (None, quadrant_id))
        ]
