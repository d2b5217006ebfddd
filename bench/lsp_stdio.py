"""A small LSP client over a child process's stdin/stdout, as an editor
drives a server, for the benchmarks that time servers side by side.

Messages are framed with a `Content-Length` header. A request blocks until
its response; requests the server makes meanwhile (progress tokens,
configuration, registrations) are accepted with a null result, and
notifications are skipped, so the caller only sees the answer it waits for.

The benches import it with `bench/` on `sys.path`:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
"""

import json
import subprocess


class LspClient:
    def __init__(self, cmd, stderr=subprocess.DEVNULL):
        """Starts `cmd`; `stderr=None` lets the server's log through."""
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        self.next_id = 0

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
            if "method" in message and "id" in message:  # a server request: accept
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")

    def notify(self, method, params=None):
        self.send(_message(method, params))

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
