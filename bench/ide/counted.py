#!/usr/bin/env python3
"""What an IDE bench costs pyloom, counted rather than timed: the CPU
time the server spends after it has indexed (all its threads', user and
system), and the path each update of the graph took (from its debug
log). Neither is the wall time that other processes on a loaded machine
stretch, so two builds can be compared there. (perf's instruction
counters would be steadier still, but a VM often has none.)

    python3 bench/ide/counted.py --pyloom BIN --out DIR -- BENCH ARGS...

BENCH is another bench script (`bench/ide/semantic_tokens.py --no-peer
--edit name`, `bench/ide/typing.py typing --no-peer`), run with `--pyloom`
set to a wrapper (written to DIR) that starts BIN with
`PYLOOM_LOG=pyloom::graph=debug`, its log to DIR/server.log, and notes
its CPU time when the workspace is indexed and when it exits. Prints the
bench's own output, then the CPU time, the updates by path, why the
others were linked whole, the whole-text parses, and CPU per update.
"""

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

WRAPPER = """\
#!/usr/bin/env python3
# Written by bench/ide/counted.py: BIN with its graph's debug log, and its
# CPU time from the end of indexing to its exit.
import os, subprocess, sys
binary, out = {binary!r}, {out!r}
if sys.argv[1:2] != ["serve"]:
    os.execv(binary, [binary] + sys.argv[1:])
env = dict(os.environ, PYLOOM_LOG="pyloom::graph=debug,pyloom::lsp::indexing=info")
server = subprocess.Popen([binary] + sys.argv[1:], env=env, stderr=subprocess.PIPE)

def cpu():
    fields = open(f"/proc/{{server.pid}}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

indexed = None
with open(os.path.join(out, "server.log"), "ab") as log:
    for line in server.stderr:
        log.write(line)
        if indexed is None and b"workspace indexed" in line:
            indexed = cpu()
            log.write(b"counted: indexed\\n")
_, status, usage = os.wait4(server.pid, 0)
if indexed is not None:
    with open(os.path.join(out, "cpu.txt"), "w") as f:
        f.write(str(usage.ru_utime + usage.ru_stime - indexed))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def cpu_seconds(out):
    """The server's CPU time after indexing, or None."""
    try:
        return float((out / "cpu.txt").read_text())
    except (OSError, ValueError):
        return None


def paths(log):
    """The updates after indexing by path (see `deferred.rs`'s `file
    updated`), why the others were linked whole, and the whole-text parses."""
    after = log.split("counted: indexed", 1)[-1]
    updates, reasons, whole_parses = Counter(), Counter(), 0
    for line in after.splitlines():
        if "file updated" in line:
            spliced = re.search(r"spliced=(\w+)", line)
            local = re.search(r"local=(\w+)", line)
            updates[(spliced and spliced.group(1), local and local.group(1))] += 1
        elif "not linked in part" in line:
            reason = re.search(r'reason="?([^"]*)"?', line)
            reasons[reason.group(1) if reason else "?"] += 1
        elif "whole text summarised" in line:
            whole_parses += 1
    return updates, reasons, whole_parses


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom", required=True)
    parser.add_argument("--out", required=True, help="a folder for the wrapper, the server's log and perf's output")
    parser.add_argument("bench", nargs=argparse.REMAINDER, help="-- then the bench script and its arguments")
    args = parser.parse_args()
    bench = args.bench[1:] if args.bench[:1] == ["--"] else args.bench
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("server.log", "cpu.txt"):
        (out / stale).unlink(missing_ok=True)
    wrapper = out / "pyloom"
    wrapper.write_text(WRAPPER.format(binary=str(Path(args.pyloom).resolve()), out=str(out)))
    wrapper.chmod(0o755)
    command = [sys.executable, *bench, "--pyloom", str(wrapper)] if bench[0].endswith(".py") else [*bench, "--pyloom", str(wrapper)]
    subprocess.run(command, check=True)
    cpu = cpu_seconds(out)
    updates, reasons, whole_parses = paths((out / "server.log").read_text(errors="replace"))
    total = sum(updates.values())
    print(f"\nCPU after indexing: {f'{cpu:.2f} s' if cpu is not None else 'not counted'}")
    print(f"updates: {total} (spliced, linked in part): " + ", ".join(f"{k}: {v}" for k, v in sorted(updates.items(), key=str)))
    print("linked whole because: " + (", ".join(f"{r}: {n}" for r, n in reasons.most_common()) or "none"))
    print(f"whole-text parses: {whole_parses}")
    if cpu is not None and total:
        print(f"CPU per update (requests included): {cpu * 1000 / total:.2f} ms")


if __name__ == "__main__":
    main()
