#!/usr/bin/env python3
"""pyloom's `textDocument/rename` against pyright 1.1.390's, side by side
over LSP on stdio, on Django 5.1.4, Flask 3.1.0 and Requests 2.32.3.

    python3 bench/ide/rename_compare.py [--pyloom BIN] [--projects a,b]
        [--samples N] [--seed S] [--dump rename.json]

Classes, functions and methods (not dunders) of each project's library
files are sampled with a fixed seed. At each one's name both servers get
`textDocument/prepareRename` (when they advertise it) and `textDocument/
rename` to `<name>_renamed`; nothing is written to disk. An edit is its
file, range and new text. A sample agrees when both servers return exactly
the same set of edits, or both refuse. Only edits in the library files are
compared (Flask's pyright settings include only `src/flask`); edits
elsewhere are counted apart. Every difference goes to `--dump`.

When pyloom does not advertise `renameProvider` the bench says so and
measures pyright alone.
"""

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers import (
    PYRIGHT_VERSION,
    definitions,
    ensure_tree,
    fmt,
    library_files,
    normalized,
    path_of,
    percentile,
    pyloom_binary,
    start_pyloom,
    start_pyright,
)

PROJECTS = ["Django==5.1.4", "Flask==3.1.0", "requests==2.32.3"]
SUFFIX = "_renamed"


def sample(root, count, seed):
    candidates = [
        {"file": str(rel), "line": line, "character": character, "name": name, "kind": kind, "container": container}
        for rel in library_files(root)
        for line, character, name, kind, container in definitions(root, rel)
        if not (name.startswith("__") and name.endswith("__"))  # nobody renames a dunder
    ]
    return random.Random(seed).sample(candidates, min(count, len(candidates))), len(candidates)


def edits_of(workspace_edit, root):
    """The edits of a WorkspaceEdit as (file, start line, start character,
    end line, end character, new text); file operations as ("<op>", kind)."""
    edits = []
    for uri, changes in (workspace_edit.get("changes") or {}).items():
        edits += [_edit(uri, e, root) for e in changes]
    for change in workspace_edit.get("documentChanges") or []:
        if "kind" in change:
            edits.append(("<op>", change["kind"], 0, 0, 0, json.dumps(change)))
        else:
            edits += [_edit(change["textDocument"]["uri"], e, root) for e in change["edits"]]
    return edits


