#!/usr/bin/env python3
"""Compares pyloom's go-to-definition with the jedi sample.

    python3 jedi_compare.py PYLOOM TREES_DIR [jedi_sample.json] [-v]

A sample agrees when pyloom's answer is one of jedi's definitions (same file
and position; for modules, the same file). Prints the agreement per project.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def agrees(answer, targets):
    if answer.startswith("module "):
        path = answer[len("module "):]
        return any(t[0] == path and t[3] == "module" for t in targets)
    if answer == "-":
        return False
    path, line, column = answer.rsplit(":", 2)
    return any(t[0] == path and t[1] == int(line) and t[2] == int(column) - 1 for t in targets)


def main():
    pyloom, trees = sys.argv[1], Path(sys.argv[2])
    rest = [a for a in sys.argv[3:] if a != "-v"]
    sample_file = Path(rest[0]) if rest else Path(__file__).with_name("jedi_sample.json")
    sample = json.loads(sample_file.read_text())
    print(f"{'project':<10} {'samples':>8} {'agree':>8} {'%':>7}")
    for name, project in sample["projects"].items():
        samples = project["samples"]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as positions:
            for s in samples:
                positions.write(f"{s['file']}:{s['line']}:{s['column'] + 1}\n")
        out = subprocess.run(
            [pyloom, "graph", str(trees / project["tree"]), "--resolve-positions", positions.name],
            check=True, capture_output=True, text=True,
        ).stdout.splitlines()
        agreed = sum(agrees(answer, s["targets"]) for answer, s in zip(out, samples))
        if "-v" in sys.argv:
            for answer, s in zip(out, samples):
                if not agrees(answer, s["targets"]):
                    print(f"  {s['file']}:{s['line']}:{s['column'] + 1} pyloom={answer} jedi={s['targets']}")
        print(f"{name:<10} {len(samples):>8} {agreed:>8} {100 * agreed / max(len(samples), 1):>6.1f}%")


if __name__ == "__main__":
    main()
