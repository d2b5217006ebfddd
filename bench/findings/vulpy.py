"""Recall and false-positive rate on vulpy (fportantier/vulpy, measured at
5249cc8), a Flask application written twice by its author: `bad/` with
its weaknesses and `good/` with them fixed. pyloom's security findings
(its default selection), bandit 1.8.0 and ruff 0.16.4's `S` rules run side
by side on the same files.

    python3 bench/findings/vulpy.py /path/to/vulpy

The bench reads a checkout and never downloads it. It prints totals; `-v`
also lists the safe files pyloom flags (the corpus was held out until
round 6 and is tuned on since, see README.md).

Labels, chosen before any tool ran: every Python file that both apps have
and whose text differs between them is a pair, the `bad/` file vulnerable
and the `good/` file safe (files the same in both, or in one app only,
carry no label). The label is per file, so a tool flags a file when it
reports at least one security finding anywhere in it.
"""

import os
from pathlib import Path

from common import ensure_venv, on_checkout, print_false_alarms, rate, security_findings


def pairs(root: Path):
    """(bad file, good file) of every Python file both apps have with
    different text, relative to `root`."""
    for bad in sorted((root / "bad").glob("*.py")):
        good = root / "good" / bad.name
        if good.is_file() and bad.read_bytes() != good.read_bytes():
            yield f"bad/{bad.name}", f"good/{bad.name}"


def main(root: Path, verbose: bool):
    ensure_venv()
    labelled = list(pairs(root))
    vulnerable = [bad for bad, _ in labelled]
    safe = [good for _, good in labelled]
    unparsed = []
    found = security_findings(root, vulnerable + safe, unparsed)
    print(f"{len(labelled)} pairs; bandit could not parse {len(unparsed)} files")
    for tool, findings in found.items():
        hits = {os.path.normpath(f.file) for f in findings}
        tp = sum(1 for f in vulnerable if f in hits)
        fp = sum(1 for f in safe if f in hits)
        print(f"  {tool:7} recall {rate(tp, len(vulnerable)):16}  false-positive rate {rate(fp, len(safe))}")
    if verbose:
        print_false_alarms([(f, True) for f in vulnerable] + [(f, False) for f in safe], found)


if __name__ == "__main__":
    on_checkout(main, __doc__)
