"""Every renderer knows every block kind, and refuses one it does not know: a new kind
can never be dropped from a screen, a record or the card without a word."""

from __future__ import annotations

import io
import typing
from typing import NamedTuple

import pytest

from setguide.base.facts import Mark, keyed
from setguide.output import blocks, html, plain, trust
from setguide.output.blocks import (
    Block,
    Bullets,
    Caution,
    Choice,
    Command,
    Example,
    Field,
    Gap,
    Heading,
    Option,
    Outline,
    Para,
    Reading,
    Source,
    Table,
    UnknownBlock,
)

ONE_OF_EACH: list[Block] = [
    Heading("A heading"),
    Para("A paragraph."),
    Field("Phone", "01375 652973"),
    Bullets(("one", "two")),
    Caution("Take care."),
    Source("§1"),
    Gap(),
    Table(("Area", "Phone"), (("Thurrock", "01375 652973"),), (Para("Thurrock: 01375 652973"),)),
    Outline("root", (Outline("leaf", kind="outcome"),), "question"),
    Reading("setguide: its own words."),
    Command("setguide forums --next"),
    Example("to name one, give e.g.", "Debden, Uttlesford"),
    Choice(
        "frontdoor:thurrock",
        (
            Option(
                "closed-day", "On a day its source counts as out of hours", (Field("Out of hours", "01375 372468"),)
            ),
            Option("no-hours", "At any other time", (Field("Office", "01375 652 802"),), "weekdays"),
        ),
    ),
]


def test_the_sample_has_one_of_every_kind():
    assert {type(b) for b in ONE_OF_EACH} == set(typing.get_args(Block))


def rich_text(doc: list[Block]) -> str:
    from rich.console import Console

    from setguide.output import rich_renderer

    buffer = io.StringIO()
    rich_renderer.render(doc, Console(file=buffer, width=100, color_system=None, highlight=False, emoji=False))
    return buffer.getvalue()


RENDERERS = {
    "plain": lambda doc: "\n".join(plain.plain_lines(doc)),
    "rich": rich_text,
    "html": lambda doc: html.render(doc),
}


@pytest.mark.parametrize("name", RENDERERS)
def test_every_renderer_shows_every_kind(name):
    shown = RENDERERS[name](ONE_OF_EACH)
    for words in ("A paragraph.", "01375 652973", "its own words.", "setguide forums --next", "Debden, Uttlesford"):
        assert words in shown, (name, words)
    for words in ("01375 372468", "01375 652 802", "On a day its source counts as out of hours"):  # every answer
        assert words in shown, (name, words)


class Mystery(NamedTuple):
    text: str


@pytest.mark.parametrize("name", RENDERERS)
def test_every_renderer_refuses_a_kind_it_does_not_know(name):
    with pytest.raises(UnknownBlock, match="Mystery"):
        RENDERERS[name]([Para("before"), Mystery("a new kind")])


def test_a_correction_is_a_flag_each_renderer_shows_beside_its_value():
    marks = {"contacts.thurrock.email": (Mark("LOCAL CORRECTION on this computer: …", {"key": "k"}),)}
    doc = trust.mark([Field("Email", keyed("a@example.org", "contacts.thurrock.email"))], marks)
    assert doc[0].corrected and doc[0].label == "Email"
    assert "Email (LOCAL CORRECTION): a@example.org" in plain.plain_lines(doc)
    assert "Email (LOCAL CORRECTION): a@example.org" in rich_text(doc)
    assert '<strong class="corrected">(LOCAL CORRECTION)</strong>' in html.render(doc)
    # A label that merely reads like one is not a correction: the renderer reads the flag, not words.
    lookalike = html.render([Field("Email (LOCAL CORRECTION)", "a@example.org")])
    assert 'class="corrected"' not in lookalike
    assert blocks.CORRECTED == trust.LABEL


def test_each_answer_of_a_choice_is_marked_on_its_own():
    marks = {"frontdoors.essex.office_phone": (Mark("LOCAL CORRECTION on this computer: the Hub", {"key": "k"}),)}
    value = keyed("0345 000 0000", "frontdoors.essex.office_phone")
    choice = Choice(
        "frontdoor:essex",
        (Option("open", "In office hours", (Field("Hub", value),)), Option("closed", "Out", (Field("Hub", value),))),
    )
    (marked,) = trust.mark([choice], marks)
    for option in marked.options:
        assert option.blocks[0].corrected
        assert isinstance(option.blocks[1], Caution) and "LOCAL CORRECTION" in option.blocks[1].text


def test_a_command_is_a_terminal_aside_on_the_page_never_prose():
    page = html.render([Para("Meeting dates in order:"), Command("setguide forums --next")])
    assert '<p class="terminal noprint">In the terminal: <code>setguide forums --next</code></p>' in page
    # A Field labelled Run is a value like any other: only the Command kind is a command.
    assert "terminal" not in html.render([Field("Run", "every six weeks")])


def test_a_corrected_value_in_a_table_or_list_is_marked_beside_it_in_every_form():
    """Drawn as a table, a corrected cell says so beside its value and the mark follows the
    table; stacked (plain, narrow), the mark follows the value's own block; a list says it
    beside each item it corrects."""
    key = "contacts.essex.email"
    marks = {key: (Mark("LOCAL CORRECTION on this computer: contacts.essex.email", {"key": key}),)}
    email = keyed("changed@example.gov.uk", key)
    table = Table(
        ("Area", "Email"),
        (("Essex", email), ("Thurrock", "SMoules@thurrock.gov.uk")),
        (Field("Essex", email), Field("Thurrock", "SMoules@thurrock.gov.uk")),
    )
    doc = trust.mark([table, Bullets((keyed("Tue 8 Dec  Essex MACE", key), "Wed 9 Dec  MASE"))], marks)
    drawn = rich_text(doc)
    assert "changed@example.gov.uk (LOCAL CORRECTION)" in drawn and "SMoules@thurrock.gov.uk (" not in drawn
    lines = drawn.splitlines()
    under = next(i for i, line in enumerate(lines) if line.startswith("LOCAL CORRECTION") or "Caution" in line)
    assert under > max(i for i, line in enumerate(lines) if "SMoules" in line)  # under the table, before the list
    assert under < next(i for i, line in enumerate(lines) if "Essex MACE" in line)
    stacked = plain.plain_lines(doc)
    at = stacked.index("Essex (LOCAL CORRECTION): changed@example.gov.uk")
    assert stacked[at + 1].startswith("Caution: LOCAL CORRECTION") and stacked[at + 2].startswith("Thurrock:")
    assert "- Tue 8 Dec  Essex MACE (LOCAL CORRECTION)" in stacked and "- Wed 9 Dec  MASE" in stacked
    page = html.render(doc)
    cell = page[page.index("changed@example.gov.uk") :].split("</td>", 1)[0]
    assert "(LOCAL CORRECTION)" in cell and page.index("</table>") < page.index('class="caution"')
