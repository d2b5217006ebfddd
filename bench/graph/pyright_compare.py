#!/usr/bin/env python3
"""pyloom's call hierarchy and references against pyright 1.1.390, side by
side over LSP on stdio, on real projects downloaded as sdists.

    python3 bench/graph/pyright_compare.py [--pyloom BIN] [--projects a,b]
        [--samples N] [--seed S] [--dump misses.json]

For each project both servers index the whole extracted sdist. Functions
and methods (module level and class bodies, not nested in functions) of
the project's own sources are sampled with a fixed seed; at each one's name
both servers get `callHierarchy/prepare`, then `incomingCalls` and
`outgoingCalls` on the item they returned, and `textDocument/references`
(declaration included). Requests alternate between the servers sample by
sample, so load changes hit both alike.

pyright's answer is the reference. A site repeated in one server's answer
counts once (pyright 1.1.390 lists each incoming range twice). A call
site (or reference) matches when
it is in the same file at the same start position; what is left is paired
by file and start line. Outgoing calls also need the same callee name (a
constructor call is one whether named for the class or its `__init__`), and
only callees inside the project count (pyloom leaves out callees outside
the workspace; pyright's stdlib/typeshed targets are dropped). Recall is
matched / pyright's; precision is matched / pyloom's, raw and "adjusted":
the adjusted figure leaves out pyloom-only results in categories where
pyright cannot have answered (bench/graph/README.md says how they were
found by hand):
  platform     in a module that refuses to load off Windows (module-level
               `assert sys.platform == "win32"` or `if sys.platform ...:
               else: raise`), the sample's or the site's: pyright reads it
               as unreachable on this machine;
  stub         incoming calls and references of a function whose module
               has a `.pyi` beside it: pyright binds its uses to the stub;
  decorator    the site is a decorator line (`@pass_context`): applying a
               decorator calls it, pyright counts only call expressions;
  constructor  incoming calls of `__init__`/`__new__` at `Cls(...)`:
               pyright does not count constructor calls as calls of
               `__init__` (outgoing calls match them either way);
  alias        in incoming calls and references, the identifier at the
               site is another name (`from m import f as g; g()`): pyright
               follows names, not aliases.
Counted but NOT left out: constructor-reference, `Cls(...)` among the
references of `__init__` (a reference to the class name, not to
`__init__`: a rename built on it would rewrite the class name).
Every miss and extra goes to the `--dump` file with its source line.

Setup is idempotent: pyright with npm into target/tools/pyright-1.1.390,
sdists with `pip download --no-deps --no-binary :all:` into
$PYLOOM_BENCH_CACHE (default ~/.cache/pyloom-bench).
"""

import argparse
import ast
import json
import os
import random
import re
import sys
import time
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
    utf16_len,
)

# Declared before any result was seen (2026-11-22 14:15 UTC). TUNING
# projects may be read by whoever tunes inference; HELD-OUT ones must not be
# looked at for tuning: they are the goal's judge.
PROJECTS = [
    ("Jinja2==3.1.4", "tuning"),
    ("click==8.1.7", "tuning"),
    ("attrs==24.2.0", "tuning"),
    ("rich==13.9.4", "tuning"),
    ("httpx==0.28.1", "held-out"),
    ("black==24.10.0", "held-out"),
    ("marshmallow==3.23.1", "held-out"),
    ("tomlkit==0.13.2", "held-out"),
]

CLASS_KIND = 5  # LSP SymbolKind.Class
REQUESTS = ("prepare", "incoming", "outgoing", "references")
SCORED = ("incoming", "outgoing", "references")


# --- sampling --------------------------------------------------------------

def sample(root, count, seed):
    candidates = [
        {"file": str(rel), "line": line, "character": character, "name": name, "kind": kind, "container": container}
        for rel in library_files(root)
        for line, character, name, kind, container in definitions(root, rel)
        if kind != "class"
    ]
    chosen = random.Random(seed).sample(candidates, min(count, len(candidates)))
    return chosen, len(candidates)


def site(path, rng, target=None):
    start, end = rng["start"], rng["end"]
    return {"file": path, "line": start["line"], "character": start["character"],
            "end_line": end["line"], "end_character": end["character"], "target": target}


def callee(item):
    """The name an outgoing call is matched by. A constructor call is one
    whether the server names the class (pyright) or its `__init__` or
    `__new__` (pyloom)."""
    if item["kind"] == CLASS_KIND or item["name"] in ("__init__", "__new__"):
        return "<constructor>"
    return item["name"]


