#!/usr/bin/env python3
"""The semantic-tokens bench's edits counted in instructions, one callgrind
dump per edit (wall time on a shared machine is noise; instructions are
not).

    python3 bench/ide/tokens_callgrind.py --pyloom BIN --out DIR [--edit name] [--rounds 20] [--settle 1.5] [--within FOLDER]
    python3 bench/ide/tokens_callgrind.py --report DIR

`BIN serve` runs under valgrind's callgrind with instrumentation off until
the files are open. Then, as `semantic_tokens.py` does (its edits, seed
30, Django 5.1.4's three largest files), each round sends one
`didChange` (the whole text, or with `--changes ranged` the edit's range
and text) and a `semanticTokens/full/delta`; the counters
are zeroed before the change and dumped (as step N) after the answer and
`--settle` seconds (under valgrind the server is ~50x slower: the settle
lets the background work the edit started, the importers' re-links and
the diagnostics, run and land in the same dump).

`--report` reads the dumps: per step the inclusive instructions of the
request's own work, the buffer put into the graph (`apply_text`, less a
copy of the graph a reader's snapshot forced), the document's whole link
the request waits for (`sync_graph_linked`'s blocking task, when the
update left it pending) and the tokens computed and encoded
(`encoded_file`); the wire (the change read, applied to the
document and decoded, its handler, the answer encoded); the path (the
request and the wire: what the client waits for, the diagnostics
excepted, which wait for a pause in typing), beside the whole dump;
p50/p95/p99 over the steps.
"""

import argparse
import glob
import random
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import ensure_tree, library_files, start_pyloom  # noqa: E402

import semantic_tokens as st  # noqa: E402

# Inclusive instructions of these functions, per dump (the largest match).
PARTS = {
    "update": r"pyloom::lsp::indexing::apply_text\b",
    # The copy's clone is inlined into `make_mut` in some builds.
    "copy": r"<pyloom::graph::Graph as core::clone::Clone>::clone\b|alloc::sync::Arc<T,A>::make_mut\b",
    "summarise": r"Graph>?::summary_for\b",
    "tokens": r"encoded_file::\{\{closure\}\}",
    # The document's whole link the request waits for (an update left it
    # pending): run on a blocking thread, so not inside `tokens`.
    "link": r"sync_graph_linked::\{\{closure\}\}::\{\{closure\}\}",
    "whole": r"FileSummary>::extract_attributed\b",
    # The messages' way in and out: the framing layer (it applies the
    # change to the document), tower-lsp's decoding and encoding, and the
    # didChange handler.
    "read": r"pyloom::lsp::transport::forward_input::\{\{closure\}\}",
    "decode": r"LanguageServerCodec<T> as tokio_util::codec::decoder::Decoder>::decode\b",
    "encode": r"LanguageServerCodec<T> as tokio_util::codec::encoder::Encoder<T>>::encode\b",
    "notified": r"LanguageServer>::did_change::\{\{closure\}\}",
}


def start_counted(pyloom, out, root):
    """`pyloom serve` on `root` under callgrind, instrumentation off, its
    dumps in `out`; the client and a function running `callgrind_control`
    with the given flags on it."""
    out.mkdir(parents=True, exist_ok=True)
    wrapper = out / "vg.sh"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = serve ]; then exec valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file={out}/cg.out {pyloom} "$@"; fi\n'
        f'exec {pyloom} "$@"\n'
    )
    wrapper.chmod(0o755)
    client, _ = start_pyloom(wrapper, root)
    pid = str(client.proc.pid)

    def control(*flags):
        subprocess.run(["callgrind_control", *flags, pid], stdout=subprocess.DEVNULL, check=True)

    return client, control


