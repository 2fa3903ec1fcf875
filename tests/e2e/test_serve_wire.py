"""weft serve's HTTP as bytes on a socket: node 18's multipart upload and
every other form RFC 2046/7578 allows (issue 18, independent of the node on
the machine), strict framing (ambiguous lengths refused, chunk extensions
and trailers taken, pipelined requests answered in order), bodies checked
against --max-body as they are decoded, the key checked before the body,
slow clients that hold no worker, and a bound on bodies in flight."""
import base64
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import unittest

from http_raw import closed_by_peer, exchange, read_replies
from serve_lib import Server, ServeTest

NODE18_BOUNDARY = "----formdata-undici-008356344562"
NODE18_BODY = (b"------formdata-undici-008356344562\r\n"
               b"Content-Disposition: form-data; name=\"project_id\"\r\n\r\n"
               b"acme/node18\r\n"
               b"------formdata-undici-008356344562\r\n"
               b"Content-Disposition: form-data; name=\"file\"; filename=\"blob\"\r\n"
               b"Content-Type: application/octet-stream\r\n\r\n"
               b"async function adder(a, b) { return a + b; }\r\n"
               b"------formdata-undici-008356344562--")
SOURCE = b"async function adder(a, b) { return a + b; }"


def head(method, path, host, extra=b"", body=b""):
    return (b"%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, path, host) + extra +
            b"Content-Length: %d\r\n\r\n" % len(body) + body)


class UploadTest(ServeTest):
    def upload(self, content_type, body, path=b"/files/create"):
        data = (b"POST %s HTTP/1.1\r\nhost: %s\r\nconnection: keep-alive\r\ncontent-type: %s\r\n"
                b"content-length: %d\r\n\r\n" % (path, self.hostport(), content_type.encode(), len(body))) + body
        return exchange(self.server.host, self.server.port, data)[0]

    def hostport(self):
        return b"127.0.0.1:%d" % self.server.port

    def read_back(self, reply, project="acme/node18"):
        self.assertEqual(reply.status, 200, reply.body)
        digest = json.loads(reply.body)["digest"]
        return self.ok("file", "content-read", "--project", project, "--digest", digest).out

    def test_node18_upload_as_captured(self):
        self.assertEqual(len(NODE18_BODY), 324)
        reply = self.upload("multipart/form-data; boundary=" + NODE18_BOUNDARY, NODE18_BODY)
        self.assertEqual(self.read_back(reply), SOURCE)

    def test_every_form_the_rfcs_allow(self):
        b = NODE18_BOUNDARY
        cases = {
            "node 20 (CRLF after the close delimiter)": NODE18_BODY + b"\r\n",
            "an epilogue": NODE18_BODY + b"\r\nthis is the epilogue\r\n",
            "a preamble": b"This is the preamble.\r\n" + NODE18_BODY,
            "padding after a delimiter": NODE18_BODY.replace(b"562\r\n", b"562 \t\r\n", 1),
        }
        for name, body in cases.items():
            with self.subTest(name):
                self.assertEqual(self.read_back(self.upload("multipart/form-data; boundary=" + b, body)), SOURCE)
        quoted = (b'--a:b c\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8\'\'%C3%A9t%C3%A9.js\r\n\r\n'
                  + SOURCE + b'\r\n--a:b c\r\nContent-Disposition: form-data; name=project_id\r\n\r\nacme/node18\r\n'
                  b'--a:b c--')
        reply = self.upload('Multipart/Form-Data; boundary="a:b c"', quoted, path=b"/traces/file/create")
        self.assertEqual(self.read_back(reply), SOURCE)

    def test_malformed_uploads_are_400(self):
        for content_type, body in (("multipart/form-data; boundary=x", NODE18_BODY),
                                   ("multipart/form-data; boundary=" + NODE18_BOUNDARY, NODE18_BODY[:-2]),
                                   ("multipart/form-data", NODE18_BODY),
                                   ("application/json", b"{}")):
            reply = self.upload(content_type, body)
            self.assertEqual(reply.status, 400, (content_type, reply.body))
            self.assertTrue(json.loads(reply.body)["reason"])


