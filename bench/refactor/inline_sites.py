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
import ast, os, random, shutil, subprocess, sys, tempfile, collections

src, limit = sys.argv[1], int(sys.argv[2])
PYLOOM = sys.argv[3] if len(sys.argv) > 3 else "pyloom"
random.seed(7)
simple = set()
for dirpath, _, files in os.walk(src):
    for f in files:
        if f.endswith(".py"):
            try:
                tree = ast.parse(open(os.path.join(dirpath, f), encoding="utf-8").read())
            except Exception:
                continue
            for d in tree.body:
                body = [s for s in getattr(d, "body", []) if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
                if isinstance(d, ast.FunctionDef) and len(body) == 1 and isinstance(body[0], ast.Return):
                    simple.add(d.name)
ONLY_SIMPLE = os.environ.get("ONLY_SIMPLE") == "1"
sites = []
for dirpath, _, files in os.walk(src):
    for f in files:
        if not f.endswith(".py"):
            continue
        path = os.path.join(dirpath, f)
        try:
            tree = ast.parse(open(path, encoding="utf-8").read())
        except Exception:
            continue
        rel = os.path.relpath(path, src)
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
        work = tempfile.mkdtemp()
        root = os.path.join(work, "p")
        shutil.copytree(src, root)
        target = os.path.join(root, rel)
        r = subprocess.run([PYLOOM, "refactor", "inline", f"{target}:{line}:{col}", "--apply"], capture_output=True, text=True)
        if r.returncode == 0:
            results[kind, "inlined"] += 1
            c = subprocess.run([sys.executable, "-m", "py_compile", target], capture_output=True, text=True)
            if c.returncode != 0:
                broken.append((rel, line, col, c.stderr[-300:]))
        else:
            msg = r.stderr.strip().removeprefix("pyloom: ").splitlines()[0] if r.stderr.strip() else "?"
            key = "nothing to inline" if ("nothing to inline" in msg) else "refused"
            results[kind, key] += 1
            if key == "refused":
                import re
                reasons[kind, re.sub(r"`[^`]*`", "`…`", re.sub(r"line \d+|\S+\.py:\d+", "L", msg))[:90]] += 1
        shutil.rmtree(work)
for k, v in sorted(results.items()):
    print(k, v)
print("compile failures after --apply:", len(broken))
for b in broken:
    print("  ", b)
print("top refusals:")
for (kind, why), n in reasons.most_common(14):
    print(f"  {n:4} {kind}: {why}")
