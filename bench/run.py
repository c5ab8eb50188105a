"""`make bench`: setguide's speed and memory against floor apps that use only
the design's own libraries, measured from outside, in one run.

Each row runs setguide and its floor as a pair, alternating which goes first,
for N rounds; the verdict is the median of the per-pair ratios, so a burst of
load on a shared machine moves both halves of a pair together instead of
skewing one side. Query commands run twice over: with output to a pipe, as a
script would, and in a pseudo-terminal, where setguide renders with rich. The
triage row times the start of the process to its first question on screen. The
key-to-999 row answers that question `y` after a person's reading pause and times
what the person waits: start to question, plus key to "Call 999 now" on screen.

Peak memory comes from os.wait4 on each child: getrusage(RUSAGE_CHILDREN) only
keeps the maximum over every child so far, which cannot tell two runs apart.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

BUDGET = 1.10
ROUNDS = 21
QUICK_ROUNDS = 5
WARMUP = 2
TIMEOUT = 20.0
# A terminal of a common size: rich and prompt_toolkit read it from the pty.
PTY_ROWS, PTY_COLS = 40, 120
# Q1 of the routing table (design §1), ending in its question mark so that a
# banner reading "...threat to life or safety, call 999" is not mistaken for it.
QUESTION = rb"immediate threat to life or safety\?"

# ru_maxrss is in KiB on Linux and in bytes on macOS.
RSS_UNIT = 1024 if sys.platform == "darwin" else 1
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SETGUIDE = str(Path(sys.executable).parent / "setguide")
FLOOR_TABLE = [PYTHON, str(HERE / "floor_table.py"), "thurrock"]
FLOOR_CONFIRM = [PYTHON, str(HERE / "floor_confirm.py")]
FLOOR_KEY999 = [PYTHON, str(HERE / "floor_key999.py")]
# The answer both apps print on `y` (setguide's hint says "call 999", lower case).
ANSWER = rb"Call 999 now"
# A person reads the question before pressing a key; setguide loads its data meanwhile.
# Not counted: only the time spent waiting for the program is.
READ_PAUSE = 0.6


class Unavailable(Exception):
    """The command cannot be measured (not built yet, or it failed)."""


@dataclass
class Sample:
    seconds: float
    rss_kib: int


@dataclass
class Row:
    label: str
    mode: str  # "pipe", "pty" or "pty-prompt"
    setguide: list[str]
    floor: list[str]
    pairs: list[tuple[Sample, Sample]] = field(default_factory=list)
    unavailable: str | None = None
    # Key-to-999 holds the data, loaded while the question waited, which the floor never
    # loads: its memory is reported, and only its time is held to the budget.
    rss_budget: bool = True

    def measure(self, env: dict[str, str], floor_first: bool = False) -> tuple[Sample, Sample]:
        """One pair: (setguide, floor), run in the order asked."""
        run = {"pty-prompt": run_to_prompt, "pty-key999": run_key_to_999}.get(self.mode, run_to_exit)
        if floor_first:
            floor = run(self.floor, env, self.mode)
            return run(self.setguide, env, self.mode), floor
        ours = run(self.setguide, env, self.mode)
        return ours, run(self.floor, env, self.mode)


def run_to_exit(argv: list[str], env: dict[str, str], mode: str) -> Sample:
    """Run to completion with stdout to a pipe or a pty; wall time and peak RSS."""
    if mode == "pty":
        parent, child = os.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", PTY_ROWS, PTY_COLS, 0, 0))
        stdin, stdout, stderr = child, child, child
    else:
        parent, child = os.pipe()
        stdin = os.open(os.devnull, os.O_RDONLY)
        stdout, stderr = child, child
    actions = [
        (os.POSIX_SPAWN_DUP2, stdin, 0),
        (os.POSIX_SPAWN_DUP2, stdout, 1),
        (os.POSIX_SPAWN_DUP2, stderr, 2),
    ]
    start = time.perf_counter()
    try:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True)
    finally:
        os.close(child)
        if stdin != child:
            os.close(stdin)
    output = bytearray()
    try:
        _drain(parent, output, start + TIMEOUT, pid)
    finally:
        os.close(parent)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise Unavailable(f"exit {code}: {_gist(output)}")
    return Sample(seconds, usage.ru_maxrss // RSS_UNIT)


def _drain(fd: int, into: bytearray, deadline: float, pid: int) -> None:
    """Read until the child closes its end; a pty says so with EIO."""
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            raise Unavailable(f"no exit after {TIMEOUT:.0f} s")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        into += chunk


def run_to_prompt(argv: list[str], env: dict[str, str], mode: str) -> Sample:
    """Start in a pty, wait for the first question to be drawn, then kill it."""
    import pexpect

    start = time.perf_counter()
    proc = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(PTY_ROWS, PTY_COLS), timeout=TIMEOUT)
    try:
        found = proc.expect([QUESTION, pexpect.EOF, pexpect.TIMEOUT])
        seconds = time.perf_counter() - start
    finally:
        # Reap it ourselves: wait4 is the one way to get this child's own peak RSS.
        os.kill(proc.pid, signal.SIGKILL)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.ptyproc.terminated = True
        proc.close()
    if found != 0:
        what = "exited" if found == 1 else f"no question after {TIMEOUT:.0f} s"
        raise Unavailable(f"{what}: {_gist(proc.before or b'')}")
    return Sample(seconds, usage.ru_maxrss // RSS_UNIT)


def run_key_to_999(argv: list[str], env: dict[str, str], mode: str) -> Sample:
    """Start in a pty, wait for the first question, pause as a reader would, press y,
    and wait for the answer: the time waited is start-to-question plus key-to-answer."""
    import pexpect

    start = time.perf_counter()
    proc = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(PTY_ROWS, PTY_COLS), timeout=TIMEOUT)
    try:
        found = proc.expect([QUESTION, pexpect.EOF, pexpect.TIMEOUT])
        to_question = time.perf_counter() - start
        if found == 0:
            time.sleep(READ_PAUSE)
            pressed = time.perf_counter()
            proc.send("y")
            found = proc.expect([ANSWER, pexpect.EOF, pexpect.TIMEOUT])
            waited = to_question + time.perf_counter() - pressed
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.ptyproc.terminated = True
        proc.close()
    if found != 0:
        what = "exited" if found == 1 else f"no answer after {TIMEOUT:.0f} s"
        raise Unavailable(f"{what}: {_gist(proc.before or b'')}")
    return Sample(waited, usage.ru_maxrss // RSS_UNIT)


def _gist(output: bytes) -> str:
    """The last words a failed run printed, which is where an error says what it is."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode(errors="replace"))
    lines = [line.strip(" \u2502\u256d\u256e\u2570\u256f\u2500") for line in text.splitlines()]
    return " / ".join([line for line in lines if line][-2:]) or "no output"


