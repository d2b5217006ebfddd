"""Lint parity and speed against ruff 0.16.4 on Django, Flask and Requests.

Both tools run on the same tree with the same rule selection: the project's
own ruff configuration plus the `S` rules (pyloom's default `extend_select`;
ruff gets `--extend-select S`). Findings are compared as (file, line, code)
sets; syntax errors are left out (ruff reports them without a code). pyloom's
own `LOOM` checks are not ruff's and are left out too. Like is compared with
like: pyloom runs with every confidence shown (`--confidence low`), since its
default selection hides the `S` findings whose data its flow proves harmless
(they are counted apart, as "hidden by default"). Times are the best of
three runs of each, side by side: pyloom with `--no-graph` (the same work as
ruff plus pyloom's security checks) and with the graph checks (which index
the whole tree first).

    python3 bench/findings/parity.py [django flask requests]
"""

import json
import subprocess
import sys
import time
from pathlib import Path

from common import corpus, ensure_venv, pyloom_bin, venv_bin


def timed(cmd, cwd):
    best, out = None, None
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, out.stdout


def main(keys):
    ensure_venv()
    pyloom = pyloom_bin()
    for key in keys:
        root = corpus(key).resolve()
        ruff_time, ruff_out = timed([str(venv_bin("ruff")), "check", "--no-cache", "--extend-select", "S",
                                     "--output-format", "json", "--exit-zero", "."], root)
        pyloom_time, pyloom_out = timed([str(pyloom), "check", ".", "--format", "json", "--no-graph", "--confidence", "low"], root)
        graph_time, _ = timed([str(pyloom), "check", ".", "--format", "json", "--confidence", "low"], root)
        default_out = subprocess.run([str(pyloom), "check", ".", "--format", "json", "--no-graph"], cwd=root,
                                     capture_output=True, text=True).stdout
        ruff = {(str(Path(f["filename"]).resolve().relative_to(root)), f["location"]["row"], f["code"])
                for f in json.loads(ruff_out) if f["code"] and f["code"] != "invalid-syntax"}
        ours = {(str((root / f["file"]).resolve().relative_to(root)), f["line"], f["code"])
                for f in json.loads(pyloom_out) if f["category"] in ("lint", "security") and not f["code"].startswith("LOOM")}
        shown = {(str((root / f["file"]).resolve().relative_to(root)), f["line"], f["code"])
                 for f in json.loads(default_out) if f["category"] in ("lint", "security") and not f["code"].startswith("LOOM")}
        same = ruff & ours
        print(f"{key}: ruff {len(ruff)} findings, pyloom {len(ours)}, identical {len(same)}, "
              f"only ruff {len(ruff - ours)}, only pyloom {len(ours - ruff)}; "
              f"hidden by pyloom's default selection {len(ours - shown)}")
        for label, diff in (("only ruff", ruff - ours), ("only pyloom", ours - ruff)):
            for item in sorted(diff)[:15]:
                print(f"  {label}: {item}")
        print(f"  time: ruff {ruff_time:.2f}s, pyloom {pyloom_time:.2f}s (ratio {pyloom_time / ruff_time:.2f}x); "
              f"with graph checks {graph_time:.2f}s (ratio {graph_time / ruff_time:.2f}x)")


if __name__ == "__main__":
    main(sys.argv[1:] or ["django", "flask", "requests"])
