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
from setguide.find.lexicon import Note, note_for
from setguide.model.data import Data, cite
from setguide.output.blocks import Block, Caution, Field, Heading, Para, Source

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$")


@dataclass(frozen=True)
class EmailCheck:
    address: str
    domain: str
    secure: bool
    matched: str | None  # the protocol's domain the address falls under, e.g. ".pnn"
    retired_family: str | None  # e.g. "gsi.gov.uk" when the address is in the retired .gsi family
    domains: tuple[str, ...]
    rule_text: str
    section: str
    notes: tuple[Note, ...]


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
            f"not an email address: {text.strip()!r} ({problem})",
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
    matched = next((d for d, full in zip(domains, rule["suffixes"], strict=True) if _falls_under(domain, full)), None)
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
        retired_family=family,
        domains=domains,
        rule_text=rule["rule_text"],
        section=rule.section,
        notes=notes,
    )


def _domains_words(domains: tuple[str, ...]) -> str:
    return ", ".join(domains[:-1]) + " or " + domains[-1] if len(domains) > 1 else domains[0]


def doc(result: EmailCheck, data: Data) -> list[Block]:
    listed = _domains_words(result.domains)
    if result.secure:
        heading = f"{result.address}: secure under the protocol ({result.matched})"
        verdict = (
            f"The domain {result.domain} falls under {result.matched}, one of the secure addresses "
            f"the protocol names ({listed})."
        )
    else:
        heading = f"{result.address}: not one of the secure addresses the protocol names"
        verdict = (
            f"The domain {result.domain} is not under {listed}. The protocol gives these as examples "
            '("e.g."); if your organisation has another secure route, check it before sending.'
        )
    blocks: list[Block] = [Heading(heading), Para(verdict)]
    if result.retired_family:
        blocks.append(
            Caution(
                f"{result.retired_family} is one of the .gsi family of domains, which was to be "
                "replaced by March 2019: see the note below."
            )
        )
    form = data.facts["sharing_form"]
    triage = data.facts["triage_email"]
    blocks += [
        Para(f"The protocol's rule for the {form['name']}, as written:"),
        Field("Rule", result.rule_text),
        Field("Send it to", triage["address"]),
        Para(f"That is the {triage['team']}."),
        Source(cite(result.section)),
    ]
    for note in result.notes:
        blocks.append(Para(f"Note (beside the protocol, not in it): {note.text}"))
        for s in note.sources:
            blocks.append(Source(s))
    blocks.append(Para("Nothing was sent and nothing was looked up: this reads the address only."))
    return blocks


def to_json(result: EmailCheck) -> dict[str, Any]:
    return {
        "address": result.address,
        "domain": result.domain,
        "secure": result.secure,
        "matched": result.matched,
        "protocol_domains": list(result.domains),
        "rule_text": result.rule_text,
        "source": cite(result.section),
        "retired_gsi_family": result.retired_family,
        "notes": [{"text": n.text, "sources": list(n.sources)} for n in result.notes],
    }
