#!/usr/bin/env python3
"""Module moves side by side: pyloom's `refactor rename-module` and rope's
Rename / MoveModule on sampled modules of real projects.

For each project (an sdist from PyPI, extracted once) and each sampled
module, two moves are tried on fresh copies of the tree: a rename in place
(`pkg/a/mod.py` -> `pkg/a/mod_moved.py`) and a move to another package of
the project. Each tool's result is checked the same way:

  * broken imports: every module of the package is imported (a fresh
    interpreter, the tree first on sys.path) before and after; a module
    that imported before and does not after (under its new name) is a
    break;
  * `python -m compileall` succeeds;
  * pyright (1.1.390, the issue's judge) finds no more unresolved imports
    in the package and its tests than before.

Reports per project and tool: moves applied, refused, and breaking; and for
moves both applied, whether the two trees are equal, file by file.

    python3 bench/refactor/module_moves.py [--pyloom BIN] [--samples N]
"""

import argparse
import filecmp
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import peers  # noqa: E402

# (sdist, the folder imports start from, the package, its tests' folder
# whose modules are imported too: Django's need settings to import)
PROJECTS = [
    ("requests==2.32.3", "src", "requests", "tests"),
    ("flask==3.1.0", "src", "flask", "tests"),
    ("Django==5.1.4", ".", "django", None),
]

IMPORT_ALL = r"""
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
sys.path[:0] = json.loads(sys.argv[3])
ok = []
for name in json.loads(sys.argv[2]):
    try:
        importlib.import_module(name)
        ok.append(name)
    except BaseException:
        pass
print(json.dumps(ok))
"""


def modules(base, package):
    out = []
    for path in sorted((base / package).rglob("*.py")):
        rel = path.relative_to(base).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append(".".join(parts))
    return out


def test_modules(tree, tests):
    """The tests' modules and the folder they import from."""
    if tests is None or not (tree / tests).is_dir():
        return [], []
    if (tree / tests / "__init__.py").exists():
        return [".".join(p.relative_to(tree).with_suffix("").parts) for p in sorted((tree / tests).glob("*.py")) if p.stem != "__init__"], [tree]
    return [p.stem for p in sorted((tree / tests).glob("*.py"))], [tree / tests]


def importable(paths, names):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL, "", json.dumps(names), json.dumps([str(p) for p in paths])], capture_output=True, text=True, timeout=900, env=env, cwd=paths[0])
    return set(json.loads(done.stdout or "[]"))


def broken(before_ok, after_ok, old, new):
    def renamed(name):
        if name == old or name.startswith(old + "."):
            return new + name[len(old):]
        return name

    return sorted(name for name in before_ok if renamed(name) not in after_ok)


def run_pyloom(binary, root, source, dest):
    done = subprocess.run([str(binary), "refactor", "rename-module", str(source), str(dest), "--apply", "--root", str(root)], capture_output=True, text=True, cwd=root, timeout=900)
    return done.returncode == 0, done.stderr.strip().splitlines()[-1:] if done.returncode else []


def run_rope(root, base, source, dest):
    from rope.base.project import Project
    from rope.refactor.move import MoveModule
    from rope.refactor.rename import Rename

    project = Project(str(root), ropefolder=None)
    try:
        resource = project.get_resource(str(source.relative_to(root)))
        if source.parent == dest.parent:
            changes = Rename(project, resource).get_changes(dest.stem)
        else:
            folder = project.get_resource(str(dest.parent.relative_to(root)))
            changes = MoveModule(project, resource).get_changes(folder)
        project.do(changes)
        return True, []
    except Exception as error:  # rope refuses by raising
        return False, [f"{type(error).__name__}: {error}"[:160]]
    finally:
        project.close()


def differing(a, b):
    out = []
    for path in sorted(a.rglob("*.py")):
        other = b / path.relative_to(a)
        if not other.exists() or not filecmp.cmp(path, other, shallow=False):
            out.append(str(path.relative_to(a)))
    return out


