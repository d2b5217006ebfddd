"""Recall on SALLM's insecure solutions (s2e-lab/SALLM, measured at
7f17a76; Siddiq et al., "SALLM: Security Assessment of Generated Code",
ASEW 2024, Apache-2.0): `PythonDataset/dataset.jsonl` holds 100
security-centric Python tasks (Flask routes and library-style functions:
paths, commands, SQL, LDAP, XML, deserialisation, redirects, regular
expressions, crypto, temporary files, …), each with an insecure solution
its authors wrote (`insecure_code`). The corpus has no safe solutions, so
it measures recall only. pyloom's security findings (its default
selection), bandit 1.8.0 and ruff 0.16.4's `S` rules run side by side on
the same files.

    python3 bench/findings/sallm.py /path/to/SALLM [--labels]

The bench reads a checkout (`git clone https://github.com/s2e-lab/SALLM`)
and never downloads it. The corpus is held out whole (see README.md): it
prints totals per technique, never a file or a line; `--labels` prints the
label counts alone and runs no tool.

Labels, chosen before any tool ran and committed before the first run:
every task's `insecure_code` is one vulnerable file, grouped by the
task's `technique` (how SALLM tests it: `Assertion`, `Tainted`,
`Matching`); the tasks whose `source` is `SecurityEval` are left out
(SecurityEval is a tune corpus here). A tool flags a file when it reports
at least one security finding anywhere in it.
"""

import json
from pathlib import Path

from common import held_out_folder, on_checkout, run_labelled


def labelled(checkout: Path, root: Path):
    """Writes the corpus under `root`; yields (file, technique, True)."""
    for line in (checkout / "PythonDataset" / "dataset.jsonl").read_text().splitlines():
        task = json.loads(line)
        if task["source"] == "SecurityEval":
            continue
        rel = f"vulnerable/{task['id']}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(task["insecure_code"])
        yield rel, task["technique"], True


def main(checkout: Path, verbose: bool):
    root = held_out_folder("sallm", verbose)
    files = list(labelled(checkout, root))
    run_labelled(root, files)


if __name__ == "__main__":
    on_checkout(main, __doc__)
