"""weft export / import / push / pull end to end: a store with every kind of
record goes to a `weft serve` over another store and comes back, with and
without a project rename (which changes the digests of objects holding refs),
incrementally, after interruption, without a network and without a key."""
import http.client
import http.server
import json
import os
import threading
import re
import signal
import subprocess
import time
import urllib.request

from serve_lib import Server
from weftlib import BIN, WeftTest, main

P = "acme/app"
SOURCE = b"def f(x):\n    return x + 1\n"


def normalized(ndjson, drop_server_fields=True):
    """The records of an export with project names and digests taken out of
    refs, and what a server assigns (digests, ids, creation times) left out,
    so that exports of a project and of its pushed copy compare equal."""
    out = []
    for line in ndjson.decode().splitlines()[1:]:
        line = re.sub(r'weave:///[^/"]+/[^/"]+/(object|op)/([^:/"]+):[A-Za-z0-9_-]+', r"weave:///P/\1/\2", line)
        line = re.sub(r'weave:///[^/"]+/[^/"]+/table/[A-Za-z0-9_-]+', "weave:///P/table", line)
        line = re.sub(r'weave:///[^/"]+/[^/"]+/call/', "weave:///P/call/", line)
        (kind, body), = json.loads(line).items()
        body["project_id"] = "P"
        if drop_server_fields:
            for field in {"object": ["digest", "created_at"], "table": ["digest"], "feedback": ["id", "created_at"]}.get(kind, []):
                body.pop(field, None)
        out.append(json.dumps([kind, body], sort_keys=True))
    return sorted(out)