def project(spec, start, package, tests):
    """The extracted tree, its tests' import folders, the modules to import
    (the package's and its tests'), those that import as it is, and the
    package's files other than `__init__.py`."""
    tree = peers.ensure_tree(spec)
    tested, test_paths = test_modules(tree, tests)
    names = modules(tree / start, package) + tested
    before_ok = importable([tree / start, *test_paths], names)
    files = [p for p in sorted((tree / start / package).rglob("*.py")) if p.name != "__init__.py"]
    return tree, test_paths, names, before_ok, files


def checked_paths(root, start, package, tests):
    """What pyright checks of a tree: the package and its tests."""
    return [root / start / package, *([root / tests] if tests and (root / tests).is_dir() else [])]


def judge(root, start, package, tests, unresolved_before):
    """compileall and pyright's unresolved imports of a tree after a move."""
    compiled = subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / start / package)], capture_output=True)
    unresolved = peers.pyright_unresolved_imports(root, checked_paths(root, start, package, tests))
    return {"compiles": compiled.returncode == 0, "new_unresolved_imports": unresolved - unresolved_before}


def summary(rows):
    """Per project and tool: moves applied, refused and breaking (an import
    lost, `compileall` failing, or the moved name not reachable); and how
    many trees are equal where both applied."""
    print()
    for package in dict.fromkeys(r["project"] for r in rows):
        mine = [r for r in rows if r["project"] == package]
        for tool in ("pyloom", "rope"):
            applied = [r for r in mine if r[tool]["applied"]]
            breaking = [r for r in applied if r[tool]["broken"] or not r[tool]["compiles"] or not r[tool].get("reachable", True)]
            pyright = [r for r in applied if r[tool]["new_unresolved_imports"] > 0]
            print(
                f"{package:10} {tool:7} moves {len(mine):3}  applied {len(applied):3}  refused {len(mine) - len(applied):3}  "
                f"breaking {len(breaking):3}  with new pyright unresolved imports {len(pyright):3}"
            )
        both = [r for r in mine if "differ" in r]
        equal = [r for r in both if not r["differ"]]
        print(f"{package:10} both applied {len(both)}, equal trees {len(equal)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pyloom")
    parser.add_argument("--samples", type=int, default=6)
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
        packages = sorted({p.parent for p in (tree / start / package).rglob("__init__.py")})
        for source in rng.sample(files, min(args.samples, len(files))):
            # Another package of the project, or the top level beside it.
            others = [p for p in packages if p != source.parent] or [tree / start]
            for kind, dest_dir in (("rename", source.parent), ("move", rng.choice(others))):
                rel_source = source.relative_to(tree)
                dest = dest_dir.relative_to(tree) / (source.stem + "_moved.py")
                old = ".".join(source.relative_to(tree / start).with_suffix("").parts)
                new = ".".join((tree / dest).relative_to(tree / start).with_suffix("").parts)
                results = {}
                with tempfile.TemporaryDirectory() as scratch:
                    for tool in ("pyloom", "rope"):
                        root = Path(scratch) / tool / tree.name
                        shutil.copytree(tree, root)
                        if tool == "pyloom":
                            applied, why = run_pyloom(binary, root, root / rel_source, root / dest)
                        else:
                            applied, why = run_rope(root, root / start, root / rel_source, root / dest)
                        result = {"applied": applied, "why": why}
                        if applied:
                            moved_paths = [root / p.relative_to(tree) for p in test_paths]
                            after_ok = importable([root / start, *moved_paths], [n if n != old else new for n in names])
                            result["broken"] = broken(before_ok, after_ok, old, new)
                            result.update(judge(root, start, package, tests, unresolved_before))
                        results[tool] = result
                    if results["pyloom"]["applied"] and results["rope"]["applied"]:
                        results["differ"] = differing(Path(scratch) / "pyloom" / tree.name, Path(scratch) / "rope" / tree.name)
                row = {"project": package, "kind": kind, "old": old, "new": new, **results}
                rows.append(row)
                print(json.dumps(row), flush=True)
    summary(rows)


if __name__ == "__main__":
    main()
