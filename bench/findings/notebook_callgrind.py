#!/usr/bin/env python3
"""The notebook bench's cell edits (`notebooks.py --edits`, pushed) counted
in instructions, one callgrind dump per edit (wall time on a shared machine
is noise; instructions are not).

    python3 bench/findings/notebook_callgrind.py --pyloom BIN --out DIR [--rounds 20] [--typing] [--settle 1.0] [--indexed] [--pull] [--comment]
    python3 bench/findings/notebook_callgrind.py --report DIR

The 50 code cells of statsmodels' notebooks (`fifty_cells`) are opened as
one notebook over LSP, in a folder of their own holding only statsmodels'
`pyproject.toml` (its ruff configuration; no index), or with
`--indexed` in statsmodels' sdist as the wall bench does (its index then
runs in the first dumps). `BIN serve` runs under valgrind's callgrind with
instrumentation off until the notebook's first diagnostics are published
and the server has used no CPU for `--settle` seconds (its start-up work,
the completion model's tokenizer tables, done); then each round types one
character at the end of cell 25, the counters zeroed before the
`didChange` and dumped once the server has been idle for `--settle`
seconds again. The rounds type as the pushed wall bench does (a new line
`q`, then `x`s: every edit parses), or with `--typing` the two lines of
TYPED, a character each (brackets, `=` and `.` typed before what
completes them: the cell does not parse at a third of the edits). After
each dump the cell's diagnostics are pulled, for `published.json`.

With `--pull` the client says it pulls diagnostics (as VS Code does) and
each edit's `textDocument/diagnostic` of cell 25 is sent right after its
`didChange`, inside the dump, as `notebooks.py --edits` times it: the
dump is then the push and the pull of one edit together. `--comment`
types as the pulled wall bench does: `#`, then `x`s, on the cell's last
line (a comment growing).

`--report` prints, per dump and as p50/p95/p99 over them, the inclusive
instructions of the parts named in PARTS and the whole dump.
"""

import argparse
import glob
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ide"))
from lsp_stdio import LspClient  # noqa: E402

import notebooks  # noqa: E402
from tokens_callgrind import dumped_steps, percentile, run_or_report  # noqa: E402

# What `--typing` types at the end of cell 25, a character per edit.
TYPED = "\nresid = res.resid.dropna()\nprint(resid.describe(percentiles=[0.05]))"

# Inclusive instructions of these functions, per dump (the largest match).
PARTS = {
    "findings": r"pyloom::lsp::diagnostics::<impl pyloom::lsp::Backend>::findings::\{\{closure\}\}::\{\{closure\}\}",
    "check_buffer": r"pyloom::findings::check_buffer\b",
    "parse_cells": r"pyloom::notebook::Notebook::parse_cells\b",
    "lint": r"pyloom::findings::lint::lint\b",
    "escaped": r"pyloom::findings::escaped_fixes::keep\b",
    "hazard": r"EditCheck>?::hazard\b",
    "in_cells": r"pyloom::findings::cell_fixes::in_cells\b",
    "walk": r"pyloom::findings::walk::Walk::run\b",
    "finish": r"pyloom::findings::FileCheck::finish_with\b",
    "sync": r"sync_graph::\{\{closure\}\}",
    "diagnostics": r"pyloom::lsp::diagnostics::diagnostics\b",
    # The graph's update with the new text, its summary and its whole-file link.
    "update": r"pyloom::lsp::indexing::apply_text\b",
    "summary": r"pyloom::graph::Graph::summary_for\b",
    "relink": r"relink_keeping_answers\b",
    # The notebook's wire: a cell edit in, the diagnostics out per cell.
    "incoming": r"pyloom::lsp::notebooks::Notebooks::incoming\b",
    "outgoing": r"pyloom::lsp::notebooks::Notebooks::outgoing\b",
    # The pull's own part (its findings from the push's, or computed again).
    "pulled": r"pyloom::lsp::diagnostics::<impl pyloom::lsp::Backend>::on_diagnostic::\{\{closure\}\}",
}