class Session:
    """One server on one project: asks the four requests at a sample."""

    def __init__(self, name, client, root):
        self.name, self.client, self.root = name, client, root
        self.times = {r: [] for r in REQUESTS}
        self.errors = Counter()
        self.repeats = Counter()

    def ask(self, request, method, params):
        try:
            result, ms = self.client.timed_request(method, params)
        except RuntimeError as error:
            self.errors[request] += 1
            print(f"  {self.name} {method}: {error}", file=sys.stderr)
            return None
        self.times[request].append(ms)
        return result

    def query(self, s):
        document = {"uri": (self.root / s["file"]).as_uri()}
        position = {"line": s["line"], "character": s["character"]}
        out = {}
        items = self.ask("prepare", "textDocument/prepareCallHierarchy", {"textDocument": document, "position": position}) or []
        item = items[0] if items else None
        out["prepared"] = item is not None
        incoming, outgoing = [], []
        if item is not None:
            for call in self.ask("incoming", "callHierarchy/incomingCalls", {"item": item}) or []:
                path = path_of(call["from"]["uri"], self.root)
                if path is not None:
                    incoming += [site(path, r) for r in call["fromRanges"]]
            own = path_of(item["uri"], self.root)
            for call in self.ask("outgoing", "callHierarchy/outgoingCalls", {"item": item}) or []:
                target = path_of(call["to"]["uri"], self.root)
                if target is not None:  # callees outside the project are not scored
                    outgoing += [site(own, r, callee(call["to"])) for r in call["fromRanges"]]
        out["incoming"], out["outgoing"] = incoming, outgoing
        references = self.ask("references", "textDocument/references",
                              {"textDocument": document, "position": position, "context": {"includeDeclaration": True}}) or []
        out["references"] = [site(p, loc["range"]) for loc in references if (p := path_of(loc["uri"], self.root)) is not None]
        for request in SCORED:
            out[request] = self.distinct(request, out[request])
        return out

    def distinct(self, request, sites):
        """The sites without repeats of the same range (and callee).
        pyright 1.1.390 lists every range of an incoming call twice in
        `fromRanges`; counted as is, each would be a second site that pyloom
        can never match, halving the recall."""
        seen, kept = set(), []
        for s in sites:
            key = tuple(s.values())
            if key in seen:
                self.repeats[request] += 1
            else:
                seen.add(key)
                kept.append(s)
        return kept


# --- scoring ---------------------------------------------------------------

def match(expected, found):
    """Pairs sites: same file, start and target first, then same file, line
    and target. Returns (matched count, unmatched expected, unmatched found)."""
    def pair(left, right, key):
        pool = {}
        for i, s in enumerate(right):
            pool.setdefault(key(s), []).append(i)
        rest_left, used = [], set()
        for s in left:
            candidates = pool.get(key(s))
            if candidates:
                used.add(candidates.pop())
            else:
                rest_left.append(s)
        return rest_left, [s for i, s in enumerate(right) if i not in used]

    misses, extras = pair(expected, found, lambda s: (s["file"], s["line"], s["character"], s["target"]))
    misses, extras = pair(misses, extras, lambda s: (s["file"], s["line"], s["target"]))
    return len(expected) - len(misses), misses, extras


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Sources:
    """Source lines of the project, read once, for the dump and the
    categories."""

    def __init__(self, root):
        self.root, self.files = root, {}

    def line(self, path, line):
        if path not in self.files:
            self.files[path] = (self.root / path).read_text(encoding="utf-8", errors="replace").splitlines()
        lines = self.files[path]
        return lines[line] if line < len(lines) else ""

    def identifier(self, s):
        """The identifier starting at a site (UTF-16 column)."""
        text = self.line(s["file"], s["line"])
        prefix, units = 0, 0
        while prefix < len(text) and units < s["character"]:
            units += utf16_len(text[prefix])
            prefix += 1
        found = IDENTIFIER.match(text, prefix)
        return found.group(0) if found else ""


