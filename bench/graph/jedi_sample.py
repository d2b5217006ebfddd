#!/usr/bin/env python3
"""Builds the go-to-definition sample pyloom is compared against: name
references drawn (deterministically) from each project's sources, each with
the definitions jedi finds inside the project.

    python3 jedi_sample.py TREES_DIR OUT.json [--per-project N]

TREES_DIR holds the extracted sdists (Django-5.1.4, flask-3.1.0,
requests-2.32.3). Only references jedi resolves inside the project are kept:
definitions in the stdlib or site-packages are out of scope for the graph.
"""

import argparse
import ast
import json
import random
import sys
from pathlib import Path

import jedi

PROJECTS = {"django": "Django-5.1.4", "flask": "flask-3.1.0", "requests": "requests-2.32.3"}
SOURCES = {"django": "django", "flask": "src/flask", "requests": "src/requests"}


def references(source):
    """(line, column) of every loaded name and attribute in `source`."""
    tree = ast.parse(source)
    lines = source.splitlines()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            out.append((node.lineno, node.col_offset))
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            line = lines[node.end_lineno - 1]
            col = node.end_col_offset - len(node.attr)
            if line[col:node.end_col_offset] == node.attr:
                out.append((node.end_lineno, col))
    # ast columns are UTF-8 bytes; keep ASCII lines so they are characters too.
    return sorted(p for p in set(out) if lines[p[0] - 1].isascii())


def sample(root, sources, count, per_file, rng):
    project = jedi.Project(root, added_sys_path=[str(root / "src")] if (root / "src").is_dir() else [])
    files = sorted(p for p in (root / sources).rglob("*.py") if "tests" not in p.parts)
    rng.shuffle(files)
    kept = []
    for path in files:
        if len(kept) >= count:
            break
        source = path.read_text(encoding="utf-8")
        try:
            candidates = references(source)
        except SyntaxError:
            continue
        script = jedi.Script(source, path=str(path), project=project)
        for line, column in rng.sample(candidates, min(per_file, len(candidates))):
            try:
                names = script.goto(line, column, follow_imports=True)
            except Exception as error:  # jedi has its own bugs; skip them
                print(f"jedi failed at {path}:{line}:{column}: {error}", file=sys.stderr)
                continue
            targets = []
            for name in names:
                if name.module_path is None or not Path(name.module_path).is_relative_to(root):
                    continue
                if name.line is None and name.type != "module":
                    continue  # no position to compare with (`__name__` and such)
                relative = str(Path(name.module_path).relative_to(root))
                targets.append([relative, name.line, name.column, name.type])
            if targets:
                kept.append({"file": str(path.relative_to(root)), "line": line, "column": column, "targets": targets})
    return kept[:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-project", type=int, default=200)
    parser.add_argument("--per-file", type=int, default=4, help="references drawn from each file")
    args = parser.parse_args()
    rng = random.Random(20261122)
    result = {"jedi": jedi.__version__, "projects": {}}
    for name, folder in PROJECTS.items():
        root = (args.trees / folder).resolve()
        result["projects"][name] = {"tree": folder, "samples": sample(root, SOURCES[name], args.per_project, args.per_file, rng)}
        print(f"{name}: {len(result['projects'][name]['samples'])} samples", file=sys.stderr)
    args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
