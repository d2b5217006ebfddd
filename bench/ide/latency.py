#!/usr/bin/env python3
"""Completion and signature help latency on Django 5.1.4 files, pyloom
against pyright 1.1.390 at the same positions, side by side over LSP on
stdio.

    python3 bench/ide/latency.py [--pyloom BIN] [--files N] [--per-file K]
        [--seed S]

Files of Django's library code with at least K positions of each kind
(which leaves out the locale tables) are drawn with a fixed seed and opened
in both servers (`didOpen` with the file's text, as an editor does). In each,
positions are drawn from the file's tokens:
  completion      right after a `.` before a name (member completion,
                  triggered by `.`) and inside a name after its first
                  character (names in scope, invoked);
  signature help  right after the `(` of a call and after a `,` between
                  its arguments (triggered by that character).
After opening a file each server answers one untimed completion (pyright
checks an opened file before it answers); then every position is asked
of both servers in turn, alternating which goes first. Reports per server
the positions answered with something, p50, p95, p99 and max wall time of
the request seen by the client, and pyloom's p99 against pyright's. When
pyloom does not advertise a capability the bench says so and measures
pyright alone.
"""

import argparse
import io
import keyword
import os
import random
import sys
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers import (
    PYRIGHT_VERSION,
    ensure_tree,
    fmt,
    library_files,
    percentile,
    pyloom_binary,
    start_pyloom,
    start_pyright,
    utf16_len,
)

PROJECT = "Django==5.1.4"
FEATURES = {
    "completion": ("completionProvider", "textDocument/completion"),
    "signatureHelp": ("signatureHelpProvider", "textDocument/signatureHelp"),
}


def positions(text):
    """Completion and signature help positions of a file, each as
    (line, UTF-16 column, context)."""
    lines = text.splitlines()
    completion, signature = [], []
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in (tokenize.NL, tokenize.COMMENT)]
    calls = []  # for each open bracket: whether it opens a call's arguments
    for i in range(2, len(tokens) - 1):
        before, previous, token, following = tokens[i - 2], tokens[i - 1], tokens[i], tokens[i + 1]
        (row, col), kind, string = token.start, token.type, token.string
        line = lines[row - 1] if row <= len(lines) else ""
        after = utf16_len(line[: col + 1])
        if kind == tokenize.OP and string == "." and following.type == tokenize.NAME and following.start == token.end:
            completion.append((row - 1, after, {"triggerKind": 2, "triggerCharacter": "."}))
        elif kind == tokenize.NAME and len(string) > 2 and not keyword.iskeyword(string) and previous.string not in (".", "def", "class"):
            completion.append((row - 1, after, {"triggerKind": 1}))
        if kind == tokenize.OP and string in "([{":
            callee = previous.type == tokenize.NAME and not keyword.iskeyword(previous.string) and before.string not in ("def", "class")
            is_call = string == "(" and (callee or previous.string in (")", "]"))
            calls.append(is_call)
            if is_call:
                signature.append((row - 1, after, {"triggerKind": 2, "triggerCharacter": "(", "isRetrigger": False}))
        elif kind == tokenize.OP and string in ")]}" and calls:
            calls.pop()
        elif kind == tokenize.OP and string == "," and calls and calls[-1]:
            signature.append((row - 1, after, {"triggerKind": 2, "triggerCharacter": ",", "isRetrigger": False}))
    return {"completion": completion, "signatureHelp": signature}


def answered(feature, result):
    if feature == "completion":
        items = result.get("items", []) if isinstance(result, dict) else result or []
        return bool(items)
    return bool(result and result.get("signatures"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyloom", help="the pyloom binary (default: the release build in $CARGO_TARGET_DIR or target/)")
    parser.add_argument("--files", type=int, default=20, help="Django files")
    parser.add_argument("--per-file", type=int, default=15, help="positions per file and feature")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    pyloom = pyloom_binary(args.pyloom)
    root = ensure_tree(PROJECT)
    rng = random.Random(args.seed)
    candidates = list(library_files(root))
    rng.shuffle(candidates)
    files, found = [], {}
    for rel in candidates:  # files with enough positions of both kinds (not locale tables)
        text = (root / rel).read_text(encoding="utf-8")
        where = positions(text)
        if all(len(where[f]) >= args.per_file for f in FEATURES):
            files.append(rel)
            found[rel] = (text, where)
        if len(files) == args.files:
            break

    loom_client, loom_caps = start_pyloom(pyloom, root)
    pyright_client, pyright_caps = start_pyright(root)
    clients = {"pyloom": loom_client, "pyright": pyright_client}
    capabilities = {"pyloom": loom_caps, "pyright": pyright_caps}
    asked = {f: [name for name in clients if capabilities[name].get(capability)] for f, (capability, _) in FEATURES.items()}
    times = {f: {name: [] for name in clients} for f in FEATURES}
    hits = {f: {name: 0 for name in clients} for f in FEATURES}
    turn = 0
    for rel in files:
        text, where = found[rel]
        document = {"uri": (root / rel).as_uri()}
        chosen = {f: rng.sample(where[f], args.per_file) for f in FEATURES}
        for client in clients.values():
            client.notify("textDocument/didOpen", {"textDocument": {**document, "languageId": "python", "version": 1, "text": text}})
        for name in asked["completion"]:
            warm = chosen["completion"][0]
            clients[name].request("textDocument/completion", {"textDocument": document, "position": {"line": warm[0], "character": warm[1]}, "context": warm[2]})
        for feature, (_, method) in FEATURES.items():
            for line, character, context in chosen[feature]:
                turn += 1
                order = asked[feature] if turn % 2 else asked[feature][::-1]
                for name in order:
                    result, ms = clients[name].timed_request(method, {"textDocument": document, "position": {"line": line, "character": character}, "context": context})
                    times[feature][name].append(ms)
                    hits[feature][name] += answered(feature, result)
        for client in clients.values():
            client.notify("textDocument/didClose", {"textDocument": document})
    rss = {name: client.peak_rss_mb() for name, client in clients.items()}
    for client in clients.values():
        client.close()

    load = os.getloadavg()
    print(f"pyloom {pyloom}, pyright {PYRIGHT_VERSION}; {root.name}, {len(files)} files; load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("| feature | server | positions | answered | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for feature, (capability, _) in FEATURES.items():
        for name in clients:
            ts = times[feature][name]
            if name not in asked[feature]:
                print(f"| {feature} | {name} | {name} does not advertise {capability} | | | | | |")
                continue
            print(f"| {feature} | {name} | {len(ts)} | {hits[feature][name]} | {fmt(percentile(ts, 0.5))} | {fmt(percentile(ts, 0.95))} | "
                  f"{fmt(percentile(ts, 0.99))} | {fmt(max(ts) if ts else None)} |")
        if len(asked[feature]) == 2 and times[feature]["pyright"]:
            ratio = percentile(times[feature]["pyloom"], 0.99) / percentile(times[feature]["pyright"], 0.99)
            print(f"| {feature} | p99 pyloom/pyright | {ratio:.2f} | | | | | |")
    print(f"peak RSS MB: pyloom {fmt(rss['pyloom'], 0)}, pyright {fmt(rss['pyright'], 0)}")


if __name__ == "__main__":
    main()
