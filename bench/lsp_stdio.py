"""A small LSP client over a child process's stdin/stdout, as an editor
drives a server, for the benchmarks that time servers side by side.

Messages are framed with a `Content-Length` header. A request blocks until
its response; requests the server makes meanwhile (progress tokens,
configuration, registrations) are answered by `on_request(method, params)`
when given, else with a null result, and notifications are skipped (or
waited for with `wait_for`), so the caller only sees the answer it waits for.

The benches import it with `bench/` on `sys.path`:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
"""

import json
import subprocess
import time


class LspClient:
    def __init__(self, cmd, stderr=subprocess.DEVNULL, env=None, on_request=None):
        """Starts `cmd`; `stderr=None` lets the server's log through.
        `on_request(method, params)` answers the server's own requests (pyright
        wants one item per section for `workspace/configuration`)."""
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env)
        self.next_id = 0
        self.on_request = on_request or (lambda method, params: None)

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        """The next message from the server."""
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                # Without this a dead server would look like an endless header.
                raise EOFError(f"{self.proc.args[0]} closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length is None:
            raise ValueError("a message without a Content-Length header")
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params=None):
        """Sends a request and returns its result; an error response raises."""
        self.next_id += 1
        self.send(_message(method, params, id=self.next_id))
        while True:
            message = self.read()
            if self._answer(message):
                continue
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")

    def timed_request(self, method, params=None):
        """`request`, and its wall time in milliseconds."""
        start = time.perf_counter()
        result = self.request(method, params)
        return result, (time.perf_counter() - start) * 1000

    def wait_for(self, method, predicate=lambda params: True):
        """Reads until a notification `method` whose params satisfy
        `predicate` (pyloom says "pyloom: indexed ..." in a log message once
        queries see the whole workspace); returns its params."""
        while True:
            message = self.read()
            if self._answer(message):
                continue
            if message.get("method") == method and "id" not in message and predicate(message.get("params")):
                return message.get("params")

    def _answer(self, message):
        """Answers a request from the server; False for anything else."""
        if "method" not in message or "id" not in message:
            return False
        result = self.on_request(message["method"], message.get("params"))
        self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        return True

    def notify(self, method, params=None):
        self.send(_message(method, params))

    def peak_rss_mb(self):
        """The server process's peak resident set so far (Linux `VmHWM`)."""
        return self._status_mb("VmHWM")

    def rss_mb(self):
        """The server process's resident set now (Linux `VmRSS`)."""
        return self._status_mb("VmRSS")

    def _status_mb(self, field):
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
        return None

    def close(self, timeout=10):
        """Shuts the server down the LSP way and waits for it to exit."""
        self.request("shutdown")
        self.notify("exit")
        self.proc.wait(timeout=timeout)


def _message(method, params, **fields):
    # JSON-RPC allows no `params` at all, but not `null`.
    message = {"jsonrpc": "2.0", **fields, "method": method}
    if params is not None:
        message["params"] = params
    return message
