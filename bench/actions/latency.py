#!/usr/bin/env python3
"""What an LLM action costs beyond the model's own time, two pyloom
binaries side by side on the same functions of a real project (this one
against a baseline build, e.g. the commit before the dependents check).

    python3 bench/actions/latency.py --pyloom BIN --baseline BIN
        [--project Django==5.1.4] [--samples N] [--seed S]

A model on 127.0.0.1 (OpenAI's chat protocol, `http.server`) answers every
prompt at once with the TARGET it was sent and one comment added: an edit
every check passes, so the whole path runs — context, prompt, reply
parsing, merge, lint, the graph checks and, where built, the dependents
check — and ends in a `workspace/applyEdit` that the client accepts.
Functions and methods of 3 to 60 lines are drawn from the project's
library code with a fixed seed; each is asked `pyloom.refactor` of both
servers in turn, alternating which goes first. The time of one action is
the wall time of the `workspace/executeCommand` request minus the time the
model server spent answering it. Reports per server the actions applied,
p50, p95 and max, and the ratio of the p50s.
"""

import argparse
import ast
import json
import random
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers import ensure_tree, fmt, library_files, percentile, scratch_dir, start_pyloom

TARGET = re.compile(r"<<<PYLOOM-DATA(?:-\d+)?>>> TARGET\n(.*?)\n<<<PYLOOM-DATA(?:-\d+)?>>> END TARGET", re.S)


class Model:
    """The instant model: its address, and the seconds spent answering."""

    def __init__(self):
        model = self
        self.spent = 0.0
        self.calls = 0
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                start = time.perf_counter()
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                prompt = body["messages"][-1]["content"]
                found = TARGET.search(prompt)
                target = found.group(1) if found else ""
                first, _, rest = target.partition("\n")
                answer = f"```python\n{first}  # reviewed\n{rest}\n```\n"
                reply = json.dumps({
                    "id": "bench",
                    "object": "chat.completion",
                    "model": body.get("model", ""),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(answer) // 4},
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
                with model.lock:
                    model.spent += time.perf_counter() - start
                    model.calls += 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def taken(self):
        with self.lock:
            return self.spent, self.calls


def functions(root, rel):
    """(0-based line, column) of the `def` of each function and method of
    3 to 60 lines in `rel` (the decorators' lines count)."""
    text = (root / rel).read_text(encoding="utf-8", errors="replace")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and 3 <= node.end_lineno - node.lineno + 1 <= 60:
            found.append((node.lineno - 1, node.col_offset))
    return found


def start(binary, root, model, scratch):
    options = {
        "llm": {"provider": "openai", "model": "gpt-4o", "base_url": model.base_url, "max_retries": 0, "cache": {"enabled": False}},
        "actions": {"memory_path": str(scratch / f"mistakes-{binary.stat().st_ino}.sqlite3")},
    }

    def answer(method, params):
        if method == "workspace/applyEdit":
            return {"applied": True}
        if method == "workspace/configuration":
            return [None for _ in params.get("items", [])]
        return None

    client, _ = start_pyloom(binary, root, options, answer)
    return client


def act(client, model, root, rel, line, column, opened):
    uri = (root / rel).as_uri()
    if uri not in opened:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        opened.add(uri)
    position = {"line": line, "character": column}
    args = {"uri": uri, "range": {"start": position, "end": position}, "instruction": "add a comment on the first line"}
    spent, calls = model.taken()
    begin = time.perf_counter()
    try:
        client.request("workspace/executeCommand", {"command": "pyloom.refactor", "arguments": [args]})
        applied = True
    except RuntimeError:
        applied = False
    wall = time.perf_counter() - begin
    spent_after, calls_after = model.taken()
    return (wall - (spent_after - spent)) * 1000, applied, calls_after - calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyloom", required=True, type=Path)
    parser.add_argument("--baseline", required=True, type=Path)
    parser.add_argument("--project", default="Django==5.1.4")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    root = ensure_tree(args.project)
    candidates = [(rel, line, col) for rel in library_files(root) for line, col in functions(root, rel)]
    picked = random.Random(args.seed).sample(candidates, min(args.samples, len(candidates)))
    model = Model()
    scratch = Path(scratch_dir("pyloom-actions-bench-"))
    binaries = {"pyloom": args.pyloom.resolve(), "baseline": args.baseline.resolve()}
    clients = {name: start(binary, root, model, scratch) for name, binary in binaries.items()}
    opened = {name: set() for name in binaries}
    times = {name: [] for name in binaries}
    applied = {name: 0 for name in binaries}
    calls = {name: 0 for name in binaries}
    for n, (rel, line, col) in enumerate(picked):
        order = list(binaries) if n % 2 == 0 else list(reversed(binaries))
        for name in order:
            ms, ok, asked = act(clients[name], model, root, rel, line, col, opened[name])
            times[name].append(ms)
            applied[name] += ok
            calls[name] += asked
    for client in clients.values():
        client.request("shutdown")
        client.notify("exit")
    print(f"{args.project}: {len(picked)} refactors of functions of 3-60 lines (seed {args.seed}), model time taken out")
    print(f"{'server':10} {'applied':>8} {'model calls':>12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name in binaries:
        t = times[name]
        print(f"{name:10} {applied[name]:>8} {calls[name]:>12} {fmt(percentile(t, 0.5), 1):>8} {fmt(percentile(t, 0.95), 1):>8} {fmt(max(t), 1):>8}")
    base = percentile(times["baseline"], 0.5)
    print(f"p50 ratio pyloom/baseline: {fmt(percentile(times['pyloom'], 0.5) / base if base else None)}")


if __name__ == "__main__":
    main()
