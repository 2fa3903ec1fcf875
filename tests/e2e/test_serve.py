"""weft serve as Weave's SDKs see it: the Python SDK's exact request shapes
(no Content-Type, explicit nulls, plural file routes, GraphQL), the
responses they validate, and what the CLI then reads from the store."""
import json
import subprocess
import unittest

from serve_lib import Server, ServeTest
from weftlib import BIN


class PythonShapesTest(ServeTest):
    def test_init_sequence(self):
        info = self.request("GET", "/traces/server_info").json()
        self.assertEqual(info["min_required_weave_python_version"], "0.0.0")
        self.assertIsInstance(info["trace_server_version"], str)
        self.assertEqual(self.request("GET", "/health").json(), {"status": "ok"})
        viewer = self.post_ok("/graphql", {"query": "query DefaultEntity { viewer { username defaultEntity { name } } }"})
        self.assertIsInstance(viewer["data"]["viewer"]["defaultEntity"]["name"], str)
        q = "query Project($name: String!, $entityName: String!) { project(name: $name, entityName: $entityName) { name } }"
        project = self.post_ok("/graphql", {"query": q, "variables": {"name": "app", "entityName": "acme"}})
        self.assertEqual(project, {"data": {"project": {"name": "app"}}})
        m = "mutation UpsertModel($name: String!) { upsertModel(input: {name: $name}) { model { name description } } }"
        self.assertEqual(self.post_ok("/graphql", {"query": m, "variables": {"name": "app"}}),
                         {"data": {"upsertModel": {"model": {"name": "app", "description": None}}}})
        other = self.post_ok("/graphql", {"query": "query { somethingElse }"})
        self.assertIsNone(other["data"])
        self.assertTrue(other["errors"])

    def test_ops_calls_and_reads(self):
        code = b"def f(x):\n    return x\n"
        up = self.multipart("/traces/files/create", {"project_id": "acme/app"}, "obj.py", code)
        self.assertEqual(up.status, 200, up.body)
        digest = up.json()["digest"]
        # A newer Python SDK sends the digest it computed as a form field; weft checks it.
        again = self.multipart("/traces/files/create", {"project_id": "acme/app", "expected_digest": digest}, "obj.py", code)
        self.assertEqual(again.json(), {"digest": digest})
        wrong = self.multipart("/traces/files/create", {"project_id": "acme/app", "expected_digest": "nope"}, "obj.py", code)
        self.assertEqual(wrong.status, 400)
        self.assertIn("client file 'obj.py' digest nope != server digest", wrong.json()["reason"])
        self.assertEqual(self.post("/calls/query", {"project_id": "acme/app", "colour": "red"}).status, 422)
        op_val = {"_type": "CustomWeaveType", "weave_type": {"type": "Op"}, "files": {"obj.py": digest}, "load_op": None}
        created = self.post_ok("/traces/obj/create", {"obj": {"project_id": "acme/app", "object_id": "f", "val": op_val,
                                                              "builtin_object_class": None, "set_base_object_class": None,
                                                              "wb_user_id": None}})
        op_ref = "weave:///acme/app/op/f:" + created["digest"]
        batch = [self.start_item("c1", op=op_ref), self.start_item("c2", parent="c1", op=op_ref),
                 self.end_item("c2", exception="ValueError: boom"), self.end_item("c1")]
        self.assertIsInstance(self.post_ok("/traces/call/upsert_batch", {"batch": batch})["res"], list)
        # a batch sent again (its answer was lost) changes nothing; a different second start is refused
        self.post_ok("/traces/call/upsert_batch", {"batch": batch})
        again = self.start_item("c1", op=op_ref, at="2024-01-01T00:00:09.000Z")
        self.assertEqual(self.post("/traces/call/upsert_batch", {"batch": [again]}).status, 400)
        r = self.post("/traces/calls/stream_query", {"project_id": "acme/app", "filter": {"trace_ids": ["t1"]},
                                                    "limit": 1000, "include_costs": False, "sort_by": None,
                                                    "query": None, "columns": None})
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("application/jsonl"))
        calls = r.ndjson()
        self.assertEqual([c["id"] for c in calls], ["c1", "c2"])
        for c in calls:
            for key in ("id", "project_id", "op_name", "trace_id", "started_at", "attributes", "inputs"):
                self.assertIn(key, c)
        self.assertEqual(calls[1]["summary"]["weave"]["status"], "error")
        self.assertEqual(self.post_ok("/traces/calls/query_stats", {"project_id": "acme/app", "filter": None,
                                                                    "query": None, "limit": None})["count"], 2)
        content = self.post("/traces/files/content", {"project_id": "acme/app", "digest": digest},
                            headers={"Content-Type": "application/json"})
        self.assertEqual(content.status, 200)
        self.assertEqual(content.headers["content-type"], "application/octet-stream")
        self.assertEqual(content.body, code)
        obj = self.post_ok("/traces/obj/read", {"project_id": "acme/app", "object_id": "f", "digest": created["digest"]})["obj"]
        for key in ("base_object_class", "created_at", "digest", "version_index", "is_latest", "kind", "val"):
            self.assertIn(key, obj)
        self.assertEqual(obj["kind"], "op")
        self.assertEqual(self.post_ok("/traces/refs/read_batch", {"refs": [op_ref]})["vals"][0]["files"]["obj.py"], digest)
        # the CLI reads what the server wrote, while it runs
        tree = subprocess.run([BIN, "--color", "never", "calls", "tree", "t1"], capture_output=True, env=self.env)
        self.assertEqual(tree.returncode, 0, tree.stderr)
        self.assertIn("f", tree.stdout.decode())
        self.assertEqual(self.okj("file", "content-read", "--digest", digest) if False else
                         self.ok("file", "content-read", "--digest", digest).out, code)

    def test_tables_feedback_and_deletes(self):
        t = self.post_ok("/traces/table/create", {"table": {"project_id": "acme/app", "rows": [{"q": 1}, {"q": 2}]}})
        self.assertEqual(len(t["row_digests"]), 2)
        rows = self.post_ok("/traces/table/query", {"project_id": "acme/app", "digest": t["digest"]})["rows"]
        self.assertEqual([r["digest"] for r in rows], t["row_digests"])
        self.assertEqual(self.post_ok("/traces/table/query_stats", {"project_id": "acme/app", "digest": t["digest"]}),
                         {"count": 2})
        self.assertEqual(self.post_ok("/traces/table/query_stats_batch",
                                      {"project_id": "acme/app", "digests": [t["digest"]]})["tables"][0]["count"], 2)
        self.assertEqual(self.post_ok("/traces/table/create_from_digests",
                                      {"project_id": "acme/app", "row_digests": t["row_digests"]}), {"digest": t["digest"]})
        self.assertEqual(self.post("/table/create_from_digests",
                                   {"project_id": "acme/app", "row_digests": ["nope"]}).status, 404)
        stream = self.post("/table/query_stream", {"project_id": "acme/app", "digest": t["digest"]})
        self.assertEqual([json.loads(l)["val"] for l in stream.body.splitlines()], [{"q": 1}, {"q": 2}])
        batch = self.post_ok("/table/query_stats_batch", {"project_id": "acme/app", "digests": [t["digest"], t["digest"]],
                                                          "include_storage_size": True})["tables"]
        self.assertEqual(len(batch), 1)
        self.assertGreater(batch[0]["storage_size_bytes"], 0)
        bad = self.post("/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1,
                                                "expected_digest": "wrong"}})
        self.assertEqual(bad.status, 400)
        self.assertIn("!= server digest", bad.json()["reason"])
        self.post_ok("/traces/call/upsert_batch", {"batch": [self.start_item("c1"), self.end_item("c1")]})
        item = {"project_id": "acme/app", "weave_ref": "weave:///acme/app/call/c1", "feedback_type": "wandb.runnable.score",
                "payload": {"output": 0.9}, "id": "0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f5a6",
                "created_at": "2024-01-01T00:00:02.123456Z", "creator": None, "annotation_ref": None,
                "runnable_ref": "weave:///acme/app/object/score:abc", "call_ref": None, "trigger_ref": None,
                "wb_user_id": None}
        res = self.post_ok("/traces/feedback/batch/create", {"batch": [item]})["res"]
        self.assertEqual(res[0]["id"], item["id"])
        self.assertIsInstance(res[0]["wb_user_id"], str)
        fb = self.post_ok("/traces/feedback/query", {"project_id": "acme/app"})["result"]
        self.assertEqual(fb[0]["payload"], {"output": 0.9})
        self.assertEqual(self.post_ok("/traces/calls/delete", {"project_id": "acme/app", "call_ids": ["c1"],
                                                               "wb_user_id": None}), {"num_deleted": 1})
        missing = self.post("/traces/obj/read", {"project_id": "acme/app", "object_id": "nope", "digest": "latest"})
        self.assertEqual(missing.status, 404)
        self.assertIn("reason", missing.json())

    def test_costs_as_the_python_sdk_sends_them(self):
        # client.add_cost(), then calls read back with include_costs, then purge (docs/costs.md).
        ids = self.post_ok("/traces/cost/create", {
            "project_id": "acme/app", "wb_user_id": None,
            "costs": {"my-llm": {"prompt_token_cost": 0.01, "completion_token_cost": 0.02, "prompt_token_cost_unit": "USD",
                                 "completion_token_cost_unit": "USD", "effective_date": "2020-01-01T00:00:00Z",
                                 "provider_id": None}}})["ids"]
        self.assertEqual(ids[0][1], "my-llm")
        end = self.end_item("c1")
        end["req"]["end"]["summary"] = {"usage": {"my-llm": {"prompt_tokens": 10, "completion_tokens": 1, "requests": 1}}}
        self.post_ok("/traces/call/upsert_batch", {"batch": [self.start_item("c1"), end]})
        calls = self.post_ok("/traces/calls/query", {"project_id": "acme/app", "include_costs": True})["calls"]
        cost = calls[0]["summary"]["weave"]["costs"]["my-llm"]
        self.assertAlmostEqual(cost["prompt_tokens_total_cost"], 0.1)
        self.assertEqual((cost["pricing_level"], cost["provider_id"]), ("project", "default"))
        rows = self.post_ok("/traces/cost/query", {"project_id": "acme/app", "fields": ["id", "llm_id"]})["results"]
        self.assertEqual(rows, [{"id": ids[0][0], "llm_id": "my-llm"}])
        bad = self.post("/traces/cost/purge", {"project_id": "acme/app", "query": {"$expr": {"$eq": [
            {"$getField": "llm_id"}, {"$literal": "my-llm"}]}}})
        self.assertEqual(bad.status, 400)
        self.post_ok("/traces/cost/purge", {"project_id": "acme/app", "query": {"$expr": {"$eq": [
            {"$getField": "id"}, {"$literal": ids[0][0]}]}}})
        self.assertEqual(self.post_ok("/traces/cost/query", {"project_id": "acme/app"})["results"], [])

    def test_a_deleted_object_answers_404_with_deleted_at(self):
        d = self.post_ok("/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}})["digest"]
        res = self.post_ok("/obj/delete", {"project_id": "acme/app", "object_id": "o", "digests": ["latest"]})
        self.assertEqual(res["deleted_versions"][0]["digest"], d)
        gone = self.post("/obj/read", {"project_id": "acme/app", "object_id": "o", "digest": d})
        self.assertEqual(gone.status, 404)
        self.assertRegex(gone.json()["deleted_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertIn("was deleted at", gone.json()["reason"])
        vals = self.post_ok("/refs/read_batch", {"refs": ["weave:///acme/app/object/o:" + d]})["vals"]
        self.assertEqual(vals, [None])

    def test_v2_write_path(self):
        # What the Python SDK sends with WEAVE_USE_CALLS_COMPLETE: whole calls, and eager starts and ends.
        start = self.start_item("eager")["req"]["start"]
        self.assertEqual(self.post_ok("/v2/acme/app/call/start", {"start": start}), {"id": "eager", "trace_id": "t1"})
        self.assertEqual(self.post_ok("/v2/acme/app/call/end", {"end": self.end_item("eager")["req"]["end"]}), {})
        whole = dict(self.start_item("whole", parent="eager")["req"]["start"], **self.end_item("whole")["req"]["end"])
        whole["summary"] = {"usage": {"m": {"requests": 1}}}
        self.assertEqual(self.post_ok("/traces/v2/acme/app/calls/complete", {"batch": [whole]}), {})
        self.assertEqual(self.post_ok("/v2/acme/app/calls/complete", {"batch": [whole]}), {})  # sent again: unchanged
        calls = self.post_ok("/calls/query", {"project_id": "acme/app"})["calls"]
        self.assertEqual([(c["id"], c["parent_id"], c["ended_at"] is not None) for c in calls],
                         [("eager", None, True), ("whole", "eager", True)])
        self.assertEqual(calls[1]["summary"]["usage"], {"m": {"requests": 1}})
        open_call = dict(whole, id="open", ended_at=None)
        bad = self.post("/v2/acme/app/calls/complete", {"batch": [open_call]})
        self.assertEqual(bad.status, 400)
        self.assertIn("batch.0.ended_at", bad.json()["reason"])
        self.assertEqual(self.post("/v2/acme/calls/complete", {"batch": []}).status, 404)
        self.assertEqual(self.post("/v2/acme/app/x/calls/complete", {"batch": []}).status, 404)

    def test_newer_read_routes_as_model_dump_json_sends_them(self):
        # Every field of each request model, defaults included, as pydantic's model_dump_json() writes them.
        thread = lambda cid, at: dict(self.start_item(cid, trace="t" + cid, at=at)["req"]["start"], thread_id="th1", turn_id=cid)
        self.post_ok("/call/upsert_batch", {"batch": [{"mode": "start", "req": {"start": thread("a", "2024-01-01T00:00:00.000Z")}},
                                                      self.end_item("a"),
                                                      {"mode": "start", "req": {"start": thread("b", "2024-01-01T00:10:00.000Z")}}]})
        usage = self.post_ok("/trace/usage", {"project_id": "acme/app", "filter": {"trace_ids": ["ta"]}, "query": None,
                                              "include_costs": False, "limit": 10000})
        self.assertIn("a", usage["call_usage"])
        self.assertIn("call_usage", self.post_ok("/calls/usage", {"project_id": "acme/app", "call_ids": ["a"],
                                                                  "include_costs": True, "limit": 10000}))
        stats = self.post_ok("/calls/stats", {
            "project_id": "acme/app", "start": "2024-01-01T00:00:00Z", "end": "2024-01-01T01:00:00Z", "granularity": 1800,
            "usage_metrics": None, "call_metrics": [{"metric": "call_count", "aggregations": ["sum"], "percentiles": []}],
            "filter": {"op_names": None, "input_refs": None, "output_refs": None, "parent_ids": None, "trace_ids": None,
                       "call_ids": None, "thread_ids": None, "turn_ids": None, "trace_roots_only": True,
                       "wb_user_ids": None, "wb_run_ids": None}, "timezone": "UTC"})
        self.assertEqual([b["sum_call_count"] for b in stats["call_buckets"]], [2.0, 0.0])
        threads = self.post("/threads/stream_query", {"project_id": "acme/app", "filter": {
            "after_datetime": None, "before_datetime": None, "thread_ids": ["th1"]}, "limit": None, "offset": None,
            "sort_by": [{"field": "last_updated", "direction": "desc"}]})
        self.assertEqual([json.loads(l)["turn_count"] for l in threads.body.splitlines()], [2])
        self.assertEqual(self.post_ok("/evaluations/status", {"project_id": "acme/app", "call_id": "nope"}),
                         {"status": {"code": "not_found"}})
        project = self.post_ok("/project/stats", {"project_id": "acme/app", "include_trace_storage_size": True,
                                                  "include_object_storage_size": True, "include_table_storage_size": True,
                                                  "include_file_storage_size": True})
        self.assertGreater(project["trace_storage_size_bytes"], 0)
        self.assertEqual(self.post_ok("/files/query_stats", {"project_id": "acme/app"}), {"total_size_bytes": 0})
        read = self.post_ok("/call/read", {"project_id": "acme/app", "id": "a", "include_costs": False,
                                           "include_storage_size": True, "include_total_storage_size": True})["call"]
        self.assertGreater(read["total_storage_size_bytes"], 0)
        objs = self.post_ok("/objs/query", {"project_id": "acme/app", "filter": {
            "base_object_classes": None, "exclude_base_object_classes": None, "leaf_object_classes": None,
            "object_ids": None, "is_op": None, "latest_only": True}, "limit": None, "offset": None, "sort_by": None,
            "metadata_only": False, "include_storage_size": False})
        self.assertEqual(objs, {"objs": []})

    def test_both_prefixes_and_repeated_slashes(self):
        for path in ("/obj/create", "/traces/obj/create", "//traces//obj/create"):
            self.post_ok(path, {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}})
        self.assertEqual(len(self.okj("objs", "query")["objs"]), 1)

    def test_answers_are_not_compressed(self):
        # On loopback compressing costs more than it saves; every SDK takes identity.
        for n, accept in enumerate(("br", "gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.5")):
            big = {"batch": [self.start_item("0190d000-0000-7000-800%d-%012d" % (n, i)) for i in range(300)]}
            r = self.post("/call/upsert_batch", big, headers={"Accept-Encoding": accept})
            self.assertEqual(r.status, 200, r.body[:200])
            self.assertIsNone(r.headers.get("content-encoding"), accept)


class AuthTest(ServeTest):
    server_args = ("--api-key", "s3cret")

    def test_wrong_key_is_401_and_the_key_is_never_logged(self):
        r = self.post("/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}})
        self.assertEqual(r.status, 401)
        self.assertIn("reason", r.json())
        import base64
        good = {"Authorization": "Basic " + base64.b64encode(b"api:s3cret").decode()}
        self.assertEqual(self.post("/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}},
                                   headers=good).status, 200)
        code, err = self.server.stop()
        self.assertEqual(code, 0)
        self.assertNotIn("s3cret", err)


class LifecycleTest(ServeTest):
    def test_a_busy_port_exits_1(self):
        r = self.run_weft("serve", "--port", str(self.server.port))
        self.assertEqual(r.code, 1)
        self.assertIn("cannot listen", r.err.decode())

    def test_sigterm_exits_0(self):
        self.post_ok("/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}})
        code, _ = self.server.stop()
        self.assertEqual(code, 0)
        self.assertEqual(len(self.okj("objs", "query")["objs"]), 1)

    def test_bad_flags(self):
        self.fails(2, "--max-body", "serve", "--max-body", "lots")


if __name__ == "__main__":
    unittest.main()