def windows_only(root, rel):
    """Whether a module refuses to load off Windows: a module-level `assert
    sys.platform == "win32"`, or an `if` on `sys.platform` whose `else`
    raises. pyright evaluates such checks for this machine and reads the
    rest as unreachable, so it reports nothing there."""
    try:
        tree = ast.parse((root / rel).read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        return False
    for node in tree.body:
        test = node.test if isinstance(node, (ast.Assert, ast.If)) else None
        if test is None or "sys.platform" not in ast.unparse(test):
            continue
        if isinstance(node, ast.Assert) or any(isinstance(n, ast.Raise) for n in node.orelse):
            return True
    return False


# Categories of pyloom-only results, and whether they are left out of the
# adjusted precision (pyright cannot have reported them) or only counted.
EXCUSED = {"platform": True, "stub": True, "decorator": True, "alias": True,
           "constructor": True, "constructor-reference": False}


def category(request, s, extra, sources, has_stub, windows):
    """The category of a pyloom-only result, or None."""
    if windows(s["file"]) or windows(extra["file"]):
        return "platform"
    if has_stub and request != "outgoing":
        return "stub"
    if request != "references" and sources.line(extra["file"], extra["line"]).lstrip().startswith("@"):
        return "decorator"
    if request != "outgoing" and sources.identifier(extra) != s["name"]:
        if s["name"] in ("__init__", "__new__"):
            # `Cls(...)` as a call of `__init__`: a call (outgoing calls name
            # it either way) but not a reference to the name `__init__`.
            return "constructor" if request == "incoming" else "constructor-reference"
        return "alias"
    return None


# --- running ---------------------------------------------------------------

def run_project(spec, split, pyloom, count, seed, dump):
    root = ensure_tree(spec)
    samples, candidates = sample(root, count, seed)
    print(f"{root.name} ({split}): {len(samples)} of {candidates} functions and methods", file=sys.stderr)
    scope = {str(rel) for rel in library_files(root)}
    sources = Sources(root)
    stubs = {str(p.relative_to(root).with_suffix(".py")) for p in root.rglob("*.pyi")}
    platform_files = {rel for rel in scope if windows_only(root, rel)}
    windows = platform_files.__contains__
    started = time.perf_counter()
    loom_client, loom_caps = start_pyloom(pyloom, root)
    loom_index_s = time.perf_counter() - started
    pyright_client, _ = start_pyright(root)
    sessions = {"pyloom": Session("pyloom", loom_client, root), "pyright": Session("pyright", pyright_client, root)}
    advertised = {"callHierarchy": bool(loom_caps.get("callHierarchyProvider")), "references": bool(loom_caps.get("referencesProvider"))}
    if samples:
        # Untimed: pyright finishes setting up the workspace on its first request.
        for session in sessions.values():
            session.client.request("textDocument/prepareCallHierarchy", {
                "textDocument": {"uri": (root / samples[0]["file"]).as_uri()},
                "position": {"line": samples[0]["line"], "character": samples[0]["character"]}})
    totals = {r: Counter() for r in SCORED}
    prepared = Counter()
    for i, s in enumerate(samples):
        order = ["pyloom", "pyright"] if i % 2 == 0 else ["pyright", "pyloom"]
        answers = {name: sessions[name].query(s) for name in order}
        loom, pyright = answers["pyloom"], answers["pyright"]
        prepared["pyloom"] += loom["prepared"]
        prepared["pyright"] += pyright["prepared"]
        prepared["both"] += loom["prepared"] and pyright["prepared"]
        for request in SCORED:
            # Only sites in the library files count: some projects' pyright
            # settings include only the package, and pyloom indexes it all.
            expected = [e for e in pyright[request] if e["file"] in scope]
            found = [e for e in loom[request] if e["file"] in scope]
            matched, misses, extras = match(expected, found)
            t = totals[request]
            t["pyright"] += len(expected)
            t["pyloom"] += len(found)
            t["matched"] += matched
            for extra in extras:
                why = category(request, s, extra, sources, s["file"] in stubs, windows)
                extra["category"] = why
                if why is not None:
                    t[f"extra:{why}"] += 1
                    t["excused"] += EXCUSED[why]
            for entry in misses + extras:
                entry["text"] = sources.line(entry["file"], entry["line"]).strip()
            if misses or extras:
                dump.append({"project": root.name, "split": split, "request": request, "sample": s,
                             "pyright_count": len(expected), "pyloom_count": len(found),
                             "misses": misses, "extras": extras})
        if (i + 1) % 50 == 0:
            print(f"  {i + 1}/{len(samples)}", file=sys.stderr)
    rss = {name: session.client.peak_rss_mb() for name, session in sessions.items()}
    for session in sessions.values():
        session.client.close()
    return {
        "project": root.name, "split": split, "samples": len(samples), "candidates": candidates,
        "pyloom_index_s": loom_index_s, "pyloom_advertises": advertised, "prepared": dict(prepared),
        "totals": {r: dict(t) for r, t in totals.items()},
        "latency_ms": {name: {r: {"n": len(ts), "median": percentile(ts, 0.5), "p95": percentile(ts, 0.95)}
                              for r, ts in session.times.items()} for name, session in sessions.items()},
        "errors": {name: dict(session.errors) for name, session in sessions.items()},
        "repeats": {name: dict(session.repeats) for name, session in sessions.items()},
        "peak_rss_mb": rss,
    }


def scores(t):
    pyright, pyloom, matched, excused = t.get("pyright", 0), t.get("pyloom", 0), t.get("matched", 0), t.get("excused", 0)
    recall = matched / pyright if pyright else None
    precision = matched / pyloom if pyloom else None
    adjusted = matched / (pyloom - excused) if pyloom - excused else None
    return recall, precision, adjusted


def print_tables(results):
    print("\nAgreement with pyright (recall / raw precision / adjusted precision; counts pyright, pyloom, matched, excused):")
    print(f"| project | split | samples | {' | '.join(SCORED)} |")
    print("| --- | --- | ---: | " + " | ".join("---" for _ in SCORED) + " |")
    rows = list(results)
    for split in ("tuning", "held-out"):
        group = [r for r in results if r["split"] == split]
        if len(group) > 1:
            merged = {req: sum((Counter(r["totals"][req]) for r in group), Counter()) for req in SCORED}
            rows.append({"project": f"all {split}", "split": split, "samples": sum(r["samples"] for r in group), "totals": merged})
    for r in rows:
        cells = []
        for req in SCORED:
            t = r["totals"][req]
            recall, precision, adjusted = scores(t)
            cells.append(f"{fmt(recall)} / {fmt(precision)} / {fmt(adjusted)} ({t.get('pyright', 0)}, {t.get('pyloom', 0)}, {t.get('matched', 0)}, {t.get('excused', 0)})")
        print(f"| {r['project']} | {r['split']} | {r['samples']} | {' | '.join(cells)} |")

    print("\nLatency, ms, median / p95 (pyloom vs pyright), and peak RSS MB:")
    print(f"| project | {' | '.join(REQUESTS)} | RSS pyloom / pyright |")
    print("| --- | " + " | ".join("---" for _ in REQUESTS) + " | --- |")
    for r in results:
        cells = []
        for req in REQUESTS:
            a, b = r["latency_ms"]["pyloom"][req], r["latency_ms"]["pyright"][req]
            cells.append(f"{fmt(a['median'], 3)}/{fmt(a['p95'], 3)} vs {fmt(b['median'], 1)}/{fmt(b['p95'], 1)}")
        rss = r["peak_rss_mb"]
        print(f"| {r['project']} | {' | '.join(cells)} | {fmt(rss['pyloom'], 0)} / {fmt(rss['pyright'], 0)} |")
    print("\npyloom-only results by category (* = left out of the adjusted precision):")
    for r in results:
        cells = []
        for req in SCORED:
            found = {k.split(":", 1)[1]: v for k, v in r["totals"][req].items() if k.startswith("extra:")}
            cells.append(f"{req} " + (", ".join(f"{k}{'*' if EXCUSED[k] else ''} {v}" for k, v in sorted(found.items())) or "none"))
        print(f"  {r['project']}: {'; '.join(cells)}")
    for r in results:
        missing = [k for k, v in r["pyloom_advertises"].items() if not v]
        if missing:
            print(f"{r['project']}: pyloom does not advertise {', '.join(missing)}")
        repeats = {k: v for k, v in r["repeats"].items() if v}
        if repeats:
            print(f"{r['project']}: repeated sites dropped {repeats}")
        errors = {k: v for k, v in r["errors"].items() if v}
        if errors:
            print(f"{r['project']}: request errors {errors}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyloom", help="the pyloom binary (default: the release build in $CARGO_TARGET_DIR or target/)")
    parser.add_argument("--projects", help="comma-separated names (default: all)")
    parser.add_argument("--samples", type=int, default=300, help="functions and methods per project")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dump", help="write every miss and extra here (JSON)")
    parser.add_argument("--results", help="write the per-project figures here (JSON)")
    args = parser.parse_args()
    pyloom = pyloom_binary(args.pyloom)
    wanted = {normalized(p) for p in args.projects.split(",")} if args.projects else None
    projects = [(spec, split) for spec, split in PROJECTS if wanted is None or normalized(spec.split("==")[0]) in wanted]
    dump, results = [], []
    for spec, split in projects:
        results.append(run_project(spec, split, pyloom, args.samples, args.seed, dump))
    load = os.getloadavg()
    print(f"\npyloom {pyloom}, pyright {PYRIGHT_VERSION}; load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print_tables(results)
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, indent=1))
    if args.results:
        Path(args.results).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
