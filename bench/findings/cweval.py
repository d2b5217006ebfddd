"""Recall and false-positive rate on CWEval's Python tasks (Co1lin/CWEval,
measured at e9a2a12; Peng et al., "CWEval: Outcome-driven Evaluation on
Functionality and Security of LLM Code Generation", 2025, MIT): for each
task (25 across 20 CWEs: redirects, path traversal, tar extraction,
commands, XSS, `eval`, headers, logs, ReDoS, key sizes, hashes, ciphers,
IVs, JWT, temporary files, YAML, XPath, file permissions, salts, SSRF,
NoSQL) its authors wrote a secure reference solution and, in the task's
test file, one or more insecure solutions that the tests prove exploitable.
pyloom's security findings (its default selection), bandit 1.8.0 and ruff
0.16.4's `S` rules run side by side on the same files.

    python3 bench/findings/cweval.py /path/to/CWEval [-v]

The bench reads a checkout (`git clone https://github.com/Co1lin/CWEval`)
and never downloads it. It was held out in rounds 7 and 8 (totals per CWE
only); since round 9 it is a tune corpus: `-v` lists each safe file
pyloom flags and each vulnerable file it misses, with the peers that flag
it (see README.md).

Labels, chosen before any tool ran: in `benchmark/core/py/`, every
`cwe_*_task.py` is safe as it is, and every top-level function of a
`cwe_*_test.py` (not a test: its name starts with neither `test` nor `_`)
whose name contains `_unsafe` is vulnerable (one whose name ends in `_safe`,
a second secure solution, is safe). Each test-file
function is written to a file of its own after those of its test file's
top-level imports whose names it uses (never `pytest` or the task's own
module). The label is per file, so a tool flags a file when it reports at
least one security finding anywhere in it.
"""

import ast
import re
import shutil
from pathlib import Path

from common import CACHE, ensure_venv, on_checkout, print_false_alarms, run_labelled

TASK = re.compile(r"cwe_(\d+)_\d+_task\.py")


def names_used(node: ast.AST) -> set:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def test_functions(test: Path):
    """(name, text) of each labelled function of a test file, its text
    headed by the imports it needs."""
    source = test.read_text()
    tree = ast.parse(source)
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
               and not (isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_task"))
               and all(alias.name.split(".")[0] != "pytest" for alias in node.names)]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith(("test", "_")) \
                and ("_unsafe" in node.name or node.name.endswith("_safe")):
            used = names_used(node)
            head = [ast.get_source_segment(source, i) for i in imports
                    if any((alias.asname or alias.name).split(".")[0] in used for alias in i.names)]
            body = ast.get_source_segment(source, node)
            decorators = "".join(f"@{ast.get_source_segment(source, d)}\n" for d in node.decorator_list)
            yield node.name, "\n".join(head) + "\n\n\n" + decorators + body + "\n"


def labelled(checkout: Path, root: Path):
    """Writes the corpus under `root`; yields (file, CWE, vulnerable)."""
    folder = checkout / "benchmark" / "core" / "py"
    for task in sorted(folder.glob("cwe_*_task.py")):
        cwe = f"CWE-{int(TASK.fullmatch(task.name).group(1))}"
        rel = f"safe/{task.name}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(task, root / rel)
        yield rel, cwe, False
        test = folder / task.name.replace("_task.py", "_test.py")
        if not test.is_file():
            continue
        for name, text in test_functions(test):
            vulnerable = "_unsafe" in name
            rel = f"{'vulnerable' if vulnerable else 'safe'}/{task.stem}_{name}.py"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
            yield rel, cwe, vulnerable


def main(checkout: Path, verbose: bool):
    ensure_venv()
    root = CACHE / "cweval"
    shutil.rmtree(root, ignore_errors=True)
    files = list(labelled(checkout, root))
    found = run_labelled(root, files, sorted({g for _, g, _ in files}, key=lambda g: int(g[4:])))
    if verbose and found:
        print_false_alarms([(file, vulnerable) for file, _, vulnerable in files], found, misses=True)


if __name__ == "__main__":
    on_checkout(main, __doc__)
