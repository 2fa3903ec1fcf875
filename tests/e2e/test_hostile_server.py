"""weft push and pull against a hostile or broken Weave server (a small one
in Python, on loopback): 200 answers that are no acknowledgement,
redirects, huge, endless and trickling replies, records for other projects,
wrong digests; credentials only to their own host and never printed; and
weft import of a file that tries the same. docs/security.md."""
import base64
import hashlib
import http.server
import json
import os
import threading
import time

from weftlib import BIN, WeftTest, main

P = "team/app"


def weave_digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().replace("-", "X").replace("_", "Y").rstrip("=")


class FakeWeave:
    """A Weave trace server that answers as `mode` says, and remembers what
    it was sent (path, Authorization header, body)."""

    def __init__(self, mode="good"):
        self.mode, self.seen, self.calls = mode, [], {}
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.seen.append((self.path, self.headers.get("Authorization"), body))
                fake.answer(self, self.path.split("?")[0], body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def reply(self, h, status, body, ctype="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def answer(self, h, path, body):
        mode = self.mode
        if mode == "detail200":
            return self.reply(h, 200, {"detail": "I am a proxy page"})
        if mode == "redirect":
            return self.reply(h, 307, {}, headers=[("Location", self.elsewhere + path)])
        if mode == "trickle":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            try:
                for _ in range(30):
                    h.wfile.write(b"  ")
                    h.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
            return
        if mode == "endless":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = b" " * (1 << 20)
            try:
                for _ in range(600):  # bounded: 600 MiB at most
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            return
        # a well-behaved server (mode "good"), or the pull modes
        req = json.loads(body) if body and path != "/file/create" else {}
        if path == "/call/upsert_batch":
            for item in req["batch"]:
                part = item["req"].get("start") or item["req"].get("end")
                self.calls.setdefault(part["id"], {}).update(part)
            return self.reply(h, 200, {"res": [{} for _ in req["batch"]]})
        if path == "/calls/stream_query":
            return self.reply(h, 200, b"".join(json.dumps(c).encode() + b"\n" for c in self.pull_calls),
                              "application/jsonl")
        if path == "/obj/read":
            return self.reply(h, 200, {"obj": self.pull_object})
        if path == "/feedback/query":
            return self.reply(h, 200, {"result": []})
        if path == "/graphql":
            return self.reply(h, 200, {"data": {"upsertModel": {"model": {"name": "app"}}}})
        return self.reply(h, 404, {"detail": "Not Found"})


def call(project, cid, op="step", inputs=None):
    return {"project_id": project, "id": cid, "trace_id": "t-" + cid, "op_name": op, "started_at": "2024-01-01T00:00:00Z",
            "attributes": {}, "inputs": inputs or {}, "parent_id": None, "ended_at": "2024-01-01T00:00:01Z",
            "output": None, "summary": {}, "exception": None, "display_name": None, "deleted_at": None,
            "wb_user_id": None, "wb_run_id": None}


class HostileServerTest(WeftTest):
    def setUp(self):
        super().setUp()
        self.env["WEFT_PROJECT"] = P
        self.env["WANDB_API_KEY"] = "k"
        self.env["WEFT_RETRIES"] = "2"
        self.fake = FakeWeave()
        self.addCleanup(self.fake.close)

    def record(self, n):
        for i in range(n):
            self.ok("call", "start", "--op", "step%d" % i)

    def push(self, *args, env=None):
        return self.run_weft("push", "--to", self.fake.url, "--no-create-project", *args, env=env)

    def test_a_200_that_is_no_answer_marks_nothing_sent(self):
        self.record(3)
        self.fake.mode = "detail200"
        r = self.push()
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("has no res", r.err.decode())
        self.fake.mode = "good"
        r = self.push()
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("pushed 3 calls", r.err.decode())
        self.assertEqual(len(self.fake.calls), 3)

    def test_graphql_without_data_is_not_a_created_project(self):
        self.record(1)
        self.fake.mode = "detail200"
        r = self.run_weft("push", "--to", self.fake.url, env=dict(self.env, WANDB_BASE_URL=self.fake.url))
        self.assertEqual(r.code, 1)
        self.assertIn("creating project", r.err.decode())

    def test_redirects_are_not_followed_and_credentials_stay_home(self):
        other = FakeWeave()
        self.addCleanup(other.close)
        self.fake.mode, self.fake.elsewhere = "redirect", other.url
        self.record(1)
        r = self.push()
        self.assertEqual(r.code, 1)
        self.assertIn("redirected to " + other.url, r.err.decode())
        self.assertEqual(other.seen, [])

    def test_a_trickling_server_meets_a_deadline(self):
        self.record(1)
        self.fake.mode = "trickle"
        started = time.time()
        r = self.push(env=dict(self.env, WEFT_TIMEOUT="2", WEFT_RETRIES="1"))
        self.assertEqual(r.code, 1)
        self.assertIn("no whole answer within 2 s", r.err.decode())
        self.assertIn(self.fake.url, r.err.decode())
        self.assertLess(time.time() - started, 10)

    def test_an_endless_reply_is_cut_at_its_cap(self):
        self.record(1)
        self.fake.mode = "endless"
        r = self.push(env=dict(self.env, WEFT_RETRIES="1"))
        self.assertEqual(r.code, 1)
        self.assertIn("larger than 256 MiB", r.err.decode())

    def test_netrc_password_goes_to_its_host_only_and_url_credentials_are_never_printed(self):
        graphql = FakeWeave()
        self.addCleanup(graphql.close)
        netrc = os.path.join(self.dir, "netrc")
        with open(netrc, "w") as f:
            f.write("machine 127.0.0.1 login api password netrc-secret\n")
        env = {k: v for k, v in self.env.items() if k != "WANDB_API_KEY"}
        env.update(NETRC=netrc, WANDB_BASE_URL=graphql.url.replace("127.0.0.1", "localhost"))
        self.record(1)
        r = self.run_weft("push", "--to", self.fake.url, env=env)
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual({a for _, a, _ in graphql.seen}, {None})  # localhost is another host
        self.assertEqual({a for _, a, _ in self.fake.seen},
                         {"Basic " + base64.b64encode(b"api:netrc-secret").decode()})
        # a key in the URL is used for that host and never printed
        self.fake.mode = "detail200"
        url = self.fake.url.replace("http://", "http://api:url-secret@")
        self.ok("call", "start", "--op", "more")
        for args in (("push", "--to", url, "--no-create-project"), ("push", "--to", url, "--dry-run"),
                     ("pull", "--from", url)):
            r = self.run_weft(*args, env=env)
            self.assertNotIn(b"url-secret", r.err + r.out, args)
        self.assertIn("Basic " + base64.b64encode(b"api:url-secret").decode(), {a for _, a, _ in self.fake.seen})

    def test_pull_writes_only_into_its_destination_project(self):
        self.env["WEFT_PROJECT"] = "victim/proj"
        self.ok("call", "start", "--op", "mine", "--id", "shared-id")
        self.env["WEFT_PROJECT"] = P
        self.fake.pull_calls = [call("victim/proj", "shared-id", op="planted"), call(P, "c-ours")]
        r = self.run_weft("pull", "--from", self.fake.url)
        self.assertEqual(r.code, 0, r.err)
        victim = self.okj("--project", "victim/proj", "call", "read", "--id", "shared-id")["call"]
        self.assertEqual(victim["op_name"], "mine")
        ids = sorted(c["id"] for c in self.okj("calls", "query")["calls"])
        self.assertEqual(ids, ["c-ours", "shared-id"])
        # a second pull changes nothing, and says so
        r = self.run_weft("pull", "--from", self.fake.url)
        self.assertIn("2 calls (0 new, 2 unchanged)", r.err.decode())

    def test_pull_refuses_an_object_whose_digest_is_not_its_content(self):
        val = {"a": 1}
        forged = weave_digest(json.dumps({"a": 2}, sort_keys=True).encode())
        self.fake.pull_calls = [call(P, "c1", inputs={"d": "weave:///%s/object/ds:%s" % (P, forged)})]
        self.fake.pull_object = {"project_id": P, "object_id": "ds", "digest": forged, "kind": "object", "val": val,
                                 "created_at": "2024-01-01T00:00:00Z", "version_index": 0, "is_latest": 1,
                                 "base_object_class": None, "deleted_at": None}
        r = self.run_weft("pull", "--from", self.fake.url)
        self.assertEqual(r.code, 2, r.err)
        self.assertIn("object.digest: does not match", r.err.decode())


class ImportTest(WeftTest):
    def export_file(self, records):
        path = os.path.join(self.dir, "in.ndjson")
        with open(path, "w") as f:
            f.write(json.dumps({"weft_export": 1}) + "\n")
            for r in records:
                f.write(json.dumps(r) + "\n")
        return path

    def test_every_record_goes_to_the_destination_and_differing_calls_are_kept(self):
        self.env["WEFT_PROJECT"] = "victim/proj"
        self.ok("call", "start", "--op", "mine", "--id", "shared-id")
        self.ok("call", "start", "--op", "local", "--id", "c-ours", "--project", "team/app")
        path = self.export_file([{"call": call("victim/proj", "shared-id", op="planted")},
                                 {"call": call(P, "c-ours", op="incoming")}])
        r = self.ok("--project", P, "import", path)
        self.assertIn("1 calls (1 new, 0 unchanged)", r.err.decode())
        self.assertIn("1 calls kept as the store has them", r.err.decode())
        self.assertEqual(self.okj("--project", "victim/proj", "call", "read", "--id", "shared-id")["call"]["op_name"],
                         "mine")
        self.assertEqual(self.okj("--project", P, "call", "read", "--id", "c-ours")["call"]["op_name"], "local")
        r = self.ok("import", "--to-project", P, "--replace", path)
        self.assertIn("replaced", r.err.decode())
        self.assertEqual(self.okj("--project", P, "call", "read", "--id", "c-ours")["call"]["op_name"], "incoming")

    def test_export_is_canonical_whatever_was_imported(self):
        path = self.export_file([{"call": call(P, "c1", inputs={"b": 1, "a": "\u00e9", "c": 1.50})}])
        self.ok("--project", P, "import", path)  # json.dumps: spaces, \u escapes, keys unsorted
        with open(os.path.join(self.dir, "fast.ndjson"), "w") as f:  # calls import's fast path keeps key order
            f.write('{"mode":"start","req":{"start":{"project_id":"%s","id":"c2","trace_id":"t","op_name":"f",'
                    '"started_at":"2024-01-01T00:00:00Z","attributes":{},"inputs":{"z":1,"y":2}}}}\n' % P)
        self.ok("--project", P, "calls", "import", os.path.join(self.dir, "fast.ndjson"))
        first = self.ok("--project", P, "export").out
        self.assertIn(b'"inputs":{"a":"\xc3\xa9","b":1,"c":1.5}', first)
        self.assertIn(b'"inputs":{"y":2,"z":1}', first)
        for c in self.okj("--project", P, "calls", "query")["calls"]:  # the same text calls query answers
            self.assertIn(json.dumps(c["inputs"], separators=(",", ":"), ensure_ascii=False).encode(), first)
        copy = dict(self.env, WEFT_STORE=os.path.join(self.dir, "copy"))
        exported = os.path.join(self.dir, "first.ndjson")
        with open(exported, "wb") as f:
            f.write(first)
        self.ok("--project", P, "import", exported, env=copy)
        self.assertEqual(self.ok("--project", P, "export", env=copy).out, first)

    def test_a_forged_digest_is_refused(self):
        path = self.export_file([{"object": {"project_id": P, "object_id": "o", "kind": "object", "digest": "forged",
                                             "val": {"a": 1}, "created_at": "2024-01-01T00:00:00Z"}}])
        self.fails(2, "object.digest: does not match", "--project", P, "import", path)

    def test_a_line_past_max_line_is_refused_with_its_number(self):
        path = self.export_file([{"call": call(P, "c1", inputs={"x": "y" * 5000})}])
        self.fails(2, "line 2 is longer than --max-line", "--project", P, "import", "--max-line", "1KiB", path)
        self.ok("--project", P, "import", path)


if __name__ == "__main__":
    main()
