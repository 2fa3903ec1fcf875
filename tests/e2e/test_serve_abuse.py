"""weft serve under bad HTTP and load: every bad request gets its status and
a JSON reason, and the server keeps serving; concurrent writers from HTTP,
`calls import` and `weft exec` lose and duplicate nothing; SIGTERM while
batches are in flight keeps every batch that was answered 2xx."""
import json
import os
import signal
import socket
import subprocess
import threading
import time
import unittest

from serve_lib import Server, ServeTest
from weftlib import BIN


class BadHttpTest(ServeTest):
    server_args = ("--max-body", "64KiB")

    def alive(self):
        self.assertEqual(self.request("GET", "/health", conn=self.server.conn()).json(), {"status": "ok"})

    def assertReason(self, reply, status, needle=""):
        self.assertEqual(reply.status, status, reply.body[:200])
        self.assertIn(needle, reply.json()["reason"])

    def test_malformed_bodies_and_wrong_types(self):
        self.assertReason(self.post("/obj/create", b"{not json"), 400, "request body")
        self.assertReason(self.post("/obj/create", b""), 400, "request body")
        self.assertReason(self.post("/obj/create", b"\xff\xfe"), 400, "request body")
        # A request its model refuses is FastAPI's 422, as Weave's server answers it.
        self.assertReason(self.post("/obj/create", {"obj": {"project_id": 1, "object_id": "o", "val": 1}}), 422,
                          "obj.project_id")
        self.assertReason(self.post("/call/upsert_batch", {"batch": "nope"}), 422, "batch")
        self.assertReason(self.post("/calls/stream_query", {"project_id": "acme/app", "sort_by": [{"field": "id"}]}), 422,
                          "direction")
        deep = "[" * 100000 + "]" * 100000
        self.assertIn(self.post("/obj/create", deep.encode()).status, (400, 413))
        self.alive()

    def test_routes_methods_and_sizes(self):
        self.assertReason(self.post("/no/such/route", {}), 404, "no route")
        self.assertReason(self.request("GET", "/obj/create"), 405, "POST")
        self.assertReason(self.request("DELETE", "/health"), 405, "GET")
        self.assertReason(self.post("/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o",
                                                            "val": "x" * 100000}}), 413, "max-body")
        self.assertReason(self.multipart("/file/create", {"project_id": "acme/app"}, None, b""), 400, "file")
        self.assertReason(self.post("/file/create", {"project_id": "acme/app"}), 400, "multipart")
        self.alive()

    def test_truncated_and_abandoned_requests(self):
        head = b"POST /obj/create HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
        self.raw(head + b'{"obj": {', read=False)  # sent less than promised, then closed
        s = socket.create_connection((self.server.host, self.server.port))
        s.sendall(head[:20])
        s.close()  # gone mid-request line
        self.alive()
        # gone mid-stream: a large answer nobody reads
        batch = [self.start_item("c%04d" % i) for i in range(100)]
        self.post_ok("/call/upsert_batch", {"batch": batch})
        s = socket.create_connection((self.server.host, self.server.port))
        body = json.dumps({"project_id": "acme/app"}).encode()
        s.sendall(b"POST /calls/stream_query HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        s.recv(100)
        s.close()
        self.alive()
        self.assertEqual(self.okj("calls", "query-stats")["count"], 100)

    def test_a_slow_client_does_not_hold_up_the_others(self):
        s = socket.create_connection((self.server.host, self.server.port))
        stop = threading.Event()

        def dribble():
            for b in b"POST /obj/create HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n":
                if stop.is_set():
                    return
                try:
                    s.send(bytes([b]))
                except OSError:
                    return
                time.sleep(1)
        t = threading.Thread(target=dribble)
        t.start()
        try:
            for _ in range(3):
                self.alive()
                time.sleep(0.2)
        finally:
            stop.set()
            t.join()
            s.close()

    def test_64_concurrent_connections(self):
        errors = []

        def client(n):
            try:
                c = self.server.conn()
                for i in range(5):
                    r = self.post("/call/upsert_batch", {"batch": [self.start_item("k%02d-%d" % (n, i))]}, conn=c)
                    if r.status != 200:
                        errors.append(r.status)
                c.close()
            except Exception as e:  # noqa: BLE001 - collected and reported below
                errors.append(repr(e))
        threads = [threading.Thread(target=client, args=(n,)) for n in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(self.okj("calls", "query-stats")["count"], 320)


class ConcurrentWritersTest(ServeTest):
    def test_http_import_and_exec_write_one_store(self):
        errors = []

        def connection(n):
            c = self.server.conn()
            for b in range(10):
                items = []
                for i in range(20):
                    cid = "h%d-%d-%d" % (n, b, i)
                    items += [self.start_item(cid, trace="t%d" % n), self.end_item(cid)]
                r = self.post("/call/upsert_batch", {"batch": items}, conn=c)
                if r.status != 200:
                    errors.append(r.body)
            c.close()
        lines = []
        for i in range(500):
            lines.append(json.dumps(self.start_item("i%d" % i, trace="imp")))
            lines.append(json.dumps(self.end_item("i%d" % i)))
        path = os.path.join(self.dir, "calls.ndjson")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        threads = [threading.Thread(target=connection, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        importer = subprocess.Popen([BIN, "calls", "import", path], env=self.env, stdout=subprocess.DEVNULL)
        execs = [subprocess.Popen([BIN, "exec", "--op", "step", "--", "true"], env=self.env) for _ in range(10)]
        for t in threads:
            t.join()
        self.assertEqual(importer.wait(), 0)
        self.assertEqual([p.wait() for p in execs], [0] * 10)
        self.assertEqual(errors, [])
        self.assertEqual(self.okj("calls", "query-stats")["count"], 8 * 10 * 20 + 500 + 10)
        ids = [c["id"] for c in self.okj("calls", "query")["calls"]]
        self.assertEqual(len(ids), len(set(ids)))


class SigtermTest(ServeTest):
    def test_every_batch_answered_2xx_is_kept(self):
        acked, stop = [], threading.Event()

        def writer(n):
            c = self.server.conn()
            for b in range(1000):
                if stop.is_set():
                    break
                ids = ["s%d-%d-%d" % (n, b, i) for i in range(50)]
                try:
                    r = self.post("/call/upsert_batch", {"batch": [self.start_item(i) for i in ids]}, conn=c)
                except OSError:
                    break
                if r.status == 200:
                    acked.extend(ids)
            c.close()
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        self.assertTrue(self.wait_until(lambda: len(acked) >= 400))
        code, _ = self.server.stop(signal.SIGTERM)
        stop.set()
        for t in threads:
            t.join()
        self.assertEqual(code, 0)
        stored = {c["id"] for c in self.okj("calls", "query")["calls"]}
        self.assertTrue(set(acked) <= stored, "answered 2xx but missing: %d" % len(set(acked) - stored))


if __name__ == "__main__":
    unittest.main()
