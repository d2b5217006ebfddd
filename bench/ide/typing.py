#!/usr/bin/env python3
"""Latency while typing, pyloom against pyright 1.1.390 on the same
keystrokes, over LSP on stdio (issue #34's first two rows).

    python3 bench/ide/typing.py typing [--pyloom BIN] [--no-peer]
    python3 bench/ide/typing.py storm  [--pyloom BIN] [--no-peer]

typing  A new method is typed into `QuerySet` in Django 5.1.4's
        django/db/models/query.py at 20 characters a second, as an editor
        sends it (three such methods, one after the other): one incremental `didChange` a keystroke (a newline with
        its indentation is one keystroke). At each `.` a completion
        (triggered by `.`), at each `(` a signature help (triggered by `(`)
        and at each space a hover on the name before it, timed from send to
        answer. Reports p50/p95/max per server.
storm   2,400 one-character edits at 250 a second over Django's four
        largest library files (each edit puts `_` after a name on a random
        line, the next takes it out again), a completion or a hover after
        every tenth edit, timed; the server's resident set sampled every
        100 edits. Reports the requests' p50/p99/max and RSS min/max/last.

The servers run one after the other on the same inputs (each has the
2 cores to itself); pyloom is started as `bench/peers.py` starts it (a
cold summary cache, the standard library's stubs installed). Goals
(issue #34): typing p95 <= 10 ms; storm p99 <= 20 ms with the RSS flat.
"""

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers import PYRIGHT_VERSION, ensure_tree, fmt, library_files, percentile, pyloom_binary, start_pyloom, start_pyright, utf16_len

PROJECT = "Django==5.1.4"
TYPED_FILE = "django/db/models/query.py"
# What a user types into QuerySet: calls on self, a comprehension, chained
# methods of the model manager, keyword arguments.
METHOD = '''
    def recent_names_{n}(self, limit=10, *, field="name"):
        queryset = self.filter(pk__gt=0).order_by("-pk")
        names = [getattr(obj, field) for obj in queryset[:limit]]
        if not names:
            return self.none()
        return self.model._default_manager.filter(name__in=names).values_list(field, flat=True)
'''
TYPING_INTERVAL, TYPED_METHODS = 1 / 20, 3
STORM_EDITS, STORM_INTERVAL = 2400, 1 / 250


class Document:
    """An open document the bench edits as an editor would: incremental
    changes, a version per change."""

    def __init__(self, client, path):
        self.client, self.uri, self.version = client, path.as_uri(), 1
        self.lines = path.read_text(encoding="utf-8").split("\n")
        text = "\n".join(self.lines)
        client.notify("textDocument/didOpen", {"textDocument": {"uri": self.uri, "languageId": "python", "version": 1, "text": text}})

    def insert(self, line, column, text):
        """Inserts `text` (no newline but a trailing one) at a character column."""
        current = self.lines[line]
        at = {"line": line, "character": utf16_len(current[:column])}
        self._change(at, at, text)
        head, tail = current[:column], current[column:]
        if text.endswith("\n"):
            self.lines[line : line + 1] = [head + text[:-1], tail]
        else:
            self.lines[line] = head + text + tail

    def delete(self, line, column, length):
        current = self.lines[line]
        start = {"line": line, "character": utf16_len(current[:column])}
        end = {"line": line, "character": utf16_len(current[: column + length])}
        self._change(start, end, "")
        self.lines[line] = current[:column] + current[column + length :]

    def _change(self, start, end, text):
        self.version += 1
        change = {"range": {"start": start, "end": end}, "text": text}
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [change]})

    def timed(self, method, line, column, **extra):
        params = {"textDocument": {"uri": self.uri}, "position": {"line": line, "character": utf16_len(self.lines[line][:column])}, **extra}
        _, ms = self.client.timed_request(method, params)
        return ms

    def close(self):
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": self.uri}})


def end_of_class(lines, name):
    """The index of the line after class `name`'s last line."""
    start = next(i for i, line in enumerate(lines) if line.startswith(f"class {name}"))
    for i in range(start + 1, len(lines)):
        if lines[i] and not lines[i][0].isspace() and not lines[i].startswith("#"):
            while not lines[i - 1].strip():
                i -= 1
            return i
    return len(lines)


