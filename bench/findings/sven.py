"""Recall and false-positive rate on SVEN's Python functions (eth-sri/sven,
measured at e8449a0; He & Vechev, CCS '23): functions of real projects
before and after the commit that fixed a CVE in them, for path traversal
(CWE-22), OS command injection (CWE-78), cross-site scripting (CWE-79) and
SQL injection (CWE-89). pyloom's security findings (its default
selection), bandit 1.8.0 and ruff 0.16.4's `S` rules run side by side on
the same files.

    python3 bench/findings/sven.py /path/to/sven

The bench reads a checkout (`git clone https://github.com/eth-sri/sven`)
and never downloads it. The corpus is held out whole (see README.md): it
prints totals per CWE, never a file or a line.

Labels, chosen before any tool ran: every row of
`data_train_val/{train,val}/cwe-*.jsonl` whose `file_name` is a Python file
is a pair, `func_src_before` vulnerable and `func_src_after` safe (the
function as its project fixed it). Pairs whose two texts are equal, repeat
an earlier pair, or do not parse (with this Python, after dedenting a
method) are left out. Each function is written to a file of its own,
dedented, after an `import M` for every standard-library module `M` either
side of the pair names as `M.` (the functions come without their module's
imports; the same lines head both files of a pair). The label is per
function, so a tool flags a file when it reports at least one security
finding anywhere in it.
"""

import ast
import json
import re
import sys
import textwrap
from pathlib import Path

from common import held_out_folder, on_checkout, run_labelled

CWES = ["022", "078", "079", "089"]
MODULE_USE = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\.")


def parses(text: str) -> bool:
    try:
        ast.parse(text)
        return True
    except SyntaxError:
        return False


def pairs(checkout: Path):
    """(cwe, vulnerable text, safe text) of every labelled pair."""
    seen = set()
    for split in ["train", "val"]:
        for cwe in CWES:
            with open(checkout / "data_train_val" / split / f"cwe-{cwe}.jsonl") as rows:
                for line in rows:
                    row = json.loads(line)
                    if not row["file_name"].endswith(".py"):
                        continue
                    before = textwrap.dedent(row["func_src_before"])
                    after = textwrap.dedent(row["func_src_after"])
                    if before == after or (before, after) in seen or not (parses(before) and parses(after)):
                        continue
                    seen.add((before, after))
                    names = {m for m in MODULE_USE.findall(before + after) if m in sys.stdlib_module_names}
                    head = "".join(f"import {m}\n" for m in sorted(names))
                    yield cwe, head + before, head + after


def main(checkout: Path, verbose: bool):
    root = held_out_folder("sven", verbose)
    files = []  # (relative file, CWE, vulnerable)
    for n, (cwe, before, after) in enumerate(pairs(checkout)):
        for label, text in [("vulnerable", before), ("safe", after)]:
            rel = f"{label}/cwe-{cwe}/{n:04}.py"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
            files.append((rel, f"CWE-{cwe}", label == "vulnerable"))
    run_labelled(root, files, [f"CWE-{cwe}" for cwe in CWES])


if __name__ == "__main__":
    on_checkout(main, __doc__)