class FlakyProxy:
    """Forwards to a server, but answers the first requests to each path with
    the statuses in `fail` (503, 429, ...) and counts what it forwarded."""

    def __init__(self, target, fail):
        host, port = target.replace("http://", "").split(":")
        seen, forwarded = {}, []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                n = seen[self.path] = seen.get(self.path, 0) + 1
                if n <= len(fail):
                    self.send_response(fail[n - 1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                forwarded.append(self.path)
                c = http.client.HTTPConnection(host, int(port), timeout=30)
                c.request("POST", self.path, body, {k: v for k, v in self.headers.items() if k.lower() != "host"})
                r = c.getresponse()
                data = r.read()
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.forwarded = forwarded
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class TransferTest(WeftTest):
    def setUp(self):
        super().setUp()
        self.fill()

    def w(self, *args, store=None, env=None):
        env = dict(env or self.env)
        if store:
            env["WEFT_STORE"] = store
        return self.ok(*args, env=env)

    def wj(self, *args, **kw):
        return self.w(*args, **kw).json()

    def fill(self):
        """Nested traces, running and failed calls, a renamed and a deleted call,
        object versions, a Dataset with its table, an op with its source file,
        an Evaluation referring to the Dataset, and feedback of each type."""
        src = os.path.join(self.dir, "f.py")
        with open(src, "wb") as f:
            f.write(SOURCE)
        fd = self.wj("file", "create", "--name", "obj.py", "--content-file", src)["digest"]
        op = self.wj("obj", "create", "--json", json.dumps({"obj": {"project_id": P, "object_id": "f", "val": {
            "_type": "CustomWeaveType", "weave_type": {"type": "Op"}, "files": {"obj.py": fd}}}}))["digest"]
        table = self.wj("table", "create", "--json", json.dumps({"table": {"project_id": P, "rows": [
            {"q": "2+2", "a": "4"}, {"q": "3*3", "a": "9"}]}}))["digest"]
        ds = self.wj("obj", "create", "--json", json.dumps({"obj": {"project_id": P, "object_id": "qa", "val": {
            "_type": "Dataset", "_class_name": "Dataset", "_bases": ["Object", "BaseModel"], "name": "qa",
            "rows": "weave:///%s/table/%s" % (P, table)}}}))["digest"]
        for lr in (0.1, 0.2):
            self.w("obj", "create", "--json", json.dumps({"obj": {"project_id": P, "object_id": "config", "val": {"lr": lr}}}))
        ev = self.wj("obj", "create", "--json", json.dumps({"obj": {"project_id": P, "object_id": "eval", "val": {
            "_type": "Evaluation", "dataset": "weave:///%s/object/qa:%s" % (P, ds), "scorers": []}}}))["digest"]
        self.eval_ref = "weave:///%s/object/eval:%s" % (P, ev)
        self.op_ref = "weave:///%s/op/f:%s" % (P, op)
        self.ds_ref = "weave:///%s/object/qa:%s" % (P, ds)
        items = []
        def start(cid, trace, parent=None, t="2026-01-01T00:00:00Z", inputs=None, name=None):
            s = {"project_id": P, "id": cid, "trace_id": trace, "parent_id": parent, "op_name": self.op_ref,
                 "started_at": t, "attributes": {"env": "ci"}, "inputs": inputs or {"x": 1}, "wb_user_id": "ann"}
            if name:
                s["display_name"] = name
            items.append({"mode": "start", "req": {"start": s}})
        def end(cid, t="2026-01-01T00:00:01Z", exception=None, output=None):
            items.append({"mode": "end", "req": {"end": {"project_id": P, "id": cid, "ended_at": t,
                                                          "exception": exception, "output": output,
                                                          "summary": {"usage": {"m": {"requests": 1}}}}}})
        ids = ["0190a000-0000-7000-8000-00000000000%d" % i for i in range(1, 8)]
        self.ids = ids
        start(ids[0], "t1", inputs={"dataset": self.ds_ref, "x": 1})
        start(ids[1], "t1", ids[0], "2026-01-01T00:00:00.1Z")
        end(ids[1], "2026-01-01T00:00:00.5Z", output={"y": 2})
        start(ids[2], "t1", ids[0], "2026-01-01T00:00:00.6Z")
        end(ids[2], "2026-01-01T00:00:00.7Z", exception="ValueError: no")
        start(ids[3], "t1", ids[0], "2026-01-01T00:00:00.8Z")  # still running
        end(ids[0], output={"result": self.ds_ref})
        start(ids[4], "t2", t="2026-01-02T00:00:00Z", name="first name", inputs={"self": self.eval_ref})
        end(ids[4], "2026-01-02T00:00:01Z", output=[1, 2])
        start(ids[5], "t3", t="2026-01-03T00:00:00Z")
        end(ids[5], "2026-01-03T00:00:01Z")
        self.w("call", "upsert-batch", "--json", json.dumps({"batch": items}))
        self.w("call", "update", "--json", json.dumps({"project_id": P, "call_id": ids[4], "display_name": "renamed"}))
        self.w("calls", "delete", "--json", json.dumps({"project_id": P, "call_ids": [ids[5]]}))
        for fb in ({"weave_ref": "weave:///%s/call/%s" % (P, ids[0]), "feedback_type": "wandb.note.1", "payload": {"note": "good"}},
                   {"weave_ref": "weave:///%s/call/%s" % (P, ids[2]), "feedback_type": "wandb.reaction.1", "payload": {"emoji": "👍"}},
                   {"weave_ref": self.ds_ref, "feedback_type": "custom.score", "payload": {"score": 1}}):
            self.w("feedback", "create", "--json", json.dumps(dict(fb, project_id=P)))

    def export(self, store=None, project=P):
        return self.w("--project", project, "export", store=store).out

    def serve(self, store, *args):
        env = dict(self.env, WEFT_STORE=store)
        server = Server(env, *args)
        self.addCleanup(server.stop)
        return server

    def push(self, url, *args, env=None, code=0):
        env = dict(env or self.env, WANDB_BASE_URL=url)
        r = self.run_weft("push", "--to", url, *args, env=env)
        self.assertEqual(r.code, code, r.err.decode())
        return r

    def test_export_import_export_is_byte_identical(self):
        first = self.w("export").out
        self.assertEqual(json.loads(first.splitlines()[0]), {"weft_export": 1})
        kinds = [next(iter(json.loads(l))) for l in first.splitlines()[1:]]
        self.assertEqual(kinds, sorted(kinds, key=["file", "table", "object", "call", "feedback", "price"].index))
        self.assertEqual(kinds.count("call"), 5)  # the deleted call is not exported
        copy = os.path.join(self.dir, "copy")
        r = self.run_weft("import", "-", stdin=first, env=dict(self.env, WEFT_STORE=copy))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("imported 5 calls, 5 objects, 1 tables, 1 files, 3 feedback", r.err.decode())
        self.assertEqual(self.w("export", store=copy).out, first)
        # Again is harmless: nothing doubles.
        path = os.path.join(self.dir, "a.ndjson")
        with open(path, "wb") as f:
            f.write(first)
        self.w("import", path, store=copy)
        self.assertEqual(self.w("export", store=copy).out, first)

    def test_prices_travel_with_export_import_and_push(self):
        self.w("cost", "add", "--json", json.dumps({"project_id": P, "costs": {"my-model": {
            "prompt_token_cost": 0.5, "completion_token_cost": 1.5, "effective_date": "2025-01-01T00:00:00Z"}}}))
        first = self.w("export").out
        prices = [json.loads(l)["price"] for l in first.splitlines() if l.startswith(b'{"price"')]
        self.assertEqual([(p["llm_id"], p["prompt_token_cost"]) for p in prices], [("my-model", 0.5)])
        copy = os.path.join(self.dir, "copy")
        r = self.run_weft("import", "-", stdin=first, env=dict(self.env, WEFT_STORE=copy))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("3 feedback, 1 prices", r.err.decode())
        self.assertEqual(self.w("export", store=copy).out, first)  # the same row: id, dates and all
        remote_store = os.path.join(self.dir, "remote")
        remote = self.serve(remote_store)
        for _ in range(2):  # pushed once, however often push runs
            self.push(remote.url)
        theirs = self.wj("cost", "query", "--json", json.dumps({"project_id": P}), store=remote_store)["results"]
        self.assertEqual([(p["llm_id"], p["prompt_token_cost"], p["completion_token_cost"], p["effective_date"][:10])
                          for p in theirs], [("my-model", 0.5, 1.5, "2025-01-01")])
        self.fails(2, "price: not a price row", "import", "-", env=dict(self.env, WEFT_STORE=copy),
                   stdin='{"weft_export": 1}\n{"price": {"project_id": "a/b", "llm_id": "m"}}\n')

    def test_import_takes_records_with_fields_of_a_newer_server(self):
        # A newer Weave's ObjSchema and feedback rows have fields weft does not keep (tags, aliases...).
        lines = [json.loads(l) for l in self.w("export").out.splitlines()]
        for record in lines:
            body = next(iter(record.values())) if isinstance(record, dict) and len(record) == 1 else None
            if isinstance(body, dict) and ("object" in record or "feedback" in record):
                body["tags"] = ["reviewed"]
        copy = os.path.join(self.dir, "copy")
        r = self.run_weft("import", "-", stdin=b"\n".join(json.dumps(l).encode() for l in lines) + b"\n",
                          env=dict(self.env, WEFT_STORE=copy))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("5 objects", r.err.decode())
        self.assertIn("3 feedback", r.err.decode())

    def test_one_trace_exports_with_what_it_refers_to_and_opens_in_ui(self):
        out = os.path.join(self.dir, "t1.ndjson")
        self.w("export", "--trace", "t1", "-o", out)
        with open(out) as f:
            records = [json.loads(l) for l in f][1:]
        kinds = [next(iter(r)) for r in records]
        self.assertEqual(kinds.count("call"), 4)  # t1's calls, not t2's or t3's
        names = sorted(r["object"]["object_id"] for r in records if "object" in r)
        self.assertEqual(names, ["f", "qa"])  # the op (by its op_name) and the dataset its input names; not config or eval
        self.assertEqual(kinds.count("table"), 1)  # the dataset's rows
        self.assertEqual(kinds.count("file"), 1)  # the op's source
        self.assertEqual(kinds.count("feedback"), 3)  # on t1's calls and on the dataset
        qa = next(i for i, r in enumerate(records) if r.get("object", {}).get("object_id") == "qa")
        self.assertLess(kinds.index("table"), qa)  # what is referred to comes first
        copy = os.path.join(self.dir, "copy")
        r = self.run_weft("import", out, env=dict(self.env, WEFT_STORE=copy))
        self.assertEqual(r.code, 0, r.err)
        self.fails(3, "no calls in trace nope", "export", "--trace", "nope")
        # weft ui FILE: served read-only from a temporary store that goes when the server stops.
        proc = subprocess.Popen([BIN, "ui", "--port", "0", out], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        url = proc.stdout.readline().decode().strip()
        try:
            req = urllib.request.Request(url + "/calls/query_stats", data=json.dumps({"project_id": P}).encode(),
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=30) as answer:
                self.assertEqual(json.load(answer)["count"], 4)
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(timeout=30), 0)
            err = proc.stderr.read().decode()
            proc.stdout.close()
            proc.stderr.close()
        store = re.search(r"(/tmp/weft-ui-\w+)", err).group(1)
        self.assertFalse(os.path.exists(store))

    def test_columns_keep_their_text_through_export_and_import(self):
        # calls import stores inputs as written (key order, number forms);
        # export writes them so, and import keeps them so.
        line = (r'{"start": {"project_id": "acme/app", "id": "c-fast", "trace_id": "t", "op_name": "o", '
                r'"started_at": "2026-01-05T00:00:00Z", "attributes": {"z": 1, "a": [0.7, 1e100, -0.0]}, '
                r'"inputs": {"\u00e9": "caf\u00e9 \ud83d\ude00", "b": {"y": null, "x": true}}}}')
        self.ok("calls", "import", "-", stdin=line + "\n")
        first = self.w("export").out
        copy = os.path.join(self.dir, "copy")
        r = self.run_weft("import", "-", stdin=first, env=dict(self.env, WEFT_STORE=copy))
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.w("export", store=copy).out, first)
        call = self.wj("call", "read", "--id", "c-fast", store=copy)["call"]
        self.assertEqual(call["attributes"], {"z": 1, "a": [0.7, 1e100, -0.0]})
        self.assertEqual(call["inputs"]["é"], "café 😀")

    def test_import_refuses_what_is_not_an_export(self):
        copy = os.path.join(self.dir, "copy")
        env = dict(self.env, WEFT_STORE=copy)
        self.fails(2, "not a weft export", "import", "-", stdin='{"call": {}}\n', env=env)
        self.fails(2, "newer than this weft reads", "import", "-", stdin='{"weft_export": 99}\n', env=env)
        self.fails(2, "line 2", "import", "-", stdin='{"weft_export": 1}\n{"call": 5}\n', env=env)
        self.fails(2, "line 2: unknown record kind 'nope'", "import", "-",
                   stdin='{"weft_export": 1}\n{"nope": {"project_id": "a/b"}}\n', env=env)
        self.fails(2, "line 3", "import", "-", stdin='{"weft_export": 1}\n\n{"call": {"project_id": "a/b"}\n', env=env)
        self.fails(2, "empty", "import", "-", stdin="", env=env)
        self.fails(2, "not a weft export", "import", "-", stdin='\n\n{"call": {}}\n', env=env)
        self.fails(2, "is a folder", "import", self.dir, env=env)
        self.fails(1, "cannot read", "import", os.path.join(self.dir, "missing.ndjson"), env=env)
        self.assertFalse(os.path.exists(os.path.join(copy, "data.mdb")))

    def test_push_then_pull_round_trip(self):
        remote = self.serve(os.path.join(self.dir, "remote"))
        r = self.push(remote.url)
        self.assertRegex(r.err.decode(), r"pushed 5 calls, 5 objects, 1 tables, 1 files, 3 feedback \(.* MB\) in [0-9.]+ s")
        mine, theirs = self.export(), self.export(os.path.join(self.dir, "remote"))
        self.assertEqual(normalized(theirs), normalized(mine))
        # Same project: every object keeps its digest.
        digests = lambda ndjson: sorted(json.loads(l)["object"]["digest"] for l in ndjson.splitlines() if l.startswith(b'{"object"'))
        self.assertEqual(digests(theirs), digests(mine))
        # Pulled back into a third store, under another name.
        third = os.path.join(self.dir, "third")
        r = self.run_weft("--project", P, "pull", "--from", remote.url, "--to-project", "me/copy",
                          env=dict(self.env, WEFT_STORE=third))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("pulled 5 calls, 3 objects, 1 tables, 1 files, 3 feedback", r.err.decode())
        # Everything but the config object, which no call refers to.
        self.assertEqual(normalized(self.export(third, "me/copy")), [r for r in normalized(mine) if '"config"' not in r])
        # The pulled Evaluation refers to the pulled Dataset, which resolves.
        evals = self.wj("objs", "query", "--json", json.dumps({"project_id": "me/copy", "filter": {"object_ids": ["eval"]}}), store=third)
        ref = evals["objs"][0]["val"]["dataset"]
        self.assertTrue(ref.startswith("weave:///me/copy/object/qa:"))
        got = self.wj("refs", "read-batch", "--json", json.dumps({"refs": [ref + "/attr/rows"]}), store=third)
        self.assertTrue(got["vals"][0].startswith("weave:///me/copy/table/"))
        self.w("check", store=third)

    def test_pull_all_copies_the_whole_project(self):
        remote = self.serve(os.path.join(self.dir, "remote"))
        self.push(remote.url)
        third = os.path.join(self.dir, "third")
        r = self.run_weft("--project", P, "pull", "--from", remote.url, "--all", env=dict(self.env, WEFT_STORE=third))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("5 objects", r.err.decode())  # the config versions too, which no call refers to
        self.assertEqual(normalized(self.export(third)), normalized(self.export()))

    def test_push_to_another_project_rewrites_refs_and_digests(self):
        store = os.path.join(self.dir, "remote")
        remote = self.serve(store)
        self.push(remote.url, "--to-project", "team/other")
        theirs = self.export(store, "team/other")
        self.assertNotIn(b"acme/app", theirs)
        self.assertEqual(normalized(theirs), normalized(self.export()))
        # The Dataset holds a table ref, so its digest differs there; the
        # Evaluation, the calls' inputs and the feedback follow it.
        ds = [json.loads(l)["object"] for l in theirs.splitlines()[1:] if b'"object_id":"qa"' in l][0]
        self.assertNotEqual(ds["digest"], self.ds_ref.rsplit(":", 1)[1])
        new_ref = "weave:///team/other/object/qa:" + ds["digest"]
        self.assertIn(new_ref.encode(), theirs)
        fb = self.wj("--project", "team/other", "feedback", "query", store=store)["result"]
        self.assertIn(new_ref, [f["weave_ref"] for f in fb])
        r = self.w("--project", "team/other", "check", store=store)
        self.assertEqual(r.json()["unresolved_refs"], 0)

    def test_second_push_sends_only_what_changed(self):
        store = os.path.join(self.dir, "remote")
        remote = self.serve(store)
        self.push(remote.url)
        r = self.push(remote.url)
        self.assertIn("pushed 0 calls, 0 objects, 0 tables, 0 files, 0 feedback", r.err.decode())
        ids = self.ids
        self.w("call", "end", "--json", json.dumps({"end": {"project_id": P, "id": ids[3], "ended_at": "2026-01-01T00:00:02Z",
                                                             "summary": {}, "output": "late"}}))
        self.w("call", "update", "--json", json.dumps({"project_id": P, "call_id": ids[1], "display_name": "child"}))
        self.w("calls", "delete", "--json", json.dumps({"project_id": P, "call_ids": [ids[2]]}))
        self.w("call", "upsert-batch", "--json", json.dumps({"batch": [{"mode": "start", "req": {"start": {
            "project_id": P, "id": ids[6], "trace_id": "t9", "op_name": "plain", "started_at": "2026-02-01T00:00:00Z",
            "attributes": {}, "inputs": {}}}}]}))
        self.w("obj", "create", "--json", json.dumps({"obj": {"project_id": P, "object_id": "config", "val": {"lr": 0.3}}}))
        self.w("feedback", "create", "--json", json.dumps({"project_id": P, "weave_ref": "weave:///%s/call/%s" % (P, ids[6]),
                                                            "feedback_type": "wandb.note.1", "payload": {"note": "new"}}))
        dry = self.push(remote.url, "--dry-run")
        self.assertIn("would push 3 calls, 1 objects, 0 tables, 0 files, 1 feedback, deleted 1 calls", dry.err.decode())
        r = self.push(remote.url)
        self.assertIn("pushed 3 calls, 1 objects, 0 tables, 0 files, 1 feedback, deleted 1 calls", r.err.decode())
        self.assertEqual(normalized(self.export(store)), normalized(self.export()))

    def test_the_project_is_created_where_the_trace_server_is(self):
        # Without WANDB_BASE_URL, GraphQL goes to --to's own origin (a /traces suffix cut), not to W&B's cloud.
        remote = self.serve(os.path.join(self.dir, "remote"))
        env = {k: v for k, v in self.env.items() if k != "WANDB_BASE_URL"}
        r = self.run_weft("push", "--dry-run", "--to", remote.url + "/traces", env=env)
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("would create project %s with GraphQL at %s/graphql" % (P, remote.url), r.err.decode())
        r = self.run_weft("push", "--to", remote.url + "/traces", env=env)
        self.assertEqual(r.code, 0, r.err)
        r = self.run_weft("push", "--dry-run", "--to", "https://trace.wandb.ai", env=env)
        self.assertIn("GraphQL at https://api.wandb.ai/graphql", r.err.decode())

    def test_dry_run_sends_nothing(self):
        remote_store = os.path.join(self.dir, "remote")
        remote = self.serve(remote_store)
        r = self.push(remote.url, "--dry-run")
        self.assertIn("would push 5 calls, 5 objects, 1 tables, 1 files, 3 feedback", r.err.decode())
        self.assertEqual(self.wj("--project", P, "calls", "query-stats", store=remote_store)["count"], 0)
        self.assertIn("pushed 5 calls", self.push(remote.url).err.decode())

    def test_network_down_records_nothing_and_fails_clearly(self):
        env = dict(self.env, WEFT_RETRIES="2")
        line = self.fails(1, "http://127.0.0.1:9", "push", "--to", "http://127.0.0.1:9", env=env)
        self.assertIn("gave up after 2 attempts", line)
        remote = self.serve(os.path.join(self.dir, "remote"))
        self.assertIn("pushed 5 calls, 5 objects, 1 tables, 1 files, 3 feedback", self.push(remote.url).err.decode())

    def test_429_and_5xx_are_retried(self):
        store = os.path.join(self.dir, "remote")
        remote = self.serve(store)
        proxy = FlakyProxy(remote.url, [503, 429, 502])
        self.addCleanup(proxy.stop)
        r = self.push(proxy.url, env=dict(self.env, WANDB_BASE_URL=remote.url))
        self.assertIn("pushed 5 calls, 5 objects, 1 tables, 1 files, 3 feedback", r.err.decode())
        self.assertEqual(normalized(self.export(store)), normalized(self.export()))
        self.assertEqual(proxy.forwarded.count("/call/upsert_batch"), 1)

    def test_413_splits_the_batch(self):
        lines = []
        for i in range(300):
            cid = "0190c000-0000-7000-8000-%012d" % i
            lines.append(json.dumps({"project_id": P, "id": cid, "trace_id": cid, "op_name": "big",
                                     "started_at": "2026-03-01T00:00:00Z", "attributes": {}, "inputs": {"pad": "x" * 2000}}))
        self.ok("calls", "import", "-", stdin="\n".join('{"start": %s}' % l for l in lines))
        store = os.path.join(self.dir, "remote")
        remote = self.serve(store, "--max-body", "64KiB")
        self.push(remote.url)
        self.assertEqual(self.wj("--project", P, "calls", "query-stats", store=store)["count"], 305)

    def test_auth_from_env_or_netrc(self):
        remote = self.serve(os.path.join(self.dir, "remote"), "--api-key", "s3cret")
        env = dict(self.env, WANDB_BASE_URL=remote.url, HOME=self.dir)
        self.fails(1, "WANDB_API_KEY", "push", "--to", remote.url, env=env)
        self.fails(1, "WANDB_API_KEY", "push", "--to", remote.url, env=dict(env, WANDB_API_KEY="wrong"))
        with open(os.path.join(self.dir, ".netrc"), "w") as f:
            f.write("machine 127.0.0.1\n  login user\n  password s3cret\n")
        r = self.run_weft("push", "--to", remote.url, env=env)
        self.assertEqual(r.code, 0, r.err)

    def test_bad_arguments(self):
        self.fails(2, "--to", "push")
        self.fails(2, "http:// or https://", "push", "--to", "ftp://x")
        self.fails(2, "names no host", "push", "--to", "http://")
        self.fails(2, "names no host", "--project", P, "pull", "--from", "https://:443/x")
        self.fails(2, "--to-project", "push", "--to", "http://127.0.0.1:9", "--to-project", "nope")
        self.fails(2, "--since", "push", "--to", "http://127.0.0.1:9", "--since", "yesterday")

    def test_killed_push_resumes_without_duplicates(self):
        lines = []
        for i in range(20000):
            cid = "0190b000-0000-7000-8000-%012d" % i
            lines.append(json.dumps({"mode": "start", "req": {"start": {"project_id": P, "id": cid, "trace_id": cid,
                "op_name": "bulk", "started_at": "2026-03-01T00:00:00Z", "attributes": {}, "inputs": {"i": i, "pad": "x" * 200}}}}))
            lines.append(json.dumps({"mode": "end", "req": {"end": {"project_id": P, "id": cid, "ended_at": "2026-03-01T00:00:01Z",
                "summary": {}, "output": i}}}))
        self.ok("calls", "import", "-", stdin="\n".join(lines))
        store = os.path.join(self.dir, "remote")
        remote = self.serve(store)
        env = dict(self.env, WANDB_BASE_URL=remote.url)
        p = subprocess.Popen([BIN, "push", "--to", remote.url], env=env, stderr=subprocess.PIPE)
        time.sleep(0.8)
        p.send_signal(signal.SIGKILL)
        p.wait()
        r = self.push(remote.url)
        count = lambda s: self.wj("--project", P, "calls", "query-stats", store=s)["count"]
        self.assertEqual(count(store), count(self.store))
        self.assertEqual(normalized(self.export(store)), normalized(self.export()))


if __name__ == "__main__":
    main()