def rows() -> list[Row]:
    table = []
    for words in (["contacts", "thurrock"], ["quadrant", "Harlow"], ["forums", "--next"]):
        for mode in ("pipe", "pty"):
            table.append(Row(" ".join(words), mode, [SETGUIDE, *words], FLOOR_TABLE))
    table.append(Row("triage", "pty-prompt", [SETGUIDE, "triage"], FLOOR_CONFIRM))
    table.append(Row("triage y", "pty-key999", [SETGUIDE, "triage"], FLOOR_KEY999, rss_budget=False))
    return table


def child_env(config_dir: str) -> dict[str, str]:
    """The same environment for setguide and floor: a colour terminal, no user files."""
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"}}
    env["TERM"] = "xterm-256color"
    env["SETGUIDE_CONFIG_DIR"] = config_dir
    # A terminal answers prompt_toolkit's cursor-position request at once; this pty answers
    # none, and both apps would wait a second for the reply after the key (the same second
    # each, which hid what setguide itself takes). Neither asks, as a terminal would answer.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return env


def measure(table: list[Row], rounds: int, env: dict[str, str], progress: bool) -> None:
    for row in table:
        try:
            for _ in range(WARMUP):  # fill the page cache and write bytecode first
                row.measure(env)
        except Unavailable as exc:
            row.unavailable = str(exc)
    live = [r for r in table if r.unavailable is None]
    for n in range(rounds):
        for row in live:
            if row.unavailable:
                continue
            try:
                row.pairs.append(row.measure(env, floor_first=bool(n % 2)))
            except Unavailable as exc:
                row.unavailable = str(exc)
        if progress:
            print(f"\rround {n + 1}/{rounds}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)


def summarise(row: Row) -> dict:
    out: dict = {"command": f"setguide {row.label}", "mode": row.mode}
    if row.unavailable is not None or not row.pairs:
        out.update(status="not available", reason=row.unavailable or "no samples")
        return out
    ours = [a for a, _ in row.pairs]
    floor = [b for _, b in row.pairs]
    ratio = statistics.median(a.seconds / b.seconds for a, b in row.pairs)
    rss_ratio = statistics.median(a.rss_kib / b.rss_kib for a, b in row.pairs)
    out.update(
        pairs=len(row.pairs),
        setguide_ms=round(statistics.median(s.seconds for s in ours) * 1000, 1),
        floor_ms=round(statistics.median(s.seconds for s in floor) * 1000, 1),
        ratio=round(ratio, 3),
        setguide_rss_mib=round(statistics.median(s.rss_kib for s in ours) / 1024, 1),
        floor_rss_mib=round(statistics.median(s.rss_kib for s in floor) / 1024, 1),
        rss_ratio=round(rss_ratio, 3),
        budget=BUDGET,
        status="PASS"
        if round(ratio, 3) <= BUDGET and (round(rss_ratio, 3) <= BUDGET or not row.rss_budget)
        else "FAIL",
    )
    return out


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
    }


