#!/usr/bin/env python3
"""Identifier recall of what an inline-completion model is given: the
server's graph context against the imported modules' text, at the same
token budget (see README.md in this folder).

    python3 bench/ghost/recall.py [--pyloom BIN] [--projects tuning|held-out|all]
        [--samples N] [--budgets 1000,2000,4000] [--lines 3] [--seed S] [--dump FILE]
"""

import argparse
import ast
import builtins
import io
import json
import keyword
import random
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peers import ensure_tree, fmt, library_files, percentile, pyloom_binary  # noqa: E402

TUNING = ["jinja2==3.1.4", "click==8.1.7"]
HELD_OUT = ["httpx==0.28.1", "marshmallow==3.23.1", "tomlkit==0.13.2"]

IGNORED = set(keyword.kwlist) | set(dir(builtins)) | {"self", "cls"}


def workspace_names(root, files):
    """Every name the project's sources define: classes, functions and
    methods at any depth, module and class attributes, `self.x`."""
    names = set()
    for rel in files:
        tree = parse(root / rel)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                for stmt in node.body if isinstance(node, ast.ClassDef) else []:
                    names.update(assigned(stmt))
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) and node.value.id == "self":
                names.add(node.attr)
        for stmt in tree.body:
            names.update(assigned(stmt))
    return names - IGNORED


def assigned(stmt):
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
    return [t.id for t in targets if isinstance(t, ast.Name)]


def parse(path):
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return None


def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def locals_of(function):
    """Parameters and names bound inside the function."""
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names.update(a.arg for a in (args.vararg, args.kwarg) if a)
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not function:
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def identifiers(text):
    """NAME tokens of `text` (which may not parse on its own)."""
    out = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME:
                out.append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        out.extend(re.findall(r"[A-Za-z_]\w*", text))
    return out


