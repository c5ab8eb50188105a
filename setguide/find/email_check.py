"""Is a sender's address one the protocol treats as secure? Pure: it reads the address
and the data, and sends nothing, looks nothing up, opens no connection.

The protocol's rule [§1] is that the Essex Police Child Information Sharing Form
"must be sent via a secure email address e.g. .gsi/.pnn /.nhs.net". The answer applies
that rule as written and, beside it, the note that the .gsi family was retired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from setguide.base.errors import UsageError
from setguide.base.facts import Val, facts_in, fill, join, keyed
from setguide.base.text import echo
from setguide.find.lexicon import Note, note_for
from setguide.model.data import Data, cite
from setguide.output.blocks import Block, Bullets, Caution, Field, Gap, Heading, Para, Source

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$")


@dataclass(frozen=True)
class EmailCheck:
    address: str
    domain: str
    secure: bool
    matched: str | None  # the protocol's domain the address falls under, e.g. ".pnn"
    suffix: str | None  # the whole suffix it was matched by, e.g. ".pnn.police.uk"
    retired_family: str | None  # e.g. "gsi.gov.uk" when the address is in the retired .gsi family
    domains: tuple[str, ...]
    rule_text: str
    section: str
    notes: tuple[Note, ...]
    # The facts the verdict rests on (the secure suffixes), so a corrected list marks it.
    basis: tuple[str, ...] = ()


def parse_address(text: str) -> tuple[str, str]:
    """(address, domain) from what a user pasted: 'Name <a@b>', 'mailto:a@b' or 'a@b'."""
    raw = text.strip()
    bracketed = re.search(r"<([^<>]*)>\s*$", raw)
    if bracketed:
        raw = bracketed.group(1).strip()
    if raw.casefold().startswith("mailto:"):
        raw = raw[len("mailto:") :]
    local, at, domain = raw.rpartition("@")
    domain = domain.casefold().removesuffix(".")
    labels = domain.split(".")
    problem = None
    if not at or not local:
        problem = "it has no name before an @"
    elif not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        problem = f"the part before the @ ({local!r}) is not a mailbox name"
    elif len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        problem = f"{domain!r} is not a domain name"
    elif not labels[-1].isalpha() or len(labels[-1]) < 2:
        problem = f"{domain!r} does not end in a top-level domain"
    if problem:
        raise UsageError(
            f"not an email address: {echo(text.strip())} ({problem})",
            "give one address, for example name@essex.pnn.police.uk",
        )
    return f"{local}@{domain}", domain


def _falls_under(domain: str, suffix: str) -> bool:
    """The domain ends with the suffix's whole labels: essex.pnn.police.uk falls under
    .pnn.police.uk; pnn.example.com and nhs.net.example.com fall under nothing."""
    want = [p for p in suffix.casefold().strip(".").split(".") if p]
    return domain.split(".")[-len(want) :] == want


def check(data: Data, text: str) -> EmailCheck:
    address, domain = parse_address(text)
    rule = data.facts["secure_email"]
    domains = tuple(rule["domains"])
    # Each short form the protocol gives (.pnn) is matched by the suffix it stands for (.pnn.police.uk).
    matched, suffix = next(
        ((d, full) for d, full in zip(domains, rule["suffixes"], strict=True) if _falls_under(domain, full)),
        (None, None),
    )
    notes = tuple(note_for(data, "secure_email"))
    family = next(
        (f for n in notes for f in n.family if domain == f or domain.endswith("." + f)),
        None,
    )
    return EmailCheck(
        address=address,
        domain=domain,
        secure=matched is not None,
        matched=matched,
        suffix=suffix,
        retired_family=family,
        domains=domains,
        rule_text=rule["rule_text"],
        section=rule.section,
        notes=notes,
        basis=facts_in((rule["suffixes"], rule["domains"])),
    )


def _domains_words(domains: tuple[str, ...]) -> Val:
    """ ".gsi, .pnn or .nhs.net", keeping the keys of the domains it names."""
    return fill("{} or {}", join(", ", domains[:-1]), domains[-1]) if len(domains) > 1 else fill("{}", domains[0])


def doc(result: EmailCheck, data: Data) -> list[Block]:
    """A plain yes is three lines: the answer, the rule as written, its section. A no
    adds what to do next, in the protocol's words or labelled as setguide's."""
    listed = _domains_words(result.domains)
    rule = Field("Rule", result.rule_text)
    source = Source(cite(result.section))
    if result.secure and not result.retired_family:
        return [Heading(_verdict(result)), rule, source]
    if result.secure:
        blocks: list[Block] = [
            Heading(_verdict(result)),
            rule,
            source,
            Caution(
                f"{result.retired_family} is one of the .gsi family of domains, which was to be "
                "replaced by March 2019: see the note below."
            ),
        ]
        return blocks + _notes(result)
    triage = data.facts["triage_email"]
    blocks = [
        Heading(_verdict(result)),
        Para(fill('{} is not under {}, which the protocol gives as examples ("e.g.").', result.domain, listed)),
        rule,
        source,
    ]
    if result.retired_family:
        blocks.append(
            Caution(
                f"{result.retired_family} is one of the .gsi family of domains, which was to be "
                "replaced by March 2019: see the note below."
            )
        )
    blocks += [
        Gap(),
        Para("What to do next (setguide):"),
        Bullets(
            (
                "ask your organisation's IT or information governance lead whether its mail is secure "
                "for sharing with police; the examples are not the whole list",
                "if it is not, or you cannot find out, send the form from a secure address you have, "
                "or ask the person you are sharing with how to send it securely",
                "if a response is needed urgently, phone instead: setguide triage",
            )
        ),
        Field("Send the form to", triage["address"]),
        Para(fill("That is the {} [{}].", triage["team"], cite(triage.section))),
    ]
    return blocks + _notes(result)


def _verdict(result: EmailCheck) -> Val:
    if result.secure:
        under = (
            result.matched if result.suffix == result.matched else fill("{}: ends {}", result.matched, result.suffix)
        )
        text = fill("{}: secure under the protocol ({})", result.address, under)
    else:
        text = f"{result.address}: not one of the secure addresses the protocol names"
    return keyed(text, *result.basis)


def _notes(result: EmailCheck) -> list[Block]:
    blocks: list[Block] = []
    for note in result.notes:
        blocks.append(Para(f"Note (beside the protocol, not in it): {note.text}"))
        for s in note.sources:
            blocks.append(Source(s))
    return blocks


def to_json(result: EmailCheck) -> dict[str, Any]:
    return {
        "address": result.address,
        "domain": result.domain,
        "secure": result.secure,
        "matched": result.matched,
        "matched_suffix": result.suffix,
        "verdict": _verdict(result),
        "protocol_domains": list(result.domains),
        "rule_text": result.rule_text,
        "source": cite(result.section),
        "retired_gsi_family": result.retired_family,
        "notes": [{"text": n.text, "sources": list(n.sources)} for n in result.notes],
    }
