"""Recall and false-positive rate on dlint's rule tests (dlint-py/dlint,
measured at 70bd007; BSD-3-Clause): each test of `tests/test_bad_*_use.py`
lints one snippet of Python and states the findings dlint's authors expect
in it — insecure uses of the standard library and of popular packages
(`eval`/`exec`/`compile`, `pickle`/`marshal`/`shelve`, `subprocess`/`os`
commands, `hashlib`, `random`, `ssl`, `tarfile`/`zipfile` extraction,
`tempfile.mktemp`, `xml`, `yaml`, `requests`/`urllib3` without
verification, `re` patterns with catastrophic backtracking, PyCrypto,
`itsdangerous`, `onelogin`, `xmlsec`, …) and, in the same files, snippets
that must not be flagged. pyloom's security findings (its default
selection), bandit 1.8.0 and ruff 0.16.4's `S` rules run side by side on
the same snippets.

    python3 bench/findings/dlint_corpus.py /path/to/dlint [--labels]

The bench reads a checkout (`git clone https://github.com/dlint-py/dlint`)
and never downloads it. The corpus was held out until round 14 and is a
tune corpus since round 15 (see README.md; its misses were read then); it
prints totals per test file, never a snippet or a line; `--labels` prints
the label counts alone and runs no tool.

Labels, chosen before any tool ran and committed before the first run:
a test function (or method) of `tests/test_bad_*_use.py` whose body calls
`get_ast_node` once with a string literal (not a `.format` template: the
parametrised tests are left out) and assigns `expected` a list literal
is one snippet; it is vulnerable when that list names at least one
finding, safe when it is empty. The label is per snippet, so a tool
flags a snippet when it reports at least one security finding anywhere
in it.
"""

import ast
import textwrap
from pathlib import Path

from common import held_out_folder, on_checkout, run_labelled


def snippets(test: Path):
    """(name, text, vulnerable) of each labelled test of a test file."""
    tree = ast.parse(test.read_text())
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test"):
            continue
        calls = [c for c in ast.walk(node) if isinstance(c, ast.Call)
                 and getattr(c.func, "attr", getattr(c.func, "id", None)) == "get_ast_node"]
        expected = [a.value for a in ast.walk(node) if isinstance(a, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "expected" for t in a.targets)]
        if len(calls) != 1 or len(expected) != 1 or not isinstance(expected[0], ast.List):
            continue
        args = calls[0].args
        if len(args) != 1 or not isinstance(args[0], ast.Constant) or not isinstance(args[0].value, str):
            continue
        yield node.name, textwrap.dedent(args[0].value), bool(expected[0].elts)


def labelled(checkout: Path, root: Path):
    """Writes the corpus under `root`; yields (file, test file, vulnerable)."""
    for test in sorted((checkout / "tests").glob("test_bad_*_use.py")):
        group = test.stem[len("test_bad_"):-len("_use")]
        for name, text, vulnerable in snippets(test):
            rel = f"{'vulnerable' if vulnerable else 'safe'}/{group}/{name}.py"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
            yield rel, group, vulnerable


def main(checkout: Path, verbose: bool):
    root = held_out_folder("dlint", verbose)
    files = list(labelled(checkout, root))
    run_labelled(root, files)


if __name__ == "__main__":
    on_checkout(main, __doc__)
