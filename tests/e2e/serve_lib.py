"""A `weft serve` on a fresh store, and a small HTTP client for it (keep-alive
connections, the request shapes both SDKs send)."""
import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse

from weftlib import BIN, WeftTest


class Server:
    def __init__(self, env, *args):
        self.proc = subprocess.Popen([BIN, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.url = self.proc.stdout.readline().decode().strip()
        if not self.url.startswith("http://"):
            raise RuntimeError("weft serve did not start: " + self.proc.stderr.read().decode())
        parsed = urllib.parse.urlparse(self.url)
        self.host, self.port = parsed.hostname, parsed.port

    def conn(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; answers its exit code and stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.proc.returncode, self.proc.stderr.read().decode()


class Reply:
    def __init__(self, resp):
        self.status = resp.status
        self.headers = {k.lower(): v for k, v in resp.getheaders()}
        self.body = resp.read()

    def json(self):
        return json.loads(self.body)

    def ndjson(self):
        return [json.loads(line) for line in self.body.decode().split("\n") if line.strip()]


class ServeTest(WeftTest):
    server_args = ()

    def setUp(self):
        super().setUp()
        self.server = Server(self.env, *self.server_args)
        self.addCleanup(self.server.stop)
        self.c = self.server.conn()
        self.addCleanup(self.c.close)

    def request(self, method, path, body=None, headers=None, conn=None):
        """A request as Python's SDK sends it: bytes with no Content-Type."""
        conn = conn or self.c
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        headers = dict(headers or {})
        headers.setdefault("Authorization", "Basic " + base64.b64encode(b"api:some-key").decode())
        conn.request(method, path, body=data, headers=headers)
        return Reply(conn.getresponse())

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def post_ok(self, path, body, **kw):
        r = self.post(path, body, **kw)
        self.assertEqual(r.status, 200, "%s: %s" % (path, r.body[:300]))
        return r.json() if r.headers.get("content-type", "").startswith("application/json") else r

    def multipart(self, path, fields, file_name, data):
        boundary = "----weft-test-boundary"
        parts = []
        for k, v in fields.items():
            parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k, v)).encode())
        if file_name is not None:
            parts.append(('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                          'Content-Type: application/octet-stream\r\n\r\n' % (boundary, file_name)).encode() + data + b"\r\n")
        body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
        return self.post(path, body, headers={"Content-Type": "multipart/form-data; boundary=" + boundary})

    def raw(self, data, read=True, timeout=10):
        """Sends bytes on a fresh socket; answers what came back."""
        s = socket.create_connection((self.server.host, self.server.port), timeout=timeout)
        try:
            s.sendall(data)
            if not read:
                return b""
            out = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return out
                out += chunk
                if b"\r\n\r\n" in out and b"Content-Length" in out:
                    head, _, rest = out.partition(b"\r\n\r\n")
                    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
                    if len(rest) >= length:
                        return out
        finally:
            s.close()

    def start_item(self, call_id, trace="t1", parent=None, op="weave:///acme/app/op/f:abc", at="2024-01-01T00:00:00.000Z"):
        start = {"project_id": "acme/app", "id": call_id, "trace_id": trace, "op_name": op, "started_at": at,
                 "attributes": {}, "inputs": {"x": 1}, "parent_id": parent, "display_name": None,
                 "thread_id": None, "turn_id": None, "otel_dump": None, "wb_user_id": None, "wb_run_id": None,
                 "wb_run_step": None}
        return {"mode": "start", "req": {"start": start}}

    def end_item(self, call_id, exception=None, at="2024-01-01T00:00:01.000Z"):
        end = {"project_id": "acme/app", "id": call_id, "ended_at": at, "summary": {}, "output": {"y": 2},
               "exception": exception, "wb_run_step_end": None}
        return {"mode": "end", "req": {"end": end}}

    def wait_until(self, predicate, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return False
