"""Recall and false-positive rate on SecurityEval's generated code: the
files GitHub Copilot and InCoder wrote for the dataset's prompts (75 CWEs),
each judged by the dataset's authors as having the prompt's weakness or
not (column `Manual` of `Result/testcases_<generator>.csv`). pyloom's
security findings, bandit 1.8.0 and ruff 0.16.4's `S` rules run side by
side on the same files.

    python3 bench/findings/securityeval.py /path/to/SecurityEval

The bench reads a checkout and never downloads it. It prints totals per
generator; `-v` also lists the safe files pyloom flags (the corpus was
held out until round 6 and is tuned on since, see README.md).

The label is per file, so a tool flags a file when it reports at least one
security finding anywhere in it. Recall is flagged vulnerable files over
vulnerable files; the false-positive rate is flagged safe files over safe
files.
"""

import csv
from pathlib import Path

from common import ensure_venv, on_checkout, print_false_alarms, run_labelled

GENERATORS = {"Copilot": "copilot", "InCoder": "incoder"}


def labelled(root: Path):
    """(file, generator, vulnerable) of every file the authors reviewed."""
    for folder, name in GENERATORS.items():
        with open(root / "Result" / f"testcases_{name}.csv") as table:
            for row in csv.DictReader(table):
                # The last row holds the columns' totals, with no CWE.
                if row["CWEID"]:
                    yield f"Testcases_{folder}/{row['CWEID']}/{row['SampleID']}", folder, row["Manual"] == "1"


def main(root: Path, verbose: bool):
    ensure_venv()
    files = list(labelled(root))
    found = run_labelled(root, files, list(GENERATORS))
    if verbose and found:
        print_false_alarms([(file, vulnerable) for file, _, vulnerable in files], found)


if __name__ == "__main__":
    on_checkout(main, __doc__)
