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
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lsp_stdio import LspClient  # noqa: E402
from peers import ensure_tree, fmt, library_files, percentile, pyloom_binary, scratch_dir, utf16_len  # noqa: E402

TUNING = ["jinja2==3.1.4", "click==8.1.7"]
HELD_OUT = ["httpx==0.28.1", "marshmallow==3.23.1", "tomlkit==0.13.2"]

# Keywords, builtins, and the methods of builtin types (`get`, `items`,
# `add`, `__class__`): a workspace that defines a `get` somewhere does not
# make `d.get(...)` a use of it.
BUILTIN_METHODS = {name for kind in (object, dict, list, set, str, bytes, tuple, int) for name in dir(kind)}
IGNORED = set(keyword.kwlist) | set(dir(builtins)) | BUILTIN_METHODS | {"self", "cls"}


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
    return out, float(took.group(1)) if took else None


def baseline_context(binary, root, rel, budget):
    text = "".join(f"# {p.as_posix()}\n{(root / p).read_text(encoding='utf-8', errors='replace')}\n" for p in imported_files(root, rel))
    out, _ = run(binary, ["tokens", "--fit", str(budget)], stdin=text, cwd=root)
    return out


class Provider:
    """An OpenAI-compatible `/completions` endpoint on 127.0.0.1 that keeps
    the last request and answers at once with an empty completion (the
    model's answer does not matter here), timing its own share."""

    def __init__(self):
        provider = self
        self.last = None
        self.seconds = 0.0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                start = time.perf_counter()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                provider.last = json.loads(body or b"{}")
                answer = json.dumps({"choices": [{"index": 0, "text": "", "finish_reason": "stop"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                provider.seconds += time.perf_counter() - start

            def log_message(self, *_):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


class Server:
    """`pyloom serve` on the project with completion pointed at `Provider`:
    the prompt is the one the server really sends."""

    def __init__(self, binary, root, provider):
        scratch = Path(scratch_dir("pyloom-ghost-bench-"))
        # The server logs its own timings of each request at debug level.
        env = dict(os.environ, PYLOOM_CACHE_DIR=str(scratch / "cache"), PYLOOM_LOG="error,pyloom::lsp::inline_completion=debug")
        self.log = scratch / "server.log"
        self.client = LspClient([str(binary), "serve", "--log-file", str(self.log)], env=env)
        self.read = 0
        self.provider = provider
        self.root = root
        uri = root.as_uri()
        self.client.request("initialize", {
            "processId": os.getpid(), "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": root.name}],
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": self.settings(2000),
        })
        self.client.notify("initialized", {})
        self.client.wait_for("window/logMessage", lambda p: p.get("message", "").startswith("pyloom: indexed"))
        self.current = 2000

    def settings(self, budget):
        return {"completion": {"provider": "openai", "model": "qwen2.5-coder:1.5b", "base_url": self.provider.url,
                               "stream": False, "context_budget": budget}}

    def budget(self, budget):
        self.current = budget
        self.client.notify("workspace/didChangeConfiguration", {"settings": {"pyloom": self.settings(budget)}})

    def timings(self):
        """The server's log line of the last request: its `prepare_ms`
        (context and prompt) and `server_ms` (everything but the model)."""
        with open(self.log, encoding="utf-8", errors="replace") as log:
            log.seek(self.read)
            new = log.read()
            self.read = log.tell()
        found = [dict(re.findall(r"(\w+_ms)=([\d.]+)", line)) for line in new.splitlines() if "inline completion timings" in line]
        return {k: float(v) for k, v in found[-1].items()} if found else {}

    def prompt(self, rel, text, line, column):
        """The prompt sent for the cursor, the whole request's wall time less
        the provider's in milliseconds, and the server's own timings."""
        uri = (self.root / rel).as_uri()
        self.client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        character = utf16_len(text.splitlines()[line - 1][: column - 1])
        params = {"textDocument": {"uri": uri}, "position": {"line": line - 1, "character": character}, "context": {"triggerKind": 1}}
        # The first request comes right after the edit, as while typing: it
        # is the one timed. The graph may still be re-linking other files
        # then, so the prompt is taken from a second request.
        self.provider.seconds = 0.0
        _, total_ms = self.client.timed_request("textDocument/inlineCompletion", params)
        wall, timings = total_ms - self.provider.seconds * 1000, self.timings()
        self.provider.last = None
        self.client.request("textDocument/inlineCompletion", params)
        body = self.provider.last or {}
        prompt = body.get("prompt", "") + "\n" + body.get("suffix", "")
        return prompt, wall, timings

    def restore(self, rel, original):
        """Puts the file back as it is on disk (where it was restored
        already: closing re-reads it) and waits for the graph to hold it."""
        uri = (self.root / rel).as_uri()
        change = {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": original}]}
        self.client.notify("textDocument/didChange", change)
        # A hover waits for the graph to hold the text it is asked about.
        self.client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def close(self):
        self.client.close()


def current_file_part(prompt):
    """The current file's part of a repository-level prompt (after the
    last file separator): what the baseline keeps."""
    for separator in ("<|file_sep|>", "<file_sep>"):
        if separator in prompt:
            return prompt[prompt.rindex(separator):]
    return prompt


def measure(binary, spec, args):
    tree = ensure_tree(spec)
    work = Path(tempfile.mkdtemp(prefix="pyloom-ghost-bench-")) / tree.name
    shutil.copytree(tree, work)
    root = work.resolve()
    files = list(library_files(root))
    defined = workspace_names(root, files)
    rng = random.Random(f"{args.seed}:{spec}")
    picked = samples(root, files, defined, args.samples, args.lines, rng)
    results = {b: {"graph": [0, 0], "base": [0, 0], "graph_x": [0, 0], "base_x": [0, 0], "times": [], "prepare": [], "wall": []} for b in args.budgets}
    server = Server(binary, root, Provider()) if args.via == "lsp" else None
    # Budget by budget, so the server's settings change once per budget.
    for budget, (rel, original, written, line, column, targets) in ((b, p) for b in args.budgets for p in picked):
        if server and server.current != budget:
            server.budget(budget)
        own = workspace_names(root, [rel])
        (root / rel).write_text(written, encoding="utf-8")
        try:
            r = results[budget]
            base = baseline_context(binary, root, rel, budget)
            if server:
                prompt, wall, timings = server.prompt(rel, written, line, column)
                graph_prompt, base_prompt = prompt, base + current_file_part(prompt)
                took = timings.get("server_ms")
                r["prepare"].append(timings.get("prepare_ms"))
                r["wall"].append(wall)
            else:
                context, took = graph_context(binary, root, rel, line, column, budget)
                graph_prompt, base_prompt = context + written, base + written
            r["times"].append(took)
            if args.dump:
                missed = [n for n in targets if not covered(n, graph_prompt)]
                args.dump.write(json.dumps({"project": spec, "file": rel.as_posix(), "line": line, "budget": budget, "targets": targets, "missed": missed, "base_missed": [n for n in targets if not covered(n, base_prompt)], "prompt": graph_prompt if missed else None}) + "\n")
            for name in targets:
                for key, prompt in (("graph", graph_prompt), ("base", base_prompt)):
                    hit = covered(name, prompt)
                    r[key][0] += hit
                    r[key][1] += 1
                    if name not in own:
                        r[key + "_x"][0] += hit
                        r[key + "_x"][1] += 1
        finally:
            (root / rel).write_text(original, encoding="utf-8")
            if server:
                server.restore(rel, original)
    if server:
        server.close()
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
    parser.add_argument("--via", choices=["lsp", "cli"], default="lsp", help="the server's real prompt over stdio (default), or the CLI's context")
    parser.add_argument("--dump", type=argparse.FileType("w"), help="write each sample's targets and misses here (JSON lines)")
    args = parser.parse_args()
    args.budgets = [int(b) for b in args.budgets.split(",")]
    binary = pyloom_binary(args.pyloom)
    groups = {"tuning": TUNING, "held-out": HELD_OUT, "all": TUNING + HELD_OUT}
    specs = groups.get(args.projects) or args.projects.split(",")
    # lsp: `server` is the server's own share of a request (its log's
    # server_ms: everything but waiting on the model), `prepare` its context
    # and prompt, `wall` the request's wall time less the provider's;
    # cli: `server` is the context's assembly alone.
    print(f"{'project':<20} {'set':<9} {'n':>3} {'budget':>6}  {'graph':>6} {'base':>6}  {'graph-x':>7} {'base-x':>6}  "
          f"{'server p50':>10} {'p95':>7}  {'prepare p95':>11}  {'wall p95':>8}")
    totals = {}
    for spec in specs:
        kind = "tuning" if spec in TUNING else "held-out" if spec in HELD_OUT else "other"
        n, results = measure(binary, spec, args)
        for budget, r in results.items():
            def p95(key):
                return fmt(percentile([t for t in r[key] if t is not None], 0.95))

            times = [t for t in r["times"] if t is not None]
            print(
                f"{spec:<20} {kind:<9} {n:>3} {budget:>6}  {fmt(share(r['graph'])):>6} {fmt(share(r['base'])):>6}  "
                f"{fmt(share(r['graph_x'])):>7} {fmt(share(r['base_x'])):>6}  "
                f"{fmt(percentile(times, 0.5)):>10} {p95('times'):>7}  {p95('prepare'):>11}  {p95('wall'):>8}",
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