def run(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in glob.glob(str(out / "cg.out*")):
        Path(old).unlink()
    corpus = notebooks.sdist("statsmodels").resolve()
    sources = notebooks.fifty_cells(corpus)
    root = corpus if args.indexed else Path(tempfile.mkdtemp(prefix="nb-callgrind-"))
    if not args.indexed:
        # statsmodels' ruff configuration (its rules, its fixes), as in the sdist.
        shutil.copy(corpus / "pyproject.toml", root / "pyproject.toml")
    uri = (root / "bench-50-cells.ipynb").as_uri()
    cell = lambda i: f"vscode-notebook-cell:{root}/bench-50-cells.ipynb#cell{i}"
    client = LspClient(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}/cg.out", str(args.pyloom), "serve"])
    pid = str(client.proc.pid)

    def control(*flags):
        subprocess.run(["callgrind_control", *flags, pid], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    capabilities = {"textDocument": {"diagnostic": {"dynamicRegistration": False}}} if args.pull else {}
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities})
    client.notify("initialized", {})
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": uri, "notebookType": "jupyter-notebook", "version": 0,
                             "cells": [{"kind": 2, "document": cell(i)} for i in range(len(sources))]},
        "cellTextDocuments": [{"uri": cell(i), "languageId": "python", "version": 1, "text": s} for i, s in enumerate(sources)]})
    client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == cell(25))
    idle(client.proc.pid, args.settle)
    target = sources[25]
    line, column = target.count("\n"), len(target.split("\n")[-1])
    typed = list(TYPED) if args.typing else ["#" if args.comment else "\nq"] + ["x"] * (args.rounds - 1)
    control("-i", "on")
    published = []
    for n, text in enumerate(typed):
        at = {"line": line, "character": column}
        control("-z")
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": uri, "version": n + 1},
            "change": {"cells": {"textContent": [{"document": {"uri": cell(25), "version": n + 2}, "changes": [
                {"range": {"start": at, "end": at}, "text": text}]}]}}})
        pulled = client.request("textDocument/diagnostic", {"textDocument": {"uri": cell(25)}}) if args.pull else None
        idle(client.proc.pid, args.settle)
        control("-d", f"step{n + 1:03d}")
        report = pulled or client.request("textDocument/diagnostic", {"textDocument": {"uri": cell(25)}})
        published.append(report.get("items"))
        line, column = (line + text.count("\n"), len(text.split("\n")[-1])) if "\n" in text else (line, column + len(text))
    client.close(timeout=120)
    (out / "published.json").write_text(json.dumps(published, indent=1, sort_keys=True))
    if not args.indexed:
        shutil.rmtree(root, ignore_errors=True)


def idle(pid, quiet):
    """Returns once process `pid` has used no CPU for `quiet` seconds (the
    work an edit sets off, on any thread, is done: a cell whose diagnostics
    did not change is published no more, so no message says so)."""
    def ticks():
        # utime and stime, the 14th and 15th fields (the name may hold spaces).
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    last, since = ticks(), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        now = ticks()
        if now != last:
            last, since = now, time.monotonic()


def report(out):
    rows = dumped_steps(out, PARTS)
    parts = [*PARTS, "dump"]
    for r in rows:
        print(r["step"], *(f"{k}={r[k] / 1e6:.2f}M" for k in parts))
    for k in parts:
        values = [r[k] for r in rows]
        print(f"{k}: p50 {percentile(values, 0.5) / 1e6:.2f}M p95 {percentile(values, 0.95) / 1e6:.2f}M p99 {percentile(values, 0.99) / 1e6:.2f}M max {max(values) / 1e6:.2f}M sum {sum(values) / 1e6:.1f}M")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom")
    parser.add_argument("--out")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--settle", type=float, default=1.0, help="seconds without CPU that end an edit's work")
    parser.add_argument("--typing", action="store_true", help="type TYPED, a character per round (--rounds is not read)")
    parser.add_argument("--pull", action="store_true", help="a client that pulls: each edit's pull of the cell counted with it")
    parser.add_argument("--comment", action="store_true", help="type a comment at the end of the cell's last line (the pulled wall bench's edits)")
    parser.add_argument("--indexed", action="store_true", help="open the notebook in statsmodels' sdist (its index runs meanwhile)")
    parser.add_argument("--report", metavar="DIR", help="summarise the dumps of an earlier run")
    run_or_report(parser, run, report)


if __name__ == "__main__":
    main()
