#!/usr/bin/env python3
"""Runs pyloom and ruff side by side on each tree and prints a ratio table.

    python3 bench.py PYLOOM RUFF TREES_DIR
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# (extracted sdist, indexed and linted whole, a file to type in)
PROJECTS = [
    ("Django-5.1.4", "django/db/models/base.py"),
    ("flask-3.1.0", "src/flask/app.py"),
    ("requests-2.32.3", "src/requests/models.py"),
]
RUNS = 3


def run(command, env=None):
    """Wall time (s), peak RSS (MB) and stdout of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024, stdout


def fields(stdout):
    return dict(line.split(": ", 1) for line in stdout.splitlines() if ": " in line)


def main():
    pyloom, ruff, trees = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    rows = []
    for tree, edited in PROJECTS:
        root = trees / tree
        cache = tempfile.mkdtemp(prefix="pyloom-bench-cache-")
        env = dict(os.environ, PYLOOM_CACHE_DIR=cache)
        # The standard library's stubs, as a user has them (idempotent).
        subprocess.run([pyloom, "stubs", "install"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        ruff_times, cold_times, warm_times = [], [], []
        ruff_rss = cold_rss = 0
        # Interleave the tools so load changes hit both alike.
        for _ in range(RUNS):
            t, rss, _ = run([ruff, "check", "--no-cache", "--exit-zero", "--quiet", str(root)])
            ruff_times.append(t)
            ruff_rss = max(ruff_rss, rss)
            t, rss, _ = run([pyloom, "graph", str(root), "--no-cache"], env)
            cold_times.append(t)
            cold_rss = max(cold_rss, rss)
        run([pyloom, "graph", str(root)], env)  # fill the cache
        for _ in range(RUNS):
            t, _, _ = run([pyloom, "graph", str(root)], env)
            warm_times.append(t)
        _, _, out = run([pyloom, "graph", str(root), "--measure-edits-in", str(root / edited), "--samples", "300"], env)
        m = fields(out)
        rows.append((tree, statistics.median(ruff_times), statistics.median(cold_times), statistics.median(warm_times), ruff_rss, cold_rss, m))

    print(f"{'project':<16} {'ruff s':>7} {'cold s':>7} {'cold/ruff':>9} {'warm s':>7} {'warm/ruff':>9} "
          f"{'upd p50/p99 ms':>15} {'hover p50/p99 ms':>17} {'def p50/p99 ms':>15} {'RSS MB ruff/pyloom':>19}")
    for tree, ruff_t, cold, warm, ruff_rss, rss, m in rows:
        print(f"{tree:<16} {ruff_t:>7.2f} {cold:>7.2f} {cold / ruff_t:>9.2f} {warm:>7.2f} {warm / ruff_t:>9.2f} "
              f"{float(m['update_p50_ms']):>7.2f}/{float(m['update_p99_ms']):<7.2f} "
              f"{float(m['hover_p50_ms']):>8.3f}/{float(m['hover_p99_ms']):<8.3f} "
              f"{float(m['definition_p50_ms']):>7.3f}/{float(m['definition_p99_ms']):<7.3f} "
              f"{ruff_rss:>9.0f}/{rss:<9.0f}")


if __name__ == "__main__":
    main()
