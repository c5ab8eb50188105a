"""The HTML renderer: documents as HTML fragments, for the desk card, beside the plain
and rich renderers. It renders blocks after the trust pass, as they do; it adds no
fact and drops none.

Exact values are never broken: every phone number, extension and email address,
in a field or in prose, is a `nowrap` span, and the text around it may wrap at
spaces, so a narrow screen breaks between values, never inside one. A link is made
only for an address in `links` (the protocol's own): a locally corrected address,
or any other, is shown as text. A command to type (a `Command` block) is not advice
for a reader of the page: it goes in a small "in the terminal" aside, left off paper.
An hour-dependent `Choice` gives every answer, each with its rule's value (`data-when`),
for the page's script to show the one that holds at its reader's moment; paper shows all.
A block kind the renderer does not know is an error, never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from html import escape
from itertools import groupby

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
    Outline,
    Para,
    Reading,
    Source,
    Table,
    UnknownBlock,
)

# What must stay on one line: an address, a link, an extension with its word, a
# number written in groups ("01375 652973", "0333 013 4258").
EXACT = re.compile(
    r"(?P<url>https?://[^\s<>\"]+[^\s<>\".,;:)])"
    r"|(?P<email>[\w.+'-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<number>(?:\b(?:ext|extn|extension)\.?\s)?\+?\d(?:[\d ]*\d)?)"
)


@lru_cache(maxsize=4096)
def _words(text: str, links: frozenset[str] = frozenset()) -> str:
    """Escaped text, with each exact value in it whole (a `nowrap` span); an address in
    `links` (the protocol's own) is a link, any other is text."""
    text = str(text)
    out: list[str] = []
    last = 0
    for m in EXACT.finditer(text):
        out.append(escape(text[last : m.start()], quote=False))
        token = m.group(0)
        kind = m.lastgroup
        if kind == "url" and token in links:
            out.append(f'<a class="url" href="{escape(token)}">{escape(token, quote=False)}</a>')
        elif kind == "url":
            out.append(f'<span class="url">{escape(token, quote=False)}</span>')
        elif kind == "number" and " " not in token and len(token) < 3:
            out.append(escape(token, quote=False))  # a day or an ordinal: nothing to keep together
        elif kind == "email":
            # Its length, for the style to shrink a long address to fit a narrow screen whole.
            out.append(f'<span class="nb email" style="--n:{len(token)}">{escape(token, quote=False)}</span>')
        else:
            out.append(f'<span class="nb">{escape(token, quote=False)}</span>')
        last = m.end()
    out.append(escape(text[last:], quote=False))
    return "".join(out)


class Renderer:
    """Blocks to HTML. `links`: the addresses that may be links (the protocol's own).
    `level`: the HTML heading level of a level-1 Heading. `tables`: "table", or
    "stacked" for each table's stacked form (as a narrow terminal shows it)."""

    def __init__(self, links: Collection[str] = (), level: int = 3, tables: str = "table") -> None:
        self.links = frozenset(str(link) for link in links)
        self.level = level
        self.tables = tables

    # --- pieces ---

    def text(self, text: str) -> str:
        return _words(text, self.links)

    def value(self, text: str, corrected: bool = False) -> str:
        """An exact value. A link only where it is one of the protocol's own and not a local correction."""
        if not corrected and text in self.links:
            return f'<span class="value"><a class="url" href="{escape(text)}">{escape(text, quote=False)}</a></span>'
        return f'<span class="value">{self.text(text)}</span>'

    def label(self, f: Field) -> str:
        if f.corrected:
            return f'{escape(f.label)} <strong class="corrected">({escape(f.corrected)})</strong>'
        return escape(f.label)

    def fields(self, fields: list[Field]) -> str:
        rows = "".join(
            f"<div><dt>{self.label(f)}</dt><dd>{self.value(f.value, f.corrected)}</dd></div>" for f in fields
        )
        return f'<dl class="fields">{rows}</dl>'

    def choice(self, c: Choice) -> str:
        """Every answer of an hour-dependent choice, each under what it holds for (and the
        hours its source states, on paper): the page's script shows the one for its reader's moment."""
        options = []
        for o in c.options:
            hours = f' <span class="hours">Its source: {self.text(o.hours)}</span>' if o.hours else ""
            options.append(
                f'<div class="option" data-when="{escape(o.when)}"><p class="when"><span class="own">'
                f'{self.text(o.label)}</span> <span class="prov">(setguide)</span>{hours}</p>'
                f"{self.render(list(o.blocks))}</div>"
            )
        return f'<div class="choice" data-rule="{escape(c.rule)}">{"".join(options)}</div>'

    def heading(self, h: Heading) -> str:
        n = min(self.level + h.level - 1, 6)
        return f"<h{n}>{self.text(h.text)}</h{n}>"

    def table(self, t: Table) -> str:
        if self.tables == "stacked":
            return self.render(list(t.fallback))
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in t.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{self.text(cell)}</th>'
                if i == 0
                else (f"<td>{self.text(cell)}</td>" if i in t.wrap else f"<td>{self.value(cell)}</td>")
                for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in t.rows
        )
        return (
            f'<div class="scroll" role="region" aria-label="{escape(t.columns[0])} table" tabindex="0">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        ) + self.render(list(t.notes))  # the marks of the values drawn above

    def outline(self, o: Outline) -> str:
        children = "".join(f"<li>{self.outline(c)}</li>" for c in o.children)
        return self.text(o.text) + (f"<ul>{children}</ul>" if children else "")

    # --- the document ---

    def render(self, blocks: list[Block]) -> str:
        """A document as HTML; fields in a row form one list."""
        parts: list[str] = []
        for kind, group in groupby(blocks, _run_of):
            if kind is Field:
                parts.append(self.fields(list(group)))
            elif kind is Command:
                parts.append(terminal(list(group)))
            else:
                parts += [self.block(b) for b in group]
        return "\n".join(p for p in parts if p)

    def block(self, b: Block) -> str:
        if isinstance(b, Heading):
            return self.heading(b)
        if isinstance(b, Para):
            return f"<p>{self.text(b.text)}</p>"
        if isinstance(b, Reading):
            return f'<p class="reading">{self.text(b.text)}</p>'
        if isinstance(b, Example):
            return f"<p>{self.text(b.text)} <kbd>{escape(b.typed, quote=False)}</kbd>.</p>"
        if isinstance(b, Command):
            return terminal([b])
        if isinstance(b, Bullets):
            return "<ul>" + "".join(f"<li>{self.text(i)}</li>" for i in b.items) + "</ul>"
        if isinstance(b, Caution):
            return caution(b.text)
        if isinstance(b, Source):
            return source(b.text)
        if isinstance(b, Table):
            return self.table(b)
        if isinstance(b, Outline):
            return f'<ul class="outline"><li>{self.outline(b)}</li></ul>'
        if isinstance(b, Choice):
            return self.choice(b)
        if isinstance(b, Gap):
            return ""
        raise UnknownBlock(b)


def caution(text: str) -> str:
    return f'<p class="caution"><strong>Caution:</strong> {_words(text)}</p>'


def source(text: str) -> str:
    return f'<p class="source">Source: {_words(text)}</p>'


def terminal(commands: list[Command]) -> str:
    """Commands, for a reader at a terminal, in one aside: never on paper. Commands in a row
    with one purpose ("to record a date") share it."""
    out = []
    for (purpose, _), group in groupby(commands, lambda c: (c.purpose, c.flag)):
        codes = "; ".join(f"<code>{escape(c.text, quote=False)}</code>" for c in group)
        out.append(f'<p class="terminal noprint">In the terminal{f", {purpose}" if purpose else ""}: {codes}</p>')
    return "".join(out)


def _run_of(b: Block) -> type:
    """Fields in a row form one list, commands in a row one aside; every other block stands alone."""
    return type(b) if isinstance(b, Field | Command) else object


def render(blocks: list[Block], links: Collection[str] = (), level: int = 3, tables: str = "table") -> str:
    return Renderer(links, level, tables).render(blocks)
