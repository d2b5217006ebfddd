#!/usr/bin/env python3
"""The typing bench's requests counted in instructions, one callgrind dump
per request (wall time on a shared machine is noise; instructions are not).

    python3 bench/ide/typing_callgrind.py --pyloom BIN --out DIR [--settle 1.0] [--methods 3]
    python3 bench/ide/typing_callgrind.py --report DIR

`BIN serve` runs under callgrind (as tokens_callgrind.py starts it) on the
typing bench's tree (`typing.py`: three methods typed into `QuerySet` of
Django 5.1.4's django/db/models/query.py, a completion at each `.`, a
signature help at each `(`, a hover at each space after a name), with no
pause between keystrokes: a step is the keystrokes since the last request,
the request and `--settle` seconds of the background work they started,
dumped after the answer. Under valgrind the server is ~50x slower, so
while typing at 20 characters a second the graph sees an update per
request, as it mostly does here.

`--report` reads the dumps: per step the buffer put into the graph
(`apply_text`, less a copy of the graph a reader's snapshot forced), its
summary (`summary_for`; `whole` the whole text summarised), the link of
the file whole when it was (`link_with_answers`), the request's handler
and the wire (the changes read and decoded, the answer encoded); the path
(update, handler and wire: what the client waits for) beside the whole
dump; p50/p95/p99 over the steps.
"""

import argparse
import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import ensure_tree  # noqa: E402

import tokens_callgrind as tc  # noqa: E402

# typing.py under another name: `typing` is the standard library's.
_spec = importlib.util.spec_from_file_location("typing_bench", Path(__file__).resolve().parent / "typing.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

PARTS = {
    **{part: tc.PARTS[part] for part in ("update", "copy", "summarise", "whole", "read", "decode", "encode", "notified")},
    "link": r"pyloom::graph::link::link_with_answers\b",
    "hover": r"Backend>::on_hover::\{\{closure\}\}",
    "completion": r"Backend>::on_completion::\{\{closure\}\}",
    "signatureHelp": r"Backend>::on_signature_help::\{\{closure\}\}",
}
HANDLERS = ("hover", "completion", "signatureHelp")


def run(args):
    out = Path(args.out)
    root = ensure_tree(bench.PROJECT)
    client, control = tc.start_counted(args.pyloom, out, root)
    log = open(out / "steps.txt", "w")
    steps = []

    def opened():
        time.sleep(args.settle)
        control("-i", "on")
        control("-z")

    def answered(method):
        time.sleep(args.settle)
        steps.append(method)
        control("-d", f"step{len(steps):03d}")
        print(len(steps), method, file=log, flush=True)

    bench.typing(client, root, interval=0, opened=opened, answered=answered, methods=args.methods)
    client.close(timeout=120)


def report(out):
    out = Path(out)
    steps = {line.split()[0]: line.strip() for line in open(out / "steps.txt")}
    rows = tc.dumped_steps(out, PARTS)
    for row in rows:
        row["handler"] = max(row[h] for h in HANDLERS)
        row["wire"] = row["read"] + row["decode"] + row["encode"] + row["notified"]
        row["path"] = row["update"] - row["copy"] + row["handler"] + row["wire"]
    parts = ["path", "update", "summarise", "whole", "link", "handler", "wire", "copy", "dump"]
    for r in rows:
        print(r["step"], *(f"{k}={r[k] / 1e6:.2f}M" for k in parts), steps.get(str(r["step"]), ""))
    for k in parts:
        values = [r[k] for r in rows]
        print(
            f"{k}: p50 {tc.percentile(values, 0.5) / 1e6:.2f}M p95 {tc.percentile(values, 0.95) / 1e6:.2f}M "
            f"p99 {tc.percentile(values, 0.99) / 1e6:.2f}M max {max(values) / 1e6:.2f}M sum {sum(values) / 1e6:.1f}M"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom")
    parser.add_argument("--out")
    parser.add_argument("--settle", type=float, default=1.0)
    parser.add_argument("--methods", type=int, default=bench.TYPED_METHODS, help="how many of the bench's methods to type (24 requests each)")
    parser.add_argument("--report", metavar="DIR", help="summarise the dumps of an earlier run")
    tc.run_or_report(parser, run, report)


if __name__ == "__main__":
    main()
