"""Security coverage on bandit 1.8.0's `examples/`: the share of lines where
bandit reports a HIGH or MEDIUM issue that pyloom's security findings stand
on (a finding's range covers the line), against ruff's `S` rules alone.
pyloom runs with every confidence shown (what its checks cover, as ruff's
rules run whole) and with its default selection, which hides the `S`
findings its flow proves harmless: most of bandit's examples run constant
commands and queries.

    python3 bench/findings/bandit_coverage.py [-v]
"""

import collections
import json
import os
import subprocess
import sys

from common import corpus, ensure_venv, pyloom_bin, venv_bin


def covered(findings, file_key, line_key, end_key, keep):
    lines = collections.defaultdict(set)
    for f in findings:
        if keep(f):
            for line in range(f[line_key], f[end_key] + 1):
                lines[os.path.normpath(file_key(f))].add(line)
    return lines


def main(verbose):
    ensure_venv()
    root = corpus("bandit").resolve()
    run = lambda cmd: subprocess.run(cmd, cwd=root, capture_output=True, text=True).stdout
    bandit = json.loads(run([str(venv_bin("bandit")), "-r", "examples", "-f", "json", "-q"]))["results"]
    wanted = {(os.path.normpath(b["filename"]), b["line_number"]): b for b in bandit
              if b["issue_severity"] in ("HIGH", "MEDIUM")}
    pyloom = json.loads(run([str(pyloom_bin()), "check", "examples", "--format", "json", "--confidence", "low"]))
    shown = json.loads(run([str(pyloom_bin()), "check", "examples", "--format", "json"]))
    ruff = json.loads(run([str(venv_bin("ruff")), "check", "--no-cache", "--isolated", "--select", "S",
                           "--output-format", "json", "--exit-zero", "examples"]))
    ours = covered(pyloom, lambda f: f["file"], "line", "end_line", lambda f: f["category"] == "security")
    theirs = covered([{**f, "row": f["location"]["row"], "end": f["end_location"]["row"]} for f in ruff],
                     lambda f: os.path.relpath(f["filename"], root), "row", "end", lambda f: True)
    by_default = covered(shown, lambda f: f["file"], "line", "end_line", lambda f: f["category"] == "security")
    for name, lines in (("pyloom", ours), ("pyloom, default selection", by_default), ("ruff S alone", theirs)):
        hits = sum(1 for (file, line) in wanted if line in lines[file])
        print(f"{name}: {hits}/{len(wanted)} bandit HIGH/MEDIUM lines covered ({100 * hits / len(wanted):.1f}%)")
    if verbose:
        for (file, line), b in sorted(wanted.items()):
            if line not in ours[file]:
                print(f"  missed {b['test_id']} {b['test_name']} {file}:{line}")


if __name__ == "__main__":
    main("-v" in sys.argv)
