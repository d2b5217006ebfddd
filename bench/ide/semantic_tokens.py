#!/usr/bin/env python3
"""Semantic tokens latency on Django 5.1.4's largest files, pyloom against
basedpyright (pyright has no semantic tokens), side by side over LSP on
stdio.

    python3 bench/ide/semantic_tokens.py [--pyloom BIN] [--files N] [--rounds K]

Each server opens each file (`didOpen`) and answers one untimed full
request (basedpyright checks an opened file first). Then, alternating which
server goes first:
  full    K `semanticTokens/full` requests of the unchanged file;
  delta   K edits, each followed by `semanticTokens/full/delta` against
          the previous answer's result id (a full request for a server
          without deltas: basedpyright 1.40 has none). With `--edit blank`
          each edit inserts a blank line at a random line, which moves code
          without changing it; with `--edit name` it appends `_` to a name
          on a random line, which changes what the file reads. Each edit is
          taken out again by the next.
          With `--changes full` (the default) each `didChange` carries the
          whole text; with `--changes ranged` it carries the edit's range
          and text, as VS Code and Neovim send them to a server that
          announces incremental sync (pyloom does; its edits are the same).
Reports per server p50, p99 and max wall time of the request seen by the
client, the tokens of the first full answer, and pyloom's p99 over
basedpyright's. Goal (issue #30): full p99 <= 20 ms, delta p99 <= 5 ms.
"""

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers import ensure_tree, fmt, library_files, percentile, pyloom_binary, start_basedpyright, start_pyloom

PROJECT = "Django==5.1.4"


def timed(client, method, params):
    start = time.perf_counter()
    result = client.request(method, params)
    return (time.perf_counter() - start) * 1000, result


def edit(lines, rng, kind):
    """One edit of `kind`: the edited text, and the ranged changes (LSP's,
    UTF-16 columns) that make it and that take it out again."""
    if kind == "blank":
        at = rng.randrange(1, len(lines))
        start, after = {"line": at, "character": 0}, {"line": at + 1, "character": 0}
        made = {"range": {"start": start, "end": start}, "rangeLength": 0, "text": "\n"}
        undone = {"range": {"start": start, "end": after}, "rangeLength": 1, "text": ""}
        return "\n".join(lines[:at] + [""] + lines[at:]), made, undone
    while True:
        at = rng.randrange(len(lines))
        if lines[at].lstrip().startswith("#"):
            continue
        names = list(re.finditer(r"\b[A-Za-z_]\w*\b", lines[at]))
        if names:
            end = rng.choice(names).end()
            changed = lines[:at] + [lines[at][:end] + "_" + lines[at][end:]] + lines[at + 1 :]
            column = len(lines[at][:end].encode("utf-16-le")) // 2
            start, after = {"line": at, "character": column}, {"line": at, "character": column + 1}
            made = {"range": {"start": start, "end": start}, "rangeLength": 0, "text": "_"}
            undone = {"range": {"start": start, "end": after}, "rangeLength": 1, "text": ""}
            return "\n".join(changed), made, undone


def edits(text, rounds, rng, kind, changes):
    """The `contentChanges` of each round's `didChange`: an edit, then the
    edit taken out, and so on; whole texts or ranged changes."""
    lines = text.split("\n")
    out, undo = [], None
    for _ in range(rounds):
        if undo is None:
            edited, made, undo = edit(lines, rng, kind)
            out.append({"text": edited} if changes == "full" else made)
        else:
            out.append({"text": text} if changes == "full" else undo)
            undo = None
    return out


def run(servers, deltas, path, rounds, rng, times, kind, changes):
    uri = path.as_uri()
    text = path.read_text()
    state = {}
    for name, client in servers.items():
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        _, first = timed(client, "textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
        state[name] = {"result": (first or {}).get("resultId"), "version": 1}
        times[name]["tokens"].append(len((first or {}).get("data", [])) // 5)
    order = list(servers)
    for round_ in range(rounds):
        order.reverse()
        for name in order:
            ms, _ = timed(servers[name], "textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
            times[name]["full"].append(ms)
    # Full answers above changed the result ids: ask once more for the base.
    for name, client in servers.items():
        result = client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
        state[name]["result"] = (result or {}).get("resultId")
    for change in edits(text, rounds, rng, kind, changes):
        order.reverse()
        for name in order:
            client, s = servers[name], state[name]
            s["version"] += 1
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": s["version"]}, "contentChanges": [change]})
            if deltas[name]:
                ms, result = timed(client, "textDocument/semanticTokens/full/delta", {"textDocument": {"uri": uri}, "previousResultId": s["result"]})
            else:
                ms, result = timed(client, "textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
            s["result"] = (result or {}).get("resultId")
            times[name]["delta"].append(ms)
    for client in servers.values():
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


def has_delta(caps):
    full = caps["semanticTokensProvider"].get("full")
    return isinstance(full, dict) and bool(full.get("delta"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom")
    parser.add_argument("--files", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=30)
    parser.add_argument("--no-peer", action="store_true", help="measure pyloom alone")
    parser.add_argument("--edit", choices=["blank", "name"], default="blank", help="what each edit does (see above)")
    parser.add_argument("--changes", choices=["full", "ranged"], default="full", help="how each didChange carries its edit (see above)")
    args = parser.parse_args()
    root = ensure_tree(PROJECT)
    files = sorted((root / rel for rel in library_files(root)), key=lambda p: -p.stat().st_size)[: args.files]
    servers, deltas = {}, {}
    client, caps = start_pyloom(pyloom_binary(args.pyloom), root)
    if "semanticTokensProvider" not in caps:
        sys.exit("pyloom does not advertise semanticTokensProvider")
    servers["pyloom"] = client
    deltas["pyloom"] = has_delta(caps)
    if not args.no_peer:
        peer, peer_caps = start_basedpyright(root)
        if "semanticTokensProvider" in peer_caps:
            servers["basedpyright"] = peer
            deltas["basedpyright"] = has_delta(peer_caps)
            if not deltas["basedpyright"]:
                print("basedpyright has no delta requests: its 'delta' column is a full request after the edit")
        else:
            print("basedpyright does not advertise semanticTokensProvider: pyloom alone")
            peer.close()
    times = {name: {"full": [], "delta": [], "tokens": []} for name in servers}
    rng = random.Random(args.seed)
    for path in files:
        print(f"{path.relative_to(root)}: {len(path.read_text().splitlines())} lines")
        run(servers, deltas, path, args.rounds, rng, times, args.edit, args.changes)
    print(f"\n{'server':<14}{'tokens':>8}{'full p50':>10}{'p99':>8}{'max':>8}{'delta p50':>11}{'p99':>8}{'max':>8}")
    for name, t in times.items():
        print(
            f"{name:<14}{sum(t['tokens']):>8}{fmt(percentile(t['full'], 0.5)):>10}{fmt(percentile(t['full'], 0.99)):>8}{fmt(max(t['full'])):>8}"
            f"{fmt(percentile(t['delta'], 0.5)):>11}{fmt(percentile(t['delta'], 0.99)):>8}{fmt(max(t['delta'])):>8}"
        )
    if "basedpyright" in times:
        for kind in ("full", "delta"):
            ratio = percentile(times["pyloom"][kind], 0.99) / percentile(times["basedpyright"][kind], 0.99)
            print(f"pyloom p99 / basedpyright p99 ({kind}): {ratio:.2f}x")
    for client in servers.values():
        client.close()


if __name__ == "__main__":
    main()