class FramingTest(ServeTest):
    def send(self, data, count=1):
        return exchange(self.server.host, self.server.port, data, count)

    def host(self):
        return b"127.0.0.1:%d" % self.server.port

    def assertRefusedAndClosed(self, data, status=400):
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(data)
            replies = read_replies(s, 1)
            self.assertEqual([r.status for r in replies], [status], data[:120])
            self.assertTrue(json.loads(replies[0].body)["reason"])
            self.assertTrue(closed_by_peer(s), "the connection stays open after %r" % data[:80])

    def test_ambiguous_framing_is_refused_and_closed(self):
        body = b'{"project_id": "acme/app"}'
        h = self.host()
        self.assertRefusedAndClosed(b"POST /calls/query HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n"
                                    b"Content-Length: 3\r\n\r\n%s" % (h, len(body), body))
        self.assertRefusedAndClosed(b"POST /calls/query HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n"
                                    b"Transfer-Encoding: chunked\r\n\r\n%s" % (h, len(body), body))
        self.assertRefusedAndClosed(b"POST /calls/query HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    b"1g\r\n%s\r\n0\r\n\r\n" % (h, body))
        self.assertRefusedAndClosed(b"POST /calls/query HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    b"2\r\n{}XX0\r\n\r\n" % h)
        self.assertRefusedAndClosed(b"POST /calls/query HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: identity\r\n\r\n" % h)
        self.assertRefusedAndClosed(b"POST /calls/query HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")  # no Host

    def test_chunk_extensions_and_trailers_are_taken(self):
        body = b'{"project_id": "acme/app"}'
        data = (b"POST /calls/query_stats HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"%x;name=value;flag\r\n%s\r\n0\r\nX-Checksum: abc\r\n\r\n" % (self.host(), len(body), body))
        replies = self.send(data)
        self.assertEqual(replies[0].status, 200, replies[0].body)
        self.assertEqual(json.loads(replies[0].body), {"count": 0})

    def test_pipelined_requests_are_answered_in_order(self):
        h = self.host()
        reqs = [head(b"GET", b"/health", h)]
        for i in range(3):
            item = self.start_item("p%d" % i)
            reqs.append(head(b"POST", b"/call/upsert_batch", h, body=json.dumps({"batch": [item]}).encode()))
        reqs.append(head(b"POST", b"/calls/query_stats", h, body=b'{"project_id": "acme/app"}'))
        replies = self.send(b"".join(reqs), count=5)
        self.assertEqual([r.status for r in replies], [200] * 5)
        self.assertEqual(json.loads(replies[0].body), {"status": "ok"})
        self.assertEqual([json.loads(r.body)["res"][0]["id"] for r in replies[1:4]], ["p0", "p1", "p2"])
        self.assertEqual(json.loads(replies[4].body), {"count": 3})

    def test_expect_100_continue(self):
        body = b'{"project_id": "acme/app"}'
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(b"POST /calls/query_stats HTTP/1.1\r\nHost: %s\r\nExpect: 100-continue\r\n"
                      b"Content-Length: %d\r\n\r\n" % (self.host(), len(body)))
            self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n"))
            s.sendall(body)
            self.assertEqual(read_replies(s, 1)[0].status, 200)

    def test_a_form_encoded_json_read_is_limited_by_max_body_only(self):
        ids = ["%032x" % i for i in range(1000)]  # ~40 KB, past the 8 KiB httplib took
        body = json.dumps({"project_id": "acme/app", "filter": {"call_ids": ids}}).encode()
        r = self.post("/calls/query_stats", body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual((r.status, r.json()), (200, {"count": 0}))


class LimitsTest(ServeTest):
    server_args = ("--max-body", "1MiB", "--threads", "4")

    def test_a_chunked_body_past_max_body_is_413(self):
        chunk = b"x" * 65536
        data = (b"POST /obj/create HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
                (b"10000\r\n" + chunk + b"\r\n") * 20 + b"0\r\n\r\n")
        replies = exchange(self.server.host, self.server.port, data)
        self.assertEqual(replies[0].status, 413)
        self.assertIn("max-body", json.loads(replies[0].body)["reason"])

    def test_gzip_bodies_are_decoded_within_limits(self):
        obj = {"obj": {"project_id": "acme/app", "object_id": "zipped", "val": {"a": 1}}}
        r = self.post("/obj/create", gzip.compress(json.dumps(obj).encode()), headers={"Content-Encoding": "gzip"})
        self.assertEqual(r.status, 200, r.body)
        bomb = gzip.compress(b"[" + b" " * (50 << 20) + b"]")  # 50 MB of JSON from ~50 KB
        self.assertLess(len(bomb), 1 << 20)
        r = self.post("/obj/create", bomb, headers={"Content-Encoding": "gzip"})
        self.assertEqual(r.status, 413, r.body)
        r = self.post("/obj/create", b"\x1f\x8bnot really", headers={"Content-Encoding": "gzip"})
        self.assertEqual(r.status, 400, r.body)
        r = self.post("/obj/create", b"{}", headers={"Content-Encoding": "br"})
        self.assertEqual(r.status, 415, r.body)

    def test_slow_clients_hold_no_worker_and_do_not_delay_stopping(self):
        # 40 clients (10x --threads) sending a head a byte a second
        socks = [socket.create_connection((self.server.host, self.server.port)) for _ in range(40)]
        stop = threading.Event()

        def dribble():
            for b in b"POST /obj/create HTTP/1.1\r\nHost: 127.0.0.1\r\n":
                for s in socks:
                    try:
                        s.send(bytes([b]))
                    except OSError:
                        pass
                if stop.wait(1):
                    return
        t = threading.Thread(target=dribble)
        t.start()
        try:
            time.sleep(1.5)
            for i in range(10):
                started = time.time()
                c = self.server.conn(timeout=5)
                r = self.request("GET", "/health", conn=c)
                c.close()
                self.assertEqual(r.status, 200)
                self.assertLess(time.time() - started, 2)
            started = time.time()
            code, _ = self.server.stop(signal.SIGTERM)
            self.assertEqual(code, 0)
            self.assertLess(time.time() - started, 5, "SIGTERM waited for the slow clients")
        finally:
            stop.set()
            t.join()
            for s in socks:
                s.close()


@unittest.skipIf(not shutil.which("mdb_stat") and os.environ.get("CI") != "true", "needs mdb_stat (lmdb-utils)")
class SlowReaderTest(ServeTest):
    def test_a_client_that_does_not_read_holds_no_transaction(self):
        # a stream of ~20 MB that nobody reads: spooled, so the read
        # transaction ends at once, and writes and map growth go on
        big = {"x": "y" * 20000}
        for b in range(10):
            items = [self.start_item("s%d-%03d" % (b, i)) for i in range(100)]
            for it in items:
                it["req"]["start"]["inputs"] = big
            self.post_ok("/call/upsert_batch", {"batch": items})
        body = json.dumps({"project_id": "acme/app"}).encode()
        with socket.create_connection((self.server.host, self.server.port)) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"POST /calls/stream_query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n%s"
                      % (len(body), body))
            self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 200"))
            time.sleep(1)
            readers = subprocess.run(["mdb_stat", "-r", self.store], capture_output=True, text=True).stdout
            active = [l for l in readers.splitlines()[2:] if l.split() and l.split()[-1] != "-"]
            self.assertEqual(active, [], readers)
            started = time.time()
            self.post_ok("/call/upsert_batch", {"batch": [self.start_item("after")]})
            self.assertLess(time.time() - started, 2)


class KeyBeforeBodyTest(ServeTest):
    server_args = ("--api-key", "s3cret")

    def test_a_wrong_key_is_refused_before_the_body_arrives(self):
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            started = time.time()
            s.sendall(b"POST /call/upsert_batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic %s\r\n"
                      b"Content-Length: 50000000\r\n\r\n" % base64.b64encode(b"api:wrong"))
            replies = read_replies(s, 1)
            self.assertEqual(replies[0].status, 401)
            self.assertLess(time.time() - started, 2)


class InFlightTest(ServeTest):
    server_args = ("--max-body", "16MiB", "--max-in-flight", "16MiB")

    def test_bodies_in_flight_are_bounded_and_refusals_say_when_to_retry(self):
        # four ~10 MB batches at once: past --max-in-flight the server answers
        # 503 with Retry-After, and the retries all go through
        bodies = []
        for n in range(4):
            items = [self.start_item("b%d-%06d" % (n, i), trace="t%d" % n) for i in range(25000)]
            for it in items:
                it["req"]["start"]["inputs"] = {"x": "y" * 200}
            bodies.append(json.dumps({"batch": items}).encode())
        self.assertGreater(len(bodies[0]), 8 << 20)
        results, refusals = [], []

        def send(body):
            c = self.server.conn(timeout=120)
            for _ in range(200):
                r = self.post("/call/upsert_batch", body, conn=c)
                if r.status != 503:
                    results.append(r.status)
                    return
                refusals.append(r.headers.get("retry-after"))
                c.close()
                c = self.server.conn(timeout=120)
                time.sleep(0.1)
        peak, done = [0], threading.Event()

        def sample():  # the server's heap: RssAnon (VmHWM would count the store's mapped pages too)
            while not done.wait(0.02):
                with open("/proc/%d/status" % self.server.proc.pid) as f:
                    kb = int([l for l in f if l.startswith("RssAnon")][0].split()[1])
                peak[0] = max(peak[0], kb * 1024)
        sampler = threading.Thread(target=sample)
        sampler.start()
        threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done.set()
        sampler.join()
        self.assertEqual(results, [200] * 4)
        self.assertTrue(refusals and all(r == "1" for r in refusals), refusals)
        # docs/security.md#what-a-client-can-send-and-the-limits allows 32 MiB + 13x
        # --max-in-flight for batches of minimal calls; these starts with 200-byte
        # inputs stay under 10x
        self.assertLess(peak[0], 32 * 2**20 + 10 * 16 * 2**20, "peak heap %d MiB" % (peak[0] >> 20))
        self.assertEqual(self.okj("calls", "query-stats")["count"], 100000)


if __name__ == "__main__":
    unittest.main()
