#!/usr/bin/env python3
"""Inline variable and inline function on sampled sites of a real package:
`pyloom refactor inline FILE:LINE:COL --apply`, each on a fresh copy of the
package, at the name of a sampled `name = value` (a variable) and of a
sampled `f(...)` (a call; with ONLY_SIMPLE=1 only calls of a function of the
package whose body is one `return`). Each applied result must still compile
(`python -m py_compile`); pyloom checks it with the graph before writing.
Prints how many were inlined, refused (and the commonest reasons) or had
nothing to inline.

    [ONLY_SIMPLE=1] python3 bench/refactor/inline_sites.py PACKAGE_DIR SAMPLES [PYLOOM]
"""
import ast, os, random, sys, collections

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sites import compiles, copy_of, first_line, parsed_files, reason, refactor, report  # noqa: E402

src, limit = sys.argv[1], int(sys.argv[2])
PYLOOM = sys.argv[3] if len(sys.argv) > 3 else "pyloom"
random.seed(7)
files = list(parsed_files(src))
simple = set()
for _, _, tree in files:
    for d in tree.body:
        body = [s for s in getattr(d, "body", []) if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if isinstance(d, ast.FunctionDef) and len(body) == 1 and isinstance(body[0], ast.Return):
            simple.add(d.name)
ONLY_SIMPLE = os.environ.get("ONLY_SIMPLE") == "1"
sites = []
for rel, _, tree in files:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            t = node.targets[0]
            sites.append(("variable", rel, t.lineno, t.col_offset + 1))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (not ONLY_SIMPLE or node.func.id in simple):
            sites.append(("call", rel, node.func.lineno, node.func.col_offset + 1))
random.shuffle(sites)
by_kind = collections.defaultdict(list)
for s in sites:
    if len(by_kind[s[0]]) < limit:
        by_kind[s[0]].append(s)
results = collections.Counter()
reasons = collections.Counter()
broken = []
for kind, chosen in by_kind.items():
    for _, rel, line, col in chosen:
        with copy_of(src, rel) as target:
            r = refactor(PYLOOM, ["inline", f"{target}:{line}:{col}"])
            if r.returncode == 0:
                results[kind, "inlined"] += 1
                error = compiles(target)
                if error:
                    broken.append((rel, line, col, error))
            else:
                msg = first_line(r.stderr)
                key = "nothing to inline" if ("nothing to inline" in msg) else "refused"
                results[kind, key] += 1
                if key == "refused":
                    reasons[f"{kind}: {reason(msg)}"] += 1
report(results, broken, "compile failures after --apply", reasons, 14)
