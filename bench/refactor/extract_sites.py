#!/usr/bin/env python3
"""Extract function on sampled selections of a real package:
`pyloom refactor extract FILE:LINE:COL LINE:COL --function --apply`, each on
a fresh copy of the package, over a sampled run of 1 to 4 whole statements
of a block inside a function or method (a docstring never starts one).
Each applied result must still compile (`python -m py_compile`), and
`pyloom check` on the edited file must report no finding that it did not
report before (an undefined name, a call that no longer matches, ...);
pyloom checks the result with the graph itself before writing. With
TESTS=DIR, the project's test suite in DIR (pytest) must also pass on each
result as it does on the original. Prints how many were extracted, refused
(by reason) or broken.

    [TESTS=DIR] python3 bench/refactor/extract_sites.py PACKAGE_DIR SAMPLES [PYLOOM]
"""
import ast, collections, os, random, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sites import compiles, copy_of, findings, parsed_files, refactor, refused, report, require_passing, tests_pass  # noqa: E402

src, limit = sys.argv[1], int(sys.argv[2])
PYLOOM = sys.argv[3] if len(sys.argv) > 3 else "pyloom"
random.seed(7)
TESTS = os.environ.get("TESTS")


def blocks(node):
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(node, "handlers", []):
        yield handler.body
    for case in getattr(node, "cases", []):
        yield case.body


def runs(tree):
    """Every run of 1 to 4 statements of a block inside a function."""
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        stack = [function]
        while stack:
            node = stack.pop()
            for block in blocks(node):
                for i, first in enumerate(block):
                    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                        continue
                    for n in range(1, 5):
                        if i + n <= len(block):
                            yield first, block[i + n - 1]
                stack.extend(s for s in block if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))


if TESTS:
    require_passing(src, TESTS)
sites = []
for rel, _, tree in parsed_files(src):
    # Nested functions are walked from their own `def` only once.
    seen = set()
    for first, last in runs(tree):
        key = (first.lineno, first.col_offset, last.end_lineno, last.end_col_offset)
        if key not in seen:
            seen.add(key)
            sites.append((rel, *key))
random.shuffle(sites)
results = collections.Counter()
reasons = collections.Counter()
broken = []
befores = {}


def findings_before(rel):
    """The findings of `rel` unchanged, on a copy as the edited one is (once a file)."""
    if rel not in befores:
        with copy_of(src, rel) as target:
            befores[rel] = findings(PYLOOM, target)
    return befores[rel]


for rel, line, col, end_line, end_col in sites[:limit]:
    with copy_of(src, rel) as target:
        r = refactor(PYLOOM, ["extract", f"{target}:{line}:{col + 1}", f"{end_line}:{end_col + 1}", "--function"])
        if refused(r, results, reasons, f"{rel}:{line}"):
            continue
        results["extracted"] += 1
        error = compiles(target)
        new = findings(PYLOOM, target) - findings_before(rel)
        # The copy's package folder is the target's path without `rel`.
        if not (error or new) and TESTS and not tests_pass(target[: len(target) - len(rel) - 1], TESTS):
            error = "the test suite fails"
        if error or new:
            broken.append((rel, line, col, error or dict(new)))
        print(f"{rel}:{line}: extracted{', BROKEN' if error or new else ''}", flush=True)
report(results, broken, "broken after --apply (a compile error or a new finding)", reasons)