def typing(client, root, interval=TYPING_INTERVAL, opened=lambda: None, answered=lambda method: None, methods=TYPED_METHODS):
    """The latencies (ms) of the requests made while typing METHOD, a
    keystroke every `interval` seconds (`methods` of them); `opened` is called once the file is
    open and `answered` after each request's answer (typing_callgrind.py
    counts what lies between)."""
    document = Document(client, root / TYPED_FILE)
    line, column = end_of_class(document.lines, "QuerySet"), 0
    document.insert(line, 0, "\n")  # the methods go on lines of their own
    opened()
    typed = "\n".join(METHOD.format(n=n) for n in range(methods))
    times, due = [], time.perf_counter()
    for char in typed.lstrip("\n").rstrip("\n"):
        due += interval
        time.sleep(max(0.0, due - time.perf_counter()))
        if char == "\n":
            document.insert(line, column, "\n")
            line, column = line + 1, 0
            continue
        document.insert(line, column, char)
        column += 1
        if char == ".":
            times.append(document.timed("textDocument/completion", line, column, context={"triggerKind": 2, "triggerCharacter": "."}))
            answered("completion")
        elif char == "(":
            times.append(document.timed("textDocument/signatureHelp", line, column, context={"triggerKind": 2, "triggerCharacter": "(", "isRetrigger": False}))
            answered("signatureHelp")
        elif char == " " and column > 1 and document.lines[line][column - 2].isalnum():
            times.append(document.timed("textDocument/hover", line, column - 2))
            answered("hover")
    document.close()
    return times, []


def storm(client, root, seed):
    """The request latencies (ms) and RSS samples (MB) of the edit storm."""
    files = sorted((root / rel for rel in library_files(root)), key=lambda p: -p.stat().st_size)[:4]
    documents = [Document(client, path) for path in files]
    rng = random.Random(seed)
    times, rss, pending, due = [], [client.rss_mb()], {}, time.perf_counter()
    for edit in range(STORM_EDITS):
        due += STORM_INTERVAL
        time.sleep(max(0.0, due - time.perf_counter()))
        index = edit % len(documents)
        document = documents[index]
        if index in pending:  # take the last edit of this file out again
            line, column = pending.pop(index)
            document.delete(line, column, 1)
        else:
            while True:
                line = rng.randrange(len(document.lines))
                names = [m for m in re.finditer(r"\b[A-Za-z_]\w*\b", document.lines[line]) if not document.lines[line].lstrip().startswith("#")]
                if names:
                    column = rng.choice(names).end()
                    break
            document.insert(line, column, "_")
            pending[index] = (line, column)
        if edit % 10 == 9:
            line, column = pending.get(index, (line, column))
            if edit % 20 == 9:
                times.append(document.timed("textDocument/hover", line, max(0, column - 1)))
            else:
                times.append(document.timed("textDocument/completion", line, column, context={"triggerKind": 1}))
        if edit % 100 == 99:
            rss.append(client.rss_mb())
    for document in documents:
        document.close()
    return times, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["typing", "storm"])
    parser.add_argument("--pyloom")
    parser.add_argument("--no-peer", action="store_true", help="measure pyloom alone")
    parser.add_argument("--seed", type=int, default=34)
    args = parser.parse_args()
    root = ensure_tree(PROJECT)
    starts = {"pyloom": lambda: start_pyloom(pyloom_binary(args.pyloom), root)}
    if not args.no_peer:
        starts["pyright"] = lambda: start_pyright(root)
    results = {}
    for name, start in starts.items():
        client, _ = start()
        if name == "pyright":  # pyright answers once it has checked the file
            client.request("textDocument/hover", {"textDocument": {"uri": (root / TYPED_FILE).as_uri()}, "position": {"line": 0, "character": 0}})
        results[name] = typing(client, root) if args.mode == "typing" else storm(client, root, args.seed)
        results[name] += (client.peak_rss_mb(),)
        client.close()
    load = os.getloadavg()
    print(f"{args.mode}: pyloom {pyloom_binary(args.pyloom)}, pyright {PYRIGHT_VERSION}; {root.name}; load at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("| server | requests | p50 ms | p95 ms | p99 ms | max ms | RSS MB min / max / last | peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for name, (times, rss, peak) in results.items():
        samples = f"{fmt(min(rss), 0)} / {fmt(max(rss), 0)} / {fmt(rss[-1], 0)}" if rss else "-"
        print(
            f"| {name} | {len(times)} | {fmt(percentile(times, 0.5))} | {fmt(percentile(times, 0.95))} | {fmt(percentile(times, 0.99))} "
            f"| {fmt(max(times))} | {samples} | {fmt(peak, 0)} |"
        )
    if "pyright" in results:
        for q in (0.95, 0.99):
            ratio = percentile(results["pyloom"][0], q) / percentile(results["pyright"][0], q)
            print(f"p{int(q * 100)} pyloom / pyright: {ratio:.2f}x")


if __name__ == "__main__":
    main()
