"""Recall and false-positive rate on the tests of flake8-secure-coding-standard
1.4.1 (the sdist on PyPI; Apache-2.0): its `tests/*_test.py` lint small
snippets of Python, one a parametrised case, and state what the plugin
must report on each — `eval`/`exec`, `os.system`/`os.popen`, `shell=True`
and the calls that imply it, `pickle`/`marshal`/`shelve`/`jsonpickle`
loads, `yaml.load`, `tempfile.mktemp`, `pdb`, `assert`, builtin `open`
for writing, `os.path.abspath`, … — or that it must report nothing.
pyloom's security findings (its default selection), bandit 1.8.0 and ruff
0.16.4's `S` rules run side by side on the same snippets.

    python3 bench/findings/scs_corpus.py /path/to/flake8-secure-coding-standard-1.4.1 [--labels]

The bench reads an unpacked sdist (`pip download --no-deps --no-binary
:all: flake8-secure-coding-standard==1.4.1`) and never downloads it. Held
out since it was chosen (round 17): it prints totals per test file, never
a snippet or a line, and refuses `-v`; `--labels` prints the label counts
alone and runs no tool.

Labels, chosen before any tool ran and committed before the first run:
a module-level test function of `tests/*_test.py` whose body (leaving out
`mocker.patch(...)` calls, which pick the platform) is the one statement
`assert results(s) == X` gives a label to each non-empty string literal
that its `pytest.mark.parametrize` gives `s` (alone, or as the `s` element
of a tuple): safe when `X` is `set()`, vulnerable when `X` is a set
display (one expected message). Tests that build the code from a template
(`f'with {s} as fd: …'`, `os.chmod` modes) or whose expectation depends on
a branch (platform, mode) are left out. A snippet with both labels is left
out; one listed twice counts once. Each snippet is one file, grouped by
its test file.

The snippets name modules without importing them (the plugin matches
names, not imports), which no tool that resolves imports would judge; so
each file starts with an import of each module the snippet reads as the
root of a dotted name (`os`, `subprocess`, `yaml`, …, and the plugin's
own aliases `sp` for `subprocess`, `op` for `os.path`). Those header lines
carry no label: a tool flags a snippet when one of its security findings
covers one of the snippet's own lines.

Two totals are printed: ALL, and ALL less the two groups whose message
asks for another API without naming a risk in the snippet (`builtin_open`:
`open` for writing rather than `os.open`, SCS109; `os_realpath`:
`os.path.abspath`/`relpath` rather than `realpath`, SCS100).
"""

import ast
import os
import sys
from pathlib import Path

from common import held_out_folder, on_checkout, print_by_group, security_findings

# Module roots the snippets read, and the aliases the plugin itself reads
# as those modules.
IMPORTS = {name: f"import {name}" for name in ("os", "stat", "yaml", "subprocess", "asyncio", "marshal", "pickle",
                                                "shelve", "tempfile", "pdb", "jsonpickle", "shlex")}
IMPORTS |= {"sp": "import subprocess as sp", "op": "import os.path as op"}
OPINIONS = {"builtin_open", "os_realpath"}


def cases(test: Path):
    """(snippet, vulnerable) of each labelled parametrised case of a test file."""
    for fn in ast.parse(test.read_text()).body:
        if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith("test"):
            continue
        body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
                                           and ast.unparse(s.value.func) == "mocker.patch")]
        if len(body) != 1 or not isinstance(body[0], ast.Assert) or not isinstance(body[0].test, ast.Compare):
            continue
        test_expr = body[0].test
        if ast.unparse(test_expr.left) != "results(s)" or len(test_expr.comparators) != 1:
            continue
        expected = test_expr.comparators[0]
        if ast.unparse(expected) == "set()":
            vulnerable = False
        elif isinstance(expected, ast.Set) and len(expected.elts) == 1:
            vulnerable = True
        else:
            continue
        for deco in fn.decorator_list:
            if not (isinstance(deco, ast.Call) and ast.unparse(deco.func) == "pytest.mark.parametrize"):
                continue
            names = ast.literal_eval(deco.args[0])
            names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
            if "s" not in names or not isinstance(deco.args[1], (ast.List, ast.Tuple)):
                continue
            at = names.index("s")
            for case in deco.args[1].elts:
                value = case if len(names) == 1 else case.elts[at] if isinstance(case, ast.Tuple) else None
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                    yield value.value, vulnerable


def header(snippet: str) -> str:
    """The imports of the modules the snippet reads as dotted-name roots."""
    roots = {n.value.id for n in ast.walk(ast.parse(snippet))
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    return "".join(f"{IMPORTS[r]}\n" for r in sorted(roots) if r in IMPORTS)


def labelled(sdist: Path, root: Path):
    """Writes the corpus under `root`; yields (file, group, vulnerable,
    first line of the snippet)."""
    for test in sorted((sdist / "tests").glob("*_test.py")):
        group = test.stem[: -len("_test")]
        labels = {}
        for snippet, vulnerable in cases(test):
            labels.setdefault(snippet, set()).add(vulnerable)
        chosen = [(s, v.pop()) for s, v in labels.items() if len(v) == 1]
        for n, (snippet, vulnerable) in enumerate(chosen):
            head = header(snippet)
            rel = f"{'vulnerable' if vulnerable else 'safe'}/{group}/case{n:03}.py"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(head + snippet + "\n")
            yield rel, group, vulnerable, head.count("\n") + 1


def main(sdist: Path, verbose: bool):
    root = held_out_folder("scs", verbose)
    files = list(labelled(sdist, root))
    groups = sorted({g for _, g, _, _ in files})
    by_group = [(f, g, v) for f, g, v, _ in files]
    weaknesses = [(f, g, v) for f, g, v in by_group if g not in OPINIONS]
    if "--labels" in sys.argv:
        for group in [*groups, "ALL"]:
            chosen = [v for _, g, v in by_group if group in (g, "ALL")]
            print(f"{group}: {len(chosen)} files, {sum(chosen)} vulnerable, {len(chosen) - sum(chosen)} safe")
        print(f"ALL less {', '.join(sorted(OPINIONS))}: {len(weaknesses)} files, "
              f"{sum(v for *_, v in weaknesses)} vulnerable, {sum(not v for *_, v in weaknesses)} safe")
        return
    first = {os.path.normpath(f): line for f, _, _, line in files}
    unparsed = []
    found = security_findings(root, [f for f, *_ in files], unparsed)
    # Only findings on the snippet's own lines: the header's imports carry no label.
    found = {tool: [f for f in hits if f.end_line >= first[os.path.normpath(f.file)]]
             for tool, hits in found.items()}
    print_by_group(groups, by_group, found, unparsed)
    print(f"Less {', '.join(sorted(OPINIONS))}:")
    print_by_group([], weaknesses, found, unparsed)


if __name__ == "__main__":
    on_checkout(main, __doc__)
