"""The graph of a workspace of millions of lines, beside `ruff check`.

    python3 bench/graph/scale.py --pyloom [LABEL=]BINARY [--pyloom ...] --ruff RUFF \
        [--copies 10] [--rounds 3] [--no-warm]

Builds a workspace of COPIES copies of Django 5.1.4's sdist (hard links,
one folder per copy: about 470,000 lines of Python each, so 4.7M lines for
ten), then runs in turn, ROUNDS times: `ruff check --no-cache` (the peer:
it reads and lints every file too, though it keeps no graph), `pyloom graph
--no-cache` (a cold index: every file parsed and summarised, the graph
linked) and `pyloom graph` with a summary cache filled beforehand (a warm
start: summaries read from the cache, the graph linked). Prints the median
wall time, CPU time and peak RSS of each, and the ratios to ruff. The
cache lives in a temporary folder (PYLOOM_CACHE_DIR), never the user's.
Read the ratios only from a quiet machine: the load average is printed.
Several `--pyloom` binaries (an A/B of two builds) run in turn in each
round, each with its own cache (their cache schemas may differ).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from check_speed import run, timed_rounds
from peers import ensure_tree


def python_lines(root):
    return sum(path.read_bytes().count(b"\n") for path in Path(root).rglob("*.py"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom", action="append", required=True, help="[LABEL=]BINARY, a release or bench-fast build (repeatable)")
    parser.add_argument("--ruff", required=True)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-warm", action="store_true", help="only the cold index")
    args = parser.parse_args()
    ruff = os.path.abspath(args.ruff)
    binaries = {}
    for spec in args.pyloom:
        label, _, binary = spec.rpartition("=")
        binaries[label or "pyloom"] = os.path.abspath(binary)

    django = ensure_tree("Django==5.1.4")
    with tempfile.TemporaryDirectory(prefix="pyloom-scale-") as scratch:
        workspace = Path(scratch) / "workspace"
        workspace.mkdir()
        for i in range(args.copies):
            # Hard links: ten copies cost the disk one.
            subprocess.run(["cp", "-al", str(django), str(workspace / f"copy{i}")], check=True)
        print(f"workspace: {args.copies} copies of {django.name}, {python_lines(workspace):,} lines of Python")

        commands = {"ruff check": [ruff, "check", "--no-cache", "--exit-zero", "--quiet", "."]}
        for label, binary in binaries.items():
            cache = f"PYLOOM_CACHE_DIR={Path(scratch) / ('cache-' + label)}"
            commands[f"{label} graph, cold"] = ["env", cache, binary, "graph", "--no-cache", "."]
            if not args.no_warm:
                commands[f"{label} graph, warm"] = ["env", cache, binary, "graph", "."]
        for command in commands.values():  # the page cache, and the summary cache for the warm run
            run(command, workspace)
        print(f"load average at start: {os.getloadavg()}", flush=True)
        results, medians = timed_rounds(commands, workspace, args.rounds)
        print(f"load average at end: {os.getloadavg()}")
        shutil.rmtree(workspace)

    ruff_wall, ruff_rss = medians["ruff check"][0], medians["ruff check"][2]
    print(f"{'command':<26} {'wall s':>7} {'cpu s':>7} {'RSS MB':>7} {'x ruff':>7} {'RSS x ruff':>10}   walls")
    for label, (wall, cpu, rss) in medians.items():
        walls = " ".join(f"{r[0]:.2f}" for r in results[label])
        print(f"{label:<26} {wall:7.2f} {cpu:7.2f} {rss:7.0f} {wall / ruff_wall:7.2f} {rss / ruff_rss:10.2f}   {walls}")


if __name__ == "__main__":
    main()
