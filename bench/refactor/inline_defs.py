#!/usr/bin/env python3
"""Inline function from its `def` on sampled top-level functions of a real
package: `pyloom refactor inline FILE:LINE:COL --apply` with the cursor on
the function's name, each on a fresh copy of the package (every call of it
in the package inlined, the `def` removed when it is private). Each applied
result must still compile (`python -m compileall` over the package),
`pyloom check` on each file it changed must report no new error finding
it did not report before (F8xx: an undefined or unused name, E9xx, or a
LOOM graph check: an unresolved import, a call that no longer matches), and
with TESTS=DIR the project's test suite in DIR (pytest) must pass as it
does on the original. A new style finding (the moved code's own lint, such
as PERF402 on a loop that now sits in another module) is listed, not
counted as broken. Prints how many were applied, refused (by reason) or
broken.

    [TESTS=DIR] python3 bench/refactor/inline_defs.py PACKAGE_DIR SAMPLES [PYLOOM]
"""
import ast, collections, os, random, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sites import copy_of, findings, parsed_files, refactor, refused, report, require_passing, tests_pass  # noqa: E402

src, limit = sys.argv[1], int(sys.argv[2])
PYLOOM = sys.argv[3] if len(sys.argv) > 3 else "pyloom"
TESTS = os.environ.get("TESTS")
random.seed(7)


def texts(package):
    """Every `.py` file of `package` (a folder): its path relative to it, and its text."""
    out = {}
    for dirpath, _, files in os.walk(package):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(dirpath, f)
                out[os.path.relpath(path, package)] = open(path, encoding="utf-8").read()
    return out


if TESTS:
    require_passing(src, TESTS)
sites = []
for rel, text, tree in parsed_files(src):
    for d in tree.body:
        if isinstance(d, ast.FunctionDef):
            # The name's column: `def ` then the name (decorators are above).
            line = text.splitlines()[d.lineno - 1]
            sites.append((rel, d.lineno, line.index("def " + d.name) + 5, d.name))
random.shuffle(sites)
results = collections.Counter()
reasons = collections.Counter()
broken = []
styled = []
befores = {}
for rel, line, col, name in sites[:limit]:
    with copy_of(src, rel) as target:
        package = target[: len(target) - len(rel) - 1]
        before = texts(package)
        if refused(refactor(PYLOOM, ["inline", f"{target}:{line}:{col}"]), results, reasons, f"{rel}:{line} {name}"):
            continue
        results["applied"] += 1
        after = texts(package)
        changed = [f for f in after if after[f] != before.get(f)]
        done = subprocess.run([sys.executable, "-m", "compileall", "-q", package], capture_output=True, text=True)
        error = done.stdout[-300:] if done.returncode else None
        new = collections.Counter()
        for f in changed:
            if f not in befores:
                with copy_of(src, f) as original:
                    befores[f] = findings(PYLOOM, original)
            new += findings(PYLOOM, os.path.join(package, f)) - befores[f]
        errors = collections.Counter({k: n for k, n in new.items() if k.startswith(("F8", "E9", "LOOM"))})
        if not (error or errors) and TESTS and not tests_pass(package, TESTS):
            error = "the test suite fails"
        if error or errors:
            broken.append((rel, line, name, error or dict(errors)))
        if new - errors:
            styled.append((rel, line, name, dict(new - errors)))
        print(f"{rel}:{line} {name}: applied ({len(changed)} files){', BROKEN' if error or errors else ''}", flush=True)
report(results, broken, "broken after --apply (compileall, a new error finding, or the tests)", reasons)
print("new style findings (not counted as broken):", styled)