def external_names(root, tree):
    """Names the module binds by importing from outside the project: their
    attributes (`t.List`) and themselves are not workspace names."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if not module_files(root, a.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and not module_files(root, node.module):
            names.update(a.asname or a.name for a in node.names)
    return names


def workspace_uses(text, external):
    """Identifiers of `text` except attributes of external names."""
    tokens = identifiers_with_dots(text)
    return [name for i, name in enumerate(tokens) if name != "." and not (i >= 2 and tokens[i - 1] == "." and tokens[i - 2] in external) and name not in external]


def identifiers_with_dots(text):
    try:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.NAME or t.string == "."]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.findall(r"[A-Za-z_]\w*|\.", text)


def samples(root, files, defined, count, lines, rng):
    """(rel, text with the lines removed, 1-based line, 1-based column,
    target names) at random statements inside function bodies."""
    modules = {part.removesuffix(".py") for rel in files for part in rel.parts}
    pool = []
    for rel in files:
        tree = parse(root / rel)
        if tree is None:
            continue
        for function in functions(tree):
            body = function.body
            start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) else 0
            for stmt in body[max(start, 1):]:
                pool.append((rel, function, stmt))
    rng.shuffle(pool)
    out = []
    external = {}
    for rel, function, stmt in pool:
        if len(out) == count:
            break
        text = (root / rel).read_text(encoding="utf-8")
        if rel not in external:
            external[rel] = external_names(root, ast.parse(text))
        source = text.splitlines(keepends=True)
        first = stmt.lineno - 1
        last = min(first + lines, function.end_lineno)
        removed = "".join(source[first:last])
        indent = source[first][: len(source[first]) - len(source[first].lstrip())]
        own = locals_of(function)
        # Names the removed lines define (`self._stack = []`) have no
        # definition elsewhere to find; module names have none at all.
        defines = set(re.findall(r"(?m)^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)|(?:self\.)?(\w+)[ \t]*(?::[^=\n]*)?=(?!=)", removed))
        defines = {a or b for a, b in defines}
        skip = own | defines | modules
        targets = sorted({n for n in workspace_uses(removed, external[rel]) if n in defined and n not in skip})
        if not targets:
            continue
        written = "".join(source[:first]) + indent + "\n" + "".join(source[last:])
        out.append((rel, text, written, first + 1, len(indent) + 1, targets))
    return out


def imported_files(root, rel):
    """The workspace files the module at `rel` imports, in import order."""
    tree = parse(root / rel)
    if tree is None:
        return []
    package = list(rel.parent.parts)
    found = []
    for node in tree.body:
        modules = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - (node.level - 1)] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            modules = [module] + [f"{module}.{a.name}" for a in node.names]
        for module in modules:
            for candidate in module_files(root, module):
                if candidate not in found and candidate != rel:
                    found.append(candidate)
    return found


def module_files(root, module):
    parts = [p for p in module.split(".") if p]
    if not parts:
        return []
    # sdists keep the package under src/ or at the top.
    for base in (root / "src", root):
        for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
            if candidate.is_file():
                return [candidate.relative_to(root)]
    return []


def covered(name, prompt):
    n = re.escape(name)
    pattern = rf"(?m)^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+{n}\b|^[ \t]*{n}[ \t]*(?::|=(?!=))|self\.{n}[ \t]*(?::|=(?!=))"
    return re.search(pattern, prompt) is not None


def run(binary, args, stdin=None, cwd=None):
    done = subprocess.run([str(binary), *args], input=stdin, capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise RuntimeError(f"pyloom {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout, done.stderr


def graph_context(binary, root, rel, line, column, budget):
    out, err = run(binary, ["context", f"{root / rel}:{line}:{column}", "--fim", "--budget", str(budget)], cwd=root)
    took = re.search(r"gathered in ([\d.]+) ms", err)
    tokens = re.search(r"fim context: (\d+) tokens", err)
    return out, float(took.group(1)) if took else None, int(tokens.group(1)) if tokens else None


def baseline_context(binary, root, rel, budget):
    text = "".join(f"# {p.as_posix()}\n{(root / p).read_text(encoding='utf-8', errors='replace')}\n" for p in imported_files(root, rel))
    out, _ = run(binary, ["tokens", "--fit", str(budget)], stdin=text, cwd=root)
    return out


def measure(binary, spec, args):
    tree = ensure_tree(spec)
    work = Path(tempfile.mkdtemp(prefix="pyloom-ghost-bench-")) / tree.name
    shutil.copytree(tree, work)
    root = work.resolve()
    files = list(library_files(root))
    defined = workspace_names(root, files)
    rng = random.Random(f"{args.seed}:{spec}")
    picked = samples(root, files, defined, args.samples, args.lines, rng)
    results = {b: {"graph": [0, 0], "base": [0, 0], "graph_x": [0, 0], "base_x": [0, 0], "times": [], "tokens": []} for b in args.budgets}
    for rel, original, written, line, column, targets in picked:
        own = workspace_names(root, [rel])
        (root / rel).write_text(written, encoding="utf-8")
        try:
            for budget in args.budgets:
                r = results[budget]
                context, took, tokens = graph_context(binary, root, rel, line, column, budget)
                base = baseline_context(binary, root, rel, budget)
                r["times"].append(took)
                r["tokens"].append(tokens)
                if args.dump:
                    missed = [n for n in targets if not covered(n, context + written)]
                    args.dump.write(json.dumps({"project": spec, "file": rel.as_posix(), "line": line, "budget": budget, "targets": targets, "missed": missed, "base_missed": [n for n in targets if not covered(n, base + written)]}) + "\n")
                for name in targets:
                    for key, prompt in (("graph", context + written), ("base", base + written)):
                        hit = covered(name, prompt)
                        r[key][0] += hit
                        r[key][1] += 1
                        if name not in own:
                            r[key + "_x"][0] += hit
                            r[key + "_x"][1] += 1
        finally:
            (root / rel).write_text(original, encoding="utf-8")
    shutil.rmtree(work.parent, ignore_errors=True)
    return len(picked), results


def share(pair):
    hits, total = pair
    return hits / total if total else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom", help="the pyloom binary (default: the release build)")
    parser.add_argument("--projects", default="all", help="tuning, held-out, all, or a comma-separated list of name==version")
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--budgets", default="1000,2000,4000")
    parser.add_argument("--lines", type=int, default=3, help="lines removed after the cursor")
    parser.add_argument("--seed", default="15")
    parser.add_argument("--dump", type=argparse.FileType("w"), help="write each sample's targets and misses here (JSON lines)")
    args = parser.parse_args()
    args.budgets = [int(b) for b in args.budgets.split(",")]
    binary = pyloom_binary(args.pyloom)
    groups = {"tuning": TUNING, "held-out": HELD_OUT, "all": TUNING + HELD_OUT}
    specs = groups.get(args.projects) or args.projects.split(",")
    print(f"{'project':<20} {'set':<9} {'n':>3} {'budget':>6}  {'graph':>6} {'base':>6}  {'graph-x':>7} {'base-x':>6}  {'tokens':>6}  {'p50 ms':>7} {'p95 ms':>7}")
    totals = {}
    for spec in specs:
        kind = "tuning" if spec in TUNING else "held-out" if spec in HELD_OUT else "other"
        n, results = measure(binary, spec, args)
        for budget, r in results.items():
            times = [t for t in r["times"] if t is not None]
            tokens = [t for t in r["tokens"] if t is not None]
            mean_tokens = sum(tokens) / len(tokens) if tokens else None
            print(
                f"{spec:<20} {kind:<9} {n:>3} {budget:>6}  {fmt(share(r['graph'])):>6} {fmt(share(r['base'])):>6}  "
                f"{fmt(share(r['graph_x'])):>7} {fmt(share(r['base_x'])):>6}  {fmt(mean_tokens, 0):>6}  "
                f"{fmt(percentile(times, 0.5)):>7} {fmt(percentile(times, 0.95)):>7}",
                flush=True,
            )
            total = totals.setdefault((kind, budget), {k: [0, 0] for k in ("graph", "base", "graph_x", "base_x")})
            for key in total:
                total[key][0] += r[key][0]
                total[key][1] += r[key][1]
    for (kind, budget), total in sorted(totals.items()):
        print(
            f"{'(pooled)':<20} {kind:<9} {'':>3} {budget:>6}  {fmt(share(total['graph'])):>6} {fmt(share(total['base'])):>6}  "
            f"{fmt(share(total['graph_x'])):>7} {fmt(share(total['base_x'])):>6}"
        )


if __name__ == "__main__":
    main()
