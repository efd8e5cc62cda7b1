"""A small LSP client for the tests: frames messages to `tmlint lsp`,
reads its frames back with a deadline, and collects notifications."""
import json, os, select, subprocess, time


class Client:
    def __init__(self, argv, cwd=None):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.buf = b""
        self.next_id = 1
        self.notes = []

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params or {}})
        return self.wait(lambda m: m.get("id") == i and "method" not in m)

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def read(self, timeout=10.0):
        end = time.time() + timeout
        while True:
            h = self.buf.find(b"\r\n\r\n")
            if h >= 0:
                head = self.buf[:h].decode()
                n = int([l for l in head.split("\r\n") if l.lower().startswith("content-length:")][0].split(":")[1])
                if len(self.buf) >= h + 4 + n:
                    body = self.buf[h + 4:h + 4 + n]
                    self.buf = self.buf[h + 4 + n:]
                    return json.loads(body)
            left = end - time.time()
            if left <= 0:
                raise TimeoutError("no message from the server")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("the server closed its output")
            self.buf += chunk

    def wait(self, pred, timeout=10.0):
        for i, m in enumerate(self.notes):
            if pred(m):
                return self.notes.pop(i)
        end = time.time() + timeout
        while True:
            m = self.read(max(0.01, end - time.time()))
            if pred(m):
                return m
            self.notes.append(m)

    def diagnostics(self, uri, timeout=10.0):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri,
                         timeout)["params"]

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        return self.p.wait(10)
