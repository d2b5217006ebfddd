"""Diagnostics latency after an edit on a 2,000-line file, pyloom against
`ruff server` (0.16.4), side by side over LSP on stdio.

Both servers are asked for pull diagnostics (`textDocument/diagnostic`)
right after each edit, so the time is edit → full report, with no debounce
in it. The file is the first 2,000 lines of Django's `db/models/query.py`;
each edit appends a character to a comment line. Reports the median and
the 90th percentile over the runs, and pyloom's median as a ratio to ruff's.

    python3 bench/findings/latency.py [runs]
"""

import json
import statistics
import subprocess
import sys
import time

from common import corpus, ensure_venv, pyloom_bin, venv_bin


class Server:
    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # a server request: answer null
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=10)


def measure(cmd, text, runs):
    server = Server(cmd)
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
