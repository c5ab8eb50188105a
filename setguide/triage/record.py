"""A record of a triage decision, for the user's own notes: what was asked, what
was answered, and exactly what setguide showed, in Markdown.

It holds no name or identifier of a child (the wizard asks for none; the area is
kept as the place it resolved to, not as typed). The file is created private to
the user (0600) and an existing file is never overwritten.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from setguide import __version__
from setguide.base.errors import SetguideError, UsageError
from setguide.base.text import one_line
from setguide.model.data import Data
from setguide.output.blocks import Block
from setguide.output.plain import plain_lines
from setguide.triage.tree import Outcome


def markdown(o: Outcome, data: Data, shown: list[Block]) -> str:
    """`shown`: the blocks put on screen, in order, as the trust pass marked them (each
    local correction right after what it corrects). The record is written from them
    alone, so it can hold no step or value that was not shown."""
    from setguide.triage.view import uk_moment

    lines = [
        "# setguide triage record",
        "",
        f"- UK time: {uk_moment(o.at)} ({o.at.isoformat()})",
        f"- setguide {__version__}; protocol data edition: {data.edition}, checked {data.read_on.isoformat()}",
        "- This record holds no name or identifier of a child: setguide asks for none.",
        "",
        "## Questions and answers",
        "",
    ]
    lines += [
        f"{n}. {_inline(question)} **{_inline(label)}**" for n, (_, question, _, label) in enumerate(o.answers, 1)
    ]
    if o.area is not None and not any(key == "area" for key, *_ in o.answers):
        lines.append(f"- Area given: **{_inline(o.area.name)}**")
    lines += ["", f"## Outcome: {_inline(o.code)}", "", "What setguide showed, exactly:", ""]
    lines += fenced(plain_lines(shown))
    lines.append("")
    if data.corrections:
        lines += ["## Local corrections in force on this computer", ""]
        lines += fenced(
            [
                f"- {c.key}: {c.shown!r} (the protocol says {c.protocol_shown!r}); source: {c.source}, set {c.set_on}"
                for c in data.corrections.values()
            ]
        )
        lines.append("")
    lines += ["## Citations", "", *[f"- {_inline(c)}" for c in o.citations], ""]
    return "\n".join(lines)


def fenced(lines: list[str]) -> list[str]:
    """`lines` as a code block no value inside can end: its fence is longer than any run
    of backquotes they hold (CommonMark), so a value starting with ``` stays inside, and
    HTML in it is shown as text, never run."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *lines, fence]


def _inline(text: str) -> str:
    """A value in the record's prose, shown as written: Markdown and HTML in it are escaped."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", " ".join(text.split()))


PREFIX = "setguide-triage-"


def target(given: str, o: Outcome) -> Path:
    """A folder gets a file named by the moment of the decision (numbered if that name is taken)."""
    if not given.strip():
        raise UsageError("--record: the file name is empty", "give a file name or a folder. The advice above stands.")
    path = Path(given)
    if path.is_dir():
        return path / f"{PREFIX}{o.at.strftime('%Y%m%d-%H%M%S')}.md"
    return path


def write(path: Path, text: str) -> Path:
    """Create `path` (never over an existing file) holding `text`, or leave nothing: a
    record half-written when the disk filled would block the retry with an empty file."""
    content = text.encode("utf-8")
    numbered = re.fullmatch(re.escape(PREFIX) + r"\d{8}-\d{6}\.md", path.name) is not None
    for n in range(1, 1000):
        candidate = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            if numbered:  # a name setguide chose: two decisions in the same second each get a file
                continue
            raise UsageError(
                f"record not written: {one_line(str(path), None)} already exists",
                "setguide never overwrites a record; give a new file name or a folder. The advice above stands.",
            ) from None
        except OSError as exc:
            raise _not_written(candidate, exc) from None
        try:
            view = memoryview(content)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            try:
                os.unlink(candidate)
            except OSError:
                pass
            raise _not_written(candidate, exc) from None
        os.close(fd)
        return candidate
    raise UsageError(f"record not written: too many records named {path.name} in that folder", "give a file name")


def _not_written(path: Path, exc: OSError) -> SetguideError:
    return SetguideError(
        f"record not written: {one_line(str(path), None)}: {exc.strerror or exc}", "The advice above stands."
    )
