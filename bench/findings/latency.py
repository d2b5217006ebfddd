"""Diagnostics latency after an edit on a 2,000-line file, pyloom against
`ruff server` (0.16.4), side by side over LSP on stdio.

Both servers are asked for pull diagnostics (`textDocument/diagnostic`)
right after each edit, so the time is edit → full report, with no debounce
in it. The file is the first 2,000 lines of Django's `db/models/query.py`;
each edit appends a character to a comment line. Reports the median and
the 90th percentile over the runs, and pyloom's median as a ratio to ruff's.

    python3 bench/findings/latency.py [runs]
"""

import statistics
import sys
import time
from pathlib import Path

from common import corpus, ensure_venv, pyloom_bin, venv_bin

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lsp_stdio import LspClient  # noqa: E402  (bench/ is not a package)


def measure(cmd, text, runs):
    server = LspClient(cmd)
    caps = {"textDocument": {"diagnostic": {"dynamicRegistration": False}}}
    server.request("initialize", {"processId": None, "rootUri": None, "capabilities": caps})
    server.notify("initialized", {})
    uri = "file:///tmp/pyloom-latency/query.py"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    count = len(server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})["items"])
    line = text.count("\n") - 1
    times = []
    for version in range(2, runs + 2):
        start = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 1}, "end": {"line": line, "character": 1}},
                                "text": "x"}]})
        report = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        times.append((time.perf_counter() - start) * 1000)
        assert report["kind"] == "full"
    server.close()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)], count


def main(runs):
    ensure_venv()
    source = corpus("django") / "django" / "db" / "models" / "query.py"
    lines = source.read_text().splitlines(keepends=True)[:2000]
    text = "".join(lines) + "#\n"
    pyloom = measure([str(pyloom_bin()), "serve", "--log-level", "error"], text, runs)
    ruff = measure([str(venv_bin("ruff")), "server"], text, runs)
    print(f"2,000-line file, {runs} edits, edit -> pulled diagnostics:")
    print(f"  pyloom: median {pyloom[0]:.1f} ms, p90 {pyloom[1]:.1f} ms ({pyloom[2]} diagnostics)")
    print(f"  ruff server: median {ruff[0]:.1f} ms, p90 {ruff[1]:.1f} ms ({ruff[2]} diagnostics)")
    print(f"  ratio (median): {pyloom[0] / ruff[0]:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
