"""`pyloom check` side by side with `ruff check` on one tree, cold and warm.

    python3 bench/graph/check_speed.py TREE --ruff RUFF [--rounds 5] \
        [--pyloom LABEL=BINARY ...] [--no-graph]

Two tables in one run. Cold: every command without its cache (`ruff check
--no-cache`, `pyloom check --no-cache`), the work of a first run. Warm:
every command with its default cache (ruff's `.ruff_cache` in the tree,
pyloom's per-file results in its cache folder), after one untimed run that
fills it: what a user running the check again sees. Cold rows are compared
with cold ruff, warm rows with warm ruff.

Runs every command once per round, in turn (so a burst of load hits every
command alike), and prints per command the median wall time, CPU time
(user + system of the child), peak RSS, and the ratio of the medians to
plain `ruff check` and to `ruff check --extend-select S` (the rule families
pyloom runs by default). Before the timed rounds, each command runs once
untimed so the tree is in the page cache (and the caches are filled). The
load average at the start and the end is printed: read the ratios only from
a quiet machine.

Output equality is checked too: every pyloom binary must print the same
report (JSON) as the first one, warm as cold, else the run says which
differ. So is the work: how many files ruff (`--show-files`) and each pyloom
(its summary line) check is printed, to read the ratios as like for like.
"""

import argparse
import hashlib
import os
import re
import statistics
import subprocess
import sys
import time


def run(command, cwd):
    """(wall s, cpu s, peak RSS MB, stdout digest) of one run of `command`."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    digest = hashlib.sha256()
    for chunk in iter(lambda: child.stdout.read(1 << 16), b""):
        digest.update(chunk)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, digest.hexdigest()


def timed_rounds(commands, cwd, rounds):
    """Each command run once per round, in turn (a burst of load hits them
    alike): every run's (wall, cpu, RSS) by label, and their medians."""
    results = {label: [] for label in commands}
    for _ in range(rounds):
        for label, command in commands.items():
            results[label].append(run(command, cwd)[:3])
    medians = {label: [statistics.median(r[i] for r in runs) for i in range(3)] for label, runs in results.items()}
    return results, medians


def file_counts(ruff, pyloom_commands, cwd):
    """How many Python files ruff and each pyloom command check in `cwd`."""
    listed = subprocess.run([ruff, "check", "--show-files", "."], cwd=cwd, capture_output=True, text=True).stdout
    counts = {"ruff": sum(1 for line in listed.splitlines() if line.endswith((".py", ".pyi", ".ipynb")))}
    for label, command in pyloom_commands.items():
        summary = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
        checked = re.search(r"pyloom: (\d+) files? checked", summary)
        counts[label] = int(checked.group(1)) if checked else None
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree")
    parser.add_argument("--ruff", required=True)
    parser.add_argument("--pyloom", action="append", default=[], help="LABEL=BINARY (repeatable)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-graph", action="store_true", help="also run each pyloom with --no-graph")
    args = parser.parse_args()

    ruff = os.path.abspath(args.ruff)
    ruff_check = [ruff, "check", "--exit-zero", "--quiet"]
    commands = {
        "ruff": ruff_check + ["--no-cache", "."],
        "ruff+S": ruff_check + ["--no-cache", "--extend-select", "S", "."],
        "ruff warm": ruff_check + ["."],
        "ruff+S warm": ruff_check + ["--extend-select", "S", "."],
    }
    pyloom_labels = []
    for spec in args.pyloom:
        label, _, binary = spec.partition("=")
        binary = os.path.abspath(binary)
        variants = {label: []}
        if args.no_graph:
            variants[f"{label} --no-graph"] = ["--no-graph"]
        for name, extra in variants.items():
            commands[name] = [binary, "check", ".", "--format", "json", "--no-cache"] + extra
            commands[f"{name} warm"] = [binary, "check", ".", "--format", "json"] + extra
        pyloom_labels.append(label)

    print(f"files checked: {file_counts(ruff, {label: commands[label] for label in pyloom_labels}, args.tree)}")
    print(f"load average at start: {os.getloadavg()}", flush=True)
    digests = {}
    for label, command in commands.items():
        digests[label] = run(command, args.tree)[3]
    reports = {label: digest for label, digest in digests.items() if not label.startswith("ruff")}
    if len({digests[label] for label in pyloom_labels}) > 1:
        print("REPORTS DIFFER:", {label: digests[label] for label in pyloom_labels})
    for label in reports:
        if label.endswith(" warm") and reports[label] != reports[label.removesuffix(" warm")]:
            print(f"WARM REPORT DIFFERS FROM COLD: {label}")

    results, medians = timed_rounds(commands, args.tree, args.rounds)
    print(f"load average at end: {os.getloadavg()}")

    for title, warm in (("cold (no caches)", False), ("warm (default caches, filled)", True)):
        suffix = " warm" if warm else ""
        ruff_wall, ruff_s_wall = medians["ruff" + suffix][0], medians["ruff+S" + suffix][0]
        print(f"\n{title}")
        print(f"{'command':<28} {'wall s':>7} {'cpu s':>7} {'RSS MB':>7} {'x ruff':>7} {'x ruff+S':>8}   walls")
        for label, (wall, cpu, rss) in medians.items():
            if label.endswith(" warm") != warm:
                continue
            walls = " ".join(f"{r[0]:.2f}" for r in results[label])
            print(f"{label:<28} {wall:7.3f} {cpu:7.3f} {rss:7.0f} {wall / ruff_wall:7.2f} {wall / ruff_s_wall:8.2f}   {walls}")


if __name__ == "__main__":
    main()