def run(args):
    out = Path(args.out)
    root = ensure_tree(st.PROJECT)
    # A folder of it as the workspace: Django's whole index under valgrind
    # takes longer than a loaded machine allows; an edit's work in its file
    # is the same.
    root = root / args.within if args.within else root
    files = sorted((root / rel for rel in library_files(root)), key=lambda p: -p.stat().st_size)[: args.files]
    client, control = start_counted(args.pyloom, out, root)
    rng = random.Random(30)
    step = 0
    log = open(out / "steps.txt", "w")
    control("-i", "on")
    for path in files:
        uri, text = path.as_uri(), path.read_text()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        result = client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}}).get("resultId")
        version = 1
        time.sleep(args.settle)
        for round_, change in enumerate(st.edits(text, args.rounds, rng, args.edit, args.changes)):
            version += 1
            control("-z")
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            params = {"textDocument": {"uri": uri}, "previousResultId": result}
            result = client.request("textDocument/semanticTokens/full/delta", params).get("resultId")
            time.sleep(args.settle)
            step += 1
            control("-d", f"step{step:03d}")
            print(step, path.name, round_, "revert" if round_ % 2 else "insert", file=log, flush=True)
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    client.close(timeout=120)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def dumped_steps(out, parts):
    """Per step dumped in `out`, the inclusive instructions of each of
    `parts` (name: pattern of a function, the largest match) and of the
    whole dump (`dump`), in step order."""
    rows = []
    for dump in glob.glob(str(Path(out) / "cg.out*")):
        found = re.search(r"step(\d+)", open(dump, errors="replace").read(4000))
        if not found:
            continue
        annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", dump], capture_output=True, text=True).stdout
        row = {"step": int(found.group(1))}
        for part, pattern in parts.items():
            row[part] = 0
            for line in annotated.splitlines():
                count = re.match(r"\s*([\d,]+) \(", line)
                if count and re.search(pattern, line):
                    row[part] = max(row[part], int(count.group(1).replace(",", "")))
        total = re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", annotated)
        row["dump"] = int(total.group(1).replace(",", "")) if total else 0
        rows.append(row)
    return sorted(rows, key=lambda r: r["step"])


def report(out):
    out = Path(out)
    steps = {line.split()[0]: line.strip() for line in open(out / "steps.txt")}
    rows = dumped_steps(out, PARTS)
    for row in rows:
        row["request"] = row["update"] - row["copy"] + row["link"] + row["tokens"]
        row["wire"] = row["read"] + row["decode"] + row["encode"] + row["notified"]
        row["path"] = row["request"] + row["wire"]
    parts = ["path", "request", "wire", "update", "copy", "summarise", "whole", "link", "tokens", "dump"]
    for r in rows:
        print(r["step"], *(f"{k}={r[k] / 1e6:.2f}M" for k in parts), steps.get(str(r["step"]), ""))
    for k in parts:
        values = [r[k] for r in rows]
        print(f"{k}: p50 {percentile(values, 0.5) / 1e6:.2f}M p95 {percentile(values, 0.95) / 1e6:.2f}M p99 {percentile(values, 0.99) / 1e6:.2f}M max {max(values) / 1e6:.2f}M sum {sum(values) / 1e6:.1f}M")


def run_or_report(parser, run, report):
    """Parses the arguments, then counts a run (`--pyloom` and `--out`)
    and reports it, or reports an earlier run's dumps (`--report`)."""
    args = parser.parse_args()
    if args.report:
        report(args.report)
    elif args.pyloom and args.out:
        run(args)
        report(args.out)
    else:
        parser.error("--pyloom and --out, or --report")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom")
    parser.add_argument("--out")
    parser.add_argument("--files", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--edit", choices=["blank", "name"], default="name")
    parser.add_argument("--changes", choices=["full", "ranged"], default="full", help="whole texts or ranged changes (see semantic_tokens.py)")
    parser.add_argument("--settle", type=float, default=1.5)
    parser.add_argument("--within", metavar="FOLDER", help="a folder of the project as the workspace (django/db/models)")
    parser.add_argument("--report", metavar="DIR", help="summarise the dumps of an earlier run")
    run_or_report(parser, run, report)


if __name__ == "__main__":
    main()
