"""What a web page can do to weft serve and weft ui, sent as a browser would
send it: DNS rebinding (a foreign Host), cross-site writes (Origin,
Sec-Fetch-Site, the content types a page sends without a preflight), CORS,
framing and sniffing headers; the key on every route of weft ui and the
page's way to carry it; a non-loopback address without a key; the browser
opener without a shell. docs/security.md."""
import base64
import json
import os
import signal
import stat
import subprocess
import time
import unittest

from http_raw import exchange
from serve_lib import ServeTest
from weftlib import BIN, WeftTest

OBJ = json.dumps({"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}}).encode()


class BrowserRulesTest(ServeTest):
    server_args = ("--allow-host", "weft.internal")

    def raw(self, method, path, headers, body=b""):
        lines = [b"%s %s HTTP/1.1" % (method, path)] + [b"%s: %s" % (k, v) for k, v in headers.items()]
        data = b"\r\n".join(lines) + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        return exchange(self.server.host, self.server.port, data)[0]

    def hostport(self, name=b"127.0.0.1"):
        return name + b":%d" % self.server.port

    def test_foreign_host_names_are_refused_before_routing(self):
        for host in (b"evil.example:%d" % self.server.port, b"evil.example", b"127.0.0.1.evil.example",
                     b"localhost.:%d" % self.server.port, b"10.0.0.1"):
            for method, path in ((b"GET", b"/health"), (b"POST", b"/calls/query"), (b"POST", b"/obj/create")):
                r = self.raw(method, path, {b"Host": host}, OBJ if path == b"/obj/create" else b"{}")
                self.assertEqual(r.status, 421, (host, path))
                self.assertIn("allow-host", json.loads(r.body)["reason"])
        self.assertEqual(self.okj("objs", "query")["objs"], [])
        for host in (b"localhost", b"127.0.0.1", b"[::1]", b"weft.internal"):
            self.assertEqual(self.raw(b"GET", b"/health", {b"Host": self.hostport(host)}).status, 200, host)

    def test_cross_site_requests_with_a_body_are_refused(self):
        h = self.hostport()
        cases = [
            {b"Origin": b"http://evil.example"},
            {b"Origin": b"http://127.0.0.1:1"},  # another loopback origin
            {b"Origin": b"null"},
            {b"Sec-Fetch-Site": b"cross-site"},
            {b"Sec-Fetch-Site": b"same-site"},  # another port of localhost is the same site
        ]
        for headers in cases:
            for path in (b"/obj/create", b"/calls/query", b"/feedback/create", b"/weft/calls/summary",
                         b"/weft/calls/diff", b"/weft/evaluations/compare"):
                r = self.raw(b"POST", path, {b"Host": h, b"Content-Type": b"application/json", **headers}, OBJ)
                self.assertEqual(r.status, 403, (headers, path))
        self.assertEqual(self.okj("objs", "query")["objs"], [])
        same = {b"Host": h, b"Origin": b"http://" + h, b"Sec-Fetch-Site": b"same-origin", b"Content-Type": b"application/json"}
        self.assertEqual(self.raw(b"POST", b"/obj/create", same, OBJ).status, 200)

    def test_writes_a_page_can_send_without_a_preflight_are_refused(self):
        h = self.hostport()
        for ctype in (b"text/plain", b"text/plain;charset=UTF-8", b"application/x-www-form-urlencoded",
                      b"multipart/form-data; boundary=x"):
            r = self.raw(b"POST", b"/obj/create", {b"Host": h, b"Content-Type": ctype}, OBJ)
            self.assertEqual(r.status, 415, ctype)
            self.assertIn("application/json", json.loads(r.body)["reason"])
        self.assertEqual(self.okj("objs", "query")["objs"], [])
        # what the SDKs send: nothing (Python), application/json (TypeScript)
        self.assertEqual(self.raw(b"POST", b"/obj/create", {b"Host": h}, OBJ).status, 200)
        self.assertEqual(self.raw(b"POST", b"/obj/create", {b"Host": h, b"Content-Type": b"application/json"}, OBJ).status, 200)
        # a read may come as a form (curl -d's default)
        r = self.raw(b"POST", b"/calls/query_stats", {b"Host": h, b"Content-Type": b"application/x-www-form-urlencoded"},
                     b'{"project_id": "acme/app"}')
        self.assertEqual(r.status, 200)

    def test_every_answer_forbids_framing_sniffing_and_cross_origin_reads(self):
        h = self.hostport()
        for method, path, headers in ((b"GET", b"/health", {}), (b"POST", b"/calls/query", {}),
                                      (b"GET", b"/nope", {}), (b"OPTIONS", b"/calls/query",
                                      {b"Origin": b"http://evil.example", b"Access-Control-Request-Method": b"POST"})):
            r = self.raw(method, path, {b"Host": h, **headers}, b'{"project_id": "acme/app"}' if method == b"POST" else b"")
            self.assertEqual(r.headers.get("x-content-type-options"), "nosniff")
            self.assertEqual(r.headers.get("x-frame-options"), "DENY")
            self.assertIn("frame-ancestors 'none'", r.headers.get("content-security-policy", ""))
            self.assertNotIn("access-control-allow-origin", r.headers)
        self.assertIn(r.status, (403, 405))  # no preflight is ever granted


class ListenTest(WeftTest):
    def serve(self, *args, env=None):
        return subprocess.Popen([BIN, *args], env=env or self.env, cwd=self.dir, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def stop(self, p):
        p.send_signal(signal.SIGTERM)
        return p.communicate(timeout=30)

    def test_a_network_address_needs_a_key(self):
        for cmd in ("serve", "ui"):
            self.fails(2, "--api-key", cmd, "--host", "0.0.0.0", "--port", "0")
        p = self.serve("serve", "--host", "0.0.0.0", "--port", "0", "--insecure-no-key")
        url = p.stdout.readline().decode().strip()
        self.assertTrue(url.startswith("http://0.0.0.0:"), url)
        _, err = self.stop(p)
        self.assertIn("without a key", err.decode())
        p = self.serve("serve", "--host", "0.0.0.0", "--port", "0", "--api-key", "k")
        self.assertTrue(p.stdout.readline().startswith(b"http://"))
        self.stop(p)

    def test_ipv6_loopback_prints_a_usable_url(self):
        p = self.serve("serve", "--host", "::1", "--port", "0")
        url = p.stdout.readline().decode().strip()
        out, err = self.stop(p)
        if not url:
            self.skipTest("no IPv6 loopback here: " + err.decode())
        self.assertRegex(url, r"^http://\[::1\]:\d+$")
        self.assertIn(url, err.decode())

    def test_ui_with_a_key_guards_every_route_and_the_page_carries_it(self):
        self.ok("call", "start", "--op", "seed")
        env = dict(self.env, WEFT_API_KEY="s3cret key")
        p = self.serve("ui", "--port", "0", env=env)
        url = p.stdout.readline().decode().strip()
        page = p.stderr.readline() and p.stderr.readline().decode().strip()
        try:
            self.assertTrue(page.startswith(url + "/?project=acme/app#key=s3cret%20key"), page)
            host, port = url.replace("http://", "").split(":")
            h = b"%s:%s" % (host.encode(), port.encode())
            get = lambda path, extra=b"": exchange(host, int(port), b"GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (path, h, extra))[0]
            self.assertEqual(get(b"/").status, 200)  # the page itself holds no data
            self.assertEqual(get(b"/ui/app.mjs").status, 200)
            self.assertEqual(get(b"/weft/projects").status, 401)
            auth = b"Authorization: Basic %s\r\n" % base64.b64encode(b"api:s3cret key")
            r = get(b"/weft/projects", auth)
            self.assertEqual((r.status, json.loads(r.body)), (200, {"projects": ["acme/app"], "read_only": True}))
        finally:
            self.stop(p)

    def test_the_browser_opener_runs_no_shell(self):
        bindir = os.path.join(self.dir, "bin")
        os.makedirs(bindir)
        log = os.path.join(self.dir, "opened")
        opener = os.path.join(bindir, "xdg-open")
        with open(opener, "w") as f:
            f.write('#!/bin/sh\nprintf "%%s\\n" "$#" "$@" > %s\n' % log)
        os.chmod(opener, stat.S_IRWXU)
        env = dict(self.env, PATH=bindir + ":" + os.environ["PATH"])
        project = "a/b';touch pwned;'$(touch pwned2)"
        p = self.serve("--project", project, "ui", "--open", "--port", "0", env=env)
        url = p.stdout.readline().decode().strip()
        deadline = time.time() + 10
        while not os.path.exists(log) and time.time() < deadline:
            time.sleep(0.05)
        self.stop(p)
        self.assertEqual(sorted(os.listdir(self.dir)), ["bin", "opened", "store"] if os.path.exists(self.store)
                         else ["bin", "opened"])
        with open(log) as f:
            self.assertEqual(f.read().splitlines(),
                             ["1", url + "/?project=a/b%27%3Btouch%20pwned%3B%27%24%28touch%20pwned2%29"])


if __name__ == "__main__":
    unittest.main()
