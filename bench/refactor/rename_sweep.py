#!/usr/bin/env python3
"""Two pyloom builds' `textDocument/rename` side by side on real projects:
which renames one applies and the other refuses, and where both apply,
whether the edits are the same.

    python3 bench/refactor/rename_sweep.py --old BIN --new BIN
        [--projects schedule==1.2.2,...] [--samples N] [--seed S] [--dump out.json]

Every name a project's library files bind (`def`, `class`, parameters,
assignment and loop targets, imported names) and every name they read is
a candidate; a fixed-seed sample of them is renamed to `<name>_rn` by both
builds (nothing is written). A change of rename's rules shows as the
samples one build applies and the other refuses, each dumped with both
answers for reading one by one.
"""

import argparse
import ast
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ide"))
from peers import ensure_tree, library_files, parsed, start_pyloom, utf16_len  # noqa: E402
from rename_compare import Renamer  # noqa: E402

PROJECTS = ["schedule==1.2.2", "more-itertools==10.5.0", "sqlparse==0.5.3", "tomlkit==0.13.2", "packaging==24.2"]


def names(root, rel):
    """(line, UTF-16 column, name) of each name bound or read in a file."""
    tree, lines = parsed(root, rel)
    if tree is None:
        return

    def at(line, byte_col, name):
        raw = lines[line - 1].encode("utf-8")
        start = raw.find(name.encode("utf-8"), byte_col)
        if start < 0:
            return None
        return line - 1, utf16_len(raw[:start].decode("utf-8", errors="replace")), name

    for node in ast.walk(tree):
        found = None
        if isinstance(node, ast.Name) and not (node.id.startswith("__") and node.id.endswith("__")):
            found = at(node.lineno, node.col_offset, node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("__"):
            found = at(node.lineno, node.col_offset, node.name)
        elif isinstance(node, ast.arg) and node.arg not in ("self", "cls"):
            found = at(node.lineno, node.col_offset, node.arg)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    bound = alias.asname or alias.name
                    item = at(alias.lineno, alias.col_offset, bound) if hasattr(alias, "lineno") else None
                    if item:
                        yield item
        if found:
            yield found


def flow_names(root, rel):
    """The names of a file whose binding flow rename checks: bound at
    module level by an import and by something else, deleted, declared
    `global`, and every module-level name of a file with a star import."""
    tree, _ = parsed(root, rel)
    if tree is None:
        return set()
    imported, other, found = set(), set(), set()
    star = False

    def top_level(body):
        nonlocal star
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    star |= alias.name == "*"
                    imported.add((alias.asname or alias.name).split(".")[0])
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                other.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                other.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    top_level(inner)

    top_level(tree.body)
    found |= imported & other
    if star:
        found |= imported | other
    for node in ast.walk(tree):
        if isinstance(node, ast.Delete):
            found.update(n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Global):
            found.update(node.names)
    return found


def run_project(spec, old, new, count, seed, dump, flow=False):
    root = ensure_tree(spec)
    candidates = []
    for rel in library_files(root):
        wanted = flow_names(root, rel) if flow else None
        candidates += [{"file": str(rel), "line": line, "character": character, "name": name}
                       for line, character, name in names(root, rel) if wanted is None or name in wanted]
    samples = random.Random(seed).sample(candidates, min(count, len(candidates)))
    print(f"{root.name}: {len(samples)} of {len(candidates)} names", file=sys.stderr)
    servers = {}
    for label, binary in (("old", old), ("new", new)):
        client, caps = start_pyloom(binary, root)
        servers[label] = Renamer(label, client, caps, root)
    totals = Counter()
    for s in samples:
        (old_edits, old_why), (new_edits, new_why) = servers["old"].rename(s), servers["new"].rename(s)
        if old_edits is not None and new_edits is not None:
            same = sorted(old_edits) == sorted(new_edits)
            totals["both apply, same edits" if same else "both apply, edits differ"] += 1
            if not same:
                dump.append({"project": root.name, "sample": s, "old_edits": sorted(old_edits), "new_edits": sorted(new_edits)})
        elif old_edits is None and new_edits is None:
            totals["both refuse"] += 1
        elif new_edits is None:
            totals["old applies, new refuses"] += 1
            dump.append({"project": root.name, "sample": s, "new_refusal": new_why, "old_edits": sorted(old_edits)})
        else:
            totals["old refuses, new applies"] += 1
            dump.append({"project": root.name, "sample": s, "old_refusal": old_why, "new_edits": sorted(new_edits)})
    for server in servers.values():
        server.client.close()
    return root.name, len(samples), totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", required=True)
    parser.add_argument("--projects", help="comma-separated name==version (default: the five above)")
    parser.add_argument("--samples", type=int, default=150)
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--dump", help="write every difference here (JSON)")
    parser.add_argument("--flow", action="store_true", help="only names whose binding flow rename checks (see flow_names)")
    args = parser.parse_args()
    dump = []
    print("| project | samples | both apply, same edits | both apply, edits differ | both refuse | old applies, new refuses | old refuses, new applies |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for spec in args.projects.split(",") if args.projects else PROJECTS:
        name, samples, t = run_project(spec, args.old, args.new, args.samples, args.seed, dump, args.flow)
        keys = ["both apply, same edits", "both apply, edits differ", "both refuse", "old applies, new refuses", "old refuses, new applies"]
        print(f"| {name} | {samples} | " + " | ".join(str(t.get(k, 0)) for k in keys) + " |", flush=True)
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, indent=1))


if __name__ == "__main__":
    main()
