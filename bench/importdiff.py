"""Why a bench row is slow: what setguide imports that its floor does not.

Runs each row of `bench/run.py` a few times under `python -X importtime`, the
same way the bench does (pipe, pty, or up to the first question), keeps each
module's fastest time, and prints the import total of each side and the
slowest imports only setguide makes. Time not spent importing is the
command's own work (reading the data, rendering).

    .venv/bin/python bench/importdiff.py [--runs N] [--top N] [ROW...]

ROW is a word of a row's command, such as `contacts` or `triage`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402

# The shell sends the child's stderr, where -X importtime writes, to a file, so
# that stdout stays the pipe or pty the bench gives it.
TO_FILE = 'exec "$0" "$@" 2>"$SETGUIDE_BENCH_IMPORTTIME"'


def importtimes(argv: list[str], mode: str, env: dict[str, str], runs: int) -> dict[str, tuple[int, int, bool]]:
    """module -> (fastest self us, fastest cumulative us, imported by something outside the program)."""
    best: dict[str, tuple[int, int, bool]] = {}
    run = bench.run_to_prompt if mode == "pty-prompt" else bench.run_to_exit
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "importtime"
        env = {**env, "SETGUIDE_BENCH_IMPORTTIME": str(log)}
        for _ in range(runs):
            run(["/bin/sh", "-c", TO_FILE, argv[0], "-X", "importtime", *argv[1:]], env, mode)
            for name, (own, cum) in _parse(log.read_text()).items():
                old = best.get(name)
                best[name] = (own, cum, False) if old is None else (min(old[0], own), min(old[1], cum), False)
    return best


def _parse(text: str) -> dict[str, tuple[int, int]]:
    found = {}
    for line in text.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cum, name = line.split(":", 1)[1].split("|")
        found[name.strip()] = (int(own), int(cum))
    return found


def parents(tree: list[tuple[str, int]]) -> dict[str, str]:
    """module -> the module whose import brought it in ("" for the program itself)."""
    found = {}
    for i, (name, depth) in enumerate(tree):
        found[name] = next((n for n, d in tree[i + 1 :] if d < depth), "")
    return found


def order(argv: list[str], mode: str, env: dict[str, str]) -> list[tuple[str, int]]:
    """One run's import tree, as (module, depth) in the order -X importtime prints it."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "importtime"
        run = bench.run_to_prompt if mode == "pty-prompt" else bench.run_to_exit
        run(
            ["/bin/sh", "-c", TO_FILE, argv[0], "-X", "importtime", *argv[1:]],
            {**env, "SETGUIDE_BENCH_IMPORTTIME": str(log)},
            mode,
        )
        tree = []
        for line in log.read_text().splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                name = line.split("|")[-1]
                tree.append((name.strip(), len(name) - len(name.lstrip())))
        return tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="*", help="words of the rows to look at (default: all)")
    parser.add_argument("--runs", type=int, default=5, help="runs per side; the fastest of each module counts")
    parser.add_argument("--top", type=int, default=10, help="how many setguide-only imports to list")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="setguide-bench-") as config_dir:
        env = bench.child_env(config_dir)
        for row in bench.rows():
            if args.rows and not any(w in row.label.split() for w in args.rows):
                continue
            ours_argv = [bench.PYTHON, *row.setguide]
            try:
                ours = importtimes(ours_argv, row.mode, env, args.runs)
                floor = importtimes(row.floor, row.mode, env, args.runs)
                tree = order(ours_argv, row.mode, env)
            except bench.Unavailable as exc:
                print(f"setguide {row.label} ({row.mode}): not available: {exc}\n")
                continue
            extra = set(ours) - set(floor)
            total = sum(v[0] for v in ours.values()) / 1000
            floor_total = sum(v[0] for v in floor.values()) / 1000
            only = sum(ours[m][0] for m in extra) / 1000
            missing = sum(floor[m][0] for m in set(floor) - set(ours)) / 1000
            print(f"setguide {row.label} ({row.mode}): imports {total:.1f} ms, floor {floor_total:.1f} ms")
            print(f"  setguide-only modules {only:.1f} ms; floor-only modules {missing:.1f} ms; own time of each:")
            by = parents(tree)
            for m in sorted(extra, key=lambda m: -ours[m][0])[: args.top]:
                print(f"  + {m:<32} {ours[m][0] / 1000:5.1f} ms  imported by {by.get(m) or 'the program'}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