def _edit(uri, edit, root):
    r = edit["range"]
    return (path_of(uri, root) or uri, r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"], edit["newText"])


class Renamer:
    def __init__(self, name, client, caps, root):
        self.name, self.client, self.root = name, client, root
        provider = caps.get("renameProvider")
        self.advertised = bool(provider)
        self.prepares = isinstance(provider, dict) and bool(provider.get("prepareProvider"))
        self.times = {"prepareRename": [], "rename": []}

    def rename(self, s):
        """(edits or None, refusal message or None)."""
        params = {"textDocument": {"uri": (self.root / s["file"]).as_uri()},
                  "position": {"line": s["line"], "character": s["character"]}}
        try:
            if self.prepares:
                prepared, ms = self.client.timed_request("textDocument/prepareRename", params)
                self.times["prepareRename"].append(ms)
                if prepared is None:
                    return None, "prepareRename: null"
            result, ms = self.client.timed_request("textDocument/rename", {**params, "newName": s["name"] + SUFFIX})
            self.times["rename"].append(ms)
        except RuntimeError as error:
            return None, str(error)
        if result is None:
            return None, "rename: null"
        return edits_of(result, self.root), None


def run_project(spec, pyloom, count, seed, dump):
    root = ensure_tree(spec)
    samples, candidates = sample(root, count, seed)
    scope = {str(rel) for rel in library_files(root)}
    print(f"{root.name}: {len(samples)} of {candidates} classes, functions and methods", file=sys.stderr)
    loom_client, loom_caps = start_pyloom(pyloom, root)
    pyright_client, pyright_caps = start_pyright(root)
    servers = {"pyloom": Renamer("pyloom", loom_client, loom_caps, root), "pyright": Renamer("pyright", pyright_client, pyright_caps, root)}
    active = [name for name, server in servers.items() if server.advertised]
    lines = {}

    def text(path, line):
        if path not in lines:
            lines[path] = (root / path).read_text(encoding="utf-8", errors="replace").splitlines() if path in scope else []
        return lines[path][line].strip() if line < len(lines[path]) else ""

    t = Counter()
    for i, s in enumerate(samples):
        if i and i % 25 == 0:
            print(f"  {i}/{len(samples)}", file=sys.stderr)
        order = active if i % 2 == 0 else active[::-1]
        answers = {name: servers[name].rename(s) for name in order}
        inside = {}
        for name, (edits, _) in answers.items():
            if edits is not None:
                inside[name] = {e for e in edits if e[0] in scope}
                t[f"{name}_outside"] += len(edits) - len(inside[name])
            t[f"{name}_refused"] += edits is None
        if len(answers) < 2:
            continue
        (loom_edits, loom_why), (pyright_edits, pyright_why) = answers["pyloom"], answers["pyright"]
        if loom_edits is None and pyright_edits is None:
            t["both_refuse"] += 1
            continue
        if loom_edits is None or pyright_edits is None:
            t["one_refuses"] += 1
            dump.append({"project": root.name, "sample": s, "pyloom_refusal": loom_why, "pyright_refusal": pyright_why,
                         "pyloom_edits": len(inside.get("pyloom", ())), "pyright_edits": len(inside.get("pyright", ()))})
            continue
        a, b = inside["pyloom"], inside["pyright"]
        t["both_edit"] += 1
        t["exact"] += a == b
        t["pyright_edits"] += len(b)
        t["pyloom_edits"] += len(a)
        t["matched"] += len(a & b)
        if a != b:
            dump.append({"project": root.name, "sample": s,
                         "misses": [list(e) + [text(e[0], e[1])] for e in sorted(b - a)],
                         "extras": [list(e) + [text(e[0], e[1])] for e in sorted(a - b)]})
    rss = {name: server.client.peak_rss_mb() for name, server in servers.items()}
    for server in servers.values():
        server.client.close()
    return {"project": root.name, "samples": len(samples), "totals": dict(t), "pyloom_advertises": servers["pyloom"].advertised,
            "latency_ms": {name: {req: {"n": len(ts), "median": percentile(ts, 0.5), "p95": percentile(ts, 0.95)}
                                  for req, ts in server.times.items()} for name, server in servers.items()},
            "peak_rss_mb": rss}


def print_tables(results):
    print("\n| project | samples | agree (exact or both refuse) | one refuses | edit recall / precision | "
          "rename ms median/p95 pyloom vs pyright | refused pyloom / pyright | edits outside library pyloom / pyright |")
    print("| --- | ---: | --- | ---: | --- | --- | --- | --- |")
    for r in results:
        t = r["totals"]
        lat = r["latency_ms"]
        pyright_ms = f"{fmt(lat['pyright']['rename']['median'], 1)}/{fmt(lat['pyright']['rename']['p95'], 1)}"
        if not r["pyloom_advertises"]:
            print(f"| {r['project']} | {r['samples']} | pyloom does not advertise renameProvider | - | - | - vs {pyright_ms} | "
                  f"- / {t.get('pyright_refused', 0)} | - / {t.get('pyright_outside', 0)} |")
            continue
        agree = t.get("exact", 0) + t.get("both_refuse", 0)
        recall = t["matched"] / t["pyright_edits"] if t.get("pyright_edits") else None
        precision = t["matched"] / t["pyloom_edits"] if t.get("pyloom_edits") else None
        print(f"| {r['project']} | {r['samples']} | {agree}/{r['samples']} ({100 * agree / max(r['samples'], 1):.1f}%) | "
              f"{t.get('one_refuses', 0)} | {fmt(recall)} / {fmt(precision)} | "
              f"{fmt(lat['pyloom']['rename']['median'], 2)}/{fmt(lat['pyloom']['rename']['p95'], 2)} vs {pyright_ms} | "
              f"{t.get('pyloom_refused', 0)} / {t.get('pyright_refused', 0)} | {t.get('pyloom_outside', 0)} / {t.get('pyright_outside', 0)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyloom", help="the pyloom binary (default: the release build in $CARGO_TARGET_DIR or target/)")
    parser.add_argument("--projects", help="comma-separated names (default: all)")
    parser.add_argument("--samples", type=int, default=100, help="classes, functions and methods per project")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--dump", help="write every difference here (JSON)")
    args = parser.parse_args()
    pyloom = pyloom_binary(args.pyloom)
    wanted = {normalized(p) for p in args.projects.split(",")} if args.projects else None
    dump, results = [], []
    for spec in PROJECTS:
        if wanted is None or normalized(spec.split("==")[0]) in wanted:
            results.append(run_project(spec, pyloom, args.samples, args.seed, dump))
    load = os.getloadavg()
    print(f"\npyloom {pyloom}, pyright {PYRIGHT_VERSION}; load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print_tables(results)
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, indent=1))


if __name__ == "__main__":
    main()