def print_table(results: list[dict], rounds: int) -> None:
    m = machine()
    print(f"setguide vs floor: {rounds} rounds, median of pair ratios, budget {BUDGET:.2f}")
    print(f"machine: {m['cores']} cores, {m['system']}, Python {m['python']}")
    head = ("command", "mode", "setguide ms", "floor ms", "ratio", "RSS MiB", "floor RSS MiB", "RSS ratio", "")
    lines = [head]
    for r in results:
        if r["status"] == "not available":
            lines.append((r["command"], r["mode"], "-", "-", "-", "-", "-", "-", "not available"))
            continue
        lines.append(
            (
                r["command"],
                r["mode"],
                f"{r['setguide_ms']:.1f}",
                f"{r['floor_ms']:.1f}",
                f"{r['ratio']:.3f}",
                f"{r['setguide_rss_mib']:.1f}",
                f"{r['floor_rss_mib']:.1f}",
                f"{r['rss_ratio']:.3f}",
                r["status"],
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))]
        print("  ".join(cells).rstrip())
    for r in results:
        if r["status"] == "not available":
            print(f"  {r['command']} ({r['mode']}): {r['reason']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"pairs per row (default {ROUNDS})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROUNDS} rounds: a rough look")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--only", metavar="WORDS", help="only the rows whose command contains WORDS")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when a ratio is over budget")
    args = parser.parse_args(argv)
    rounds = QUICK_ROUNDS if args.quick else args.rounds
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    if not Path(SETGUIDE).exists():
        parser.error(f"no setguide console script next to {PYTHON}; run `make bench`")
    with tempfile.TemporaryDirectory(prefix="setguide-bench-") as config_dir:
        table = [r for r in rows() if args.only is None or args.only in f"setguide {r.label}"]
        measure(table, rounds, child_env(config_dir), progress=sys.stderr.isatty())
    results = [summarise(r) for r in table]
    if args.json:
        json.dump({"rounds": rounds, "budget": BUDGET, "machine": machine(), "rows": results}, sys.stdout, indent=2)
        print()
    else:
        print_table(results, rounds)
    failed = any(r["status"] == "FAIL" for r in results)
    return 1 if failed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
