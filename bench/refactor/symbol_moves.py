#!/usr/bin/env python3
"""Symbol moves side by side: pyloom's `refactor move` and rope's
MoveGlobal on sampled top-level functions and classes of real projects.

For each project (an sdist from PyPI, extracted once) and each sampled
top-level `def` or `class` of its package, two moves are tried on fresh
copies of the tree: to a new module beside it (`pkg/a/moved_<name>.py`,
created empty first, since rope moves only into an existing module) and
to another module of the same package. Each tool's result is judged as
`module_moves.py` judges module moves: every module of the package and of
its tests imports after the move if it did before (the new module too),
the moved name is importable from its new module, and `python -m
compileall` succeeds, and pyright finds no more unresolved imports than
before.

    python3 bench/refactor/symbol_moves.py --pyloom BIN [--projects requests,flask] [--samples N]
"""

import argparse
import ast
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402
from module_moves import checked_paths, differing, importable, judge, project, summary  # noqa: E402

PROJECTS = [
    ("requests==2.32.3", "src", "requests", "tests"),
    ("flask==3.1.0", "src", "flask", "tests"),
]


def top_level(path):
    """(name, 1-based line of the `def`/`class` keyword, character offset of the name)."""
    text = path.read_text()
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    out = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            line = lines[node.lineno - 1]
            column = line.index(node.name, node.col_offset)
            offset = sum(len(l) for l in lines[: node.lineno - 1]) + column
            out.append((node.name, node.lineno, offset))
    return out


def run_pyloom(binary, root, source, line, dest):
    done = subprocess.run([str(binary), "refactor", "move", f"{source}:{line}", str(dest), "--apply"], capture_output=True, text=True, cwd=root, timeout=900)
    return done.returncode == 0, done.stderr.strip().splitlines()[-3:] if done.returncode else []


def run_rope(root, source, offset, dest):
    from rope.base.project import Project
    from rope.refactor.move import MoveGlobal

    project = Project(str(root), ropefolder=None)
    try:
        resource = project.get_resource(str(source.relative_to(root)))
        changes = MoveGlobal(project, resource, offset).get_changes(project.get_resource(str(dest.relative_to(root))))
        project.do(changes)
        return True, []
    except Exception as error:  # rope refuses by raising
        return False, [f"{type(error).__name__}: {error}"[:160]]
    finally:
        project.close()


CHECK_NAME = r"""
import importlib, json, sys
sys.path[:0] = json.loads(sys.argv[3])
module = importlib.import_module(sys.argv[1])
print(json.dumps(hasattr(module, sys.argv[2])))
"""


def has_name(paths, module, name):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    done = subprocess.run([sys.executable, "-c", CHECK_NAME, module, name, json.dumps([str(p) for p in paths])], capture_output=True, text=True, timeout=300, env=env, cwd=paths[0])
    return done.stdout.strip() == "true"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pyloom")
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--projects", default=",".join(p[2] for p in PROJECTS))
    args = parser.parse_args()
    binary = peers.pyloom_binary(args.pyloom)
    rng = random.Random(args.seed)
    rows = []
    for spec, start, package, tests in PROJECTS:
        if package not in args.projects.split(","):
            continue
        tree, test_paths, names, before_ok, files = project(spec, start, package, tests)
        unresolved_before = peers.pyright_unresolved_imports(tree, checked_paths(tree, start, package, tests))
        symbols = [(path, *symbol) for path in files for symbol in top_level(path)]
        for source, name, line, offset in rng.sample(symbols, min(args.samples, len(symbols))):
            siblings = [p for p in files if p.parent == source.parent and p != source]
            targets = [("new", source.parent / f"moved_{name.lower()}.py")]
            if siblings:
                targets.append(("sibling", rng.choice(siblings)))
            for kind, dest in targets:
                rel_source, rel_dest = source.relative_to(tree), dest.relative_to(tree)
                old = ".".join(source.relative_to(tree / start).with_suffix("").parts)
                new = ".".join(dest.relative_to(tree / start).with_suffix("").parts)
                results = {}
                with tempfile.TemporaryDirectory() as scratch:
                    for tool in ("pyloom", "rope"):
                        root = Path(scratch) / tool / tree.name
                        shutil.copytree(tree, root)
                        (root / rel_dest).touch()
                        if tool == "pyloom":
                            applied, why = run_pyloom(binary, root, root / rel_source, line, root / rel_dest)
                        else:
                            applied, why = run_rope(root, root / rel_source, offset, root / rel_dest)
                        result = {"applied": applied, "why": why}
                        if applied:
                            paths = [root / start, *[root / p.relative_to(tree) for p in test_paths]]
                            after_ok = importable(paths, names + [new])
                            result["broken"] = sorted(n for n in before_ok if n not in after_ok)
                            result["reachable"] = has_name(paths, new, name)
                            result.update(judge(root, start, package, tests, unresolved_before))
                        results[tool] = result
                    if results["pyloom"]["applied"] and results["rope"]["applied"]:
                        results["differ"] = differing(Path(scratch) / "pyloom" / tree.name, Path(scratch) / "rope" / tree.name)
                row = {"project": package, "kind": kind, "symbol": f"{old}.{name}", "to": new, **results}
                rows.append(row)
                print(json.dumps(row), flush=True)
    summary(rows)

if __name__ == "__main__":
    main()
