#!/usr/bin/env python3
"""End-to-end: recording and querying calls, bulk import and feedback."""
import json
import os

from weftlib import UnchangedStoreTest, WeftTest, main


class CallsTest(WeftTest):
    def start(self, op, *extra):
        return self.okj("call", "start", "--op", op, *extra)

    def test_typed_flags_record_a_trace(self):
        root = self.start("build", "--inputs", '{"target": "all"}')
        child = self.start("compile", "--parent", root["id"], "--trace-id", root["trace_id"])
        self.okj("call", "end", "--id", child["id"], "--output", '{"ok": true}')
        self.okj("call", "end", "--id", root["id"], "--exception", "boom")
        c = self.okj("call", "read", "--id", child["id"])["call"]
        self.assertEqual((c["parent_id"], c["trace_id"], c["output"]), (root["id"], root["trace_id"], {"ok": True}))
        self.assertEqual(c["summary"]["weave"]["status"], "success")
        self.assertEqual(c["wb_user_id"], self.okj("call", "read", "--id", root["id"])["call"]["wb_user_id"])
        r = self.okj("call", "read", "--id", root["id"])["call"]
        self.assertEqual((r["exception"], r["summary"]["weave"]["status"]), ("boom", "error"))
        self.assertEqual(self.okj("call", "read", "--id", "nope"), {"call": None})

    def test_queries(self):
        ids = []
        for i in range(5):
            ids.append(self.start("step" if i % 2 else "other", "--inputs", json.dumps({"i": i, "text": "hello %d" % i}),
                                  "--started-at", "2024-01-01T00:00:0%dZ" % i)["id"])
        q = lambda *a: [c["id"] for c in self.okj("calls", "query", *a)["calls"]]
        self.assertEqual(q(), ids)
        self.assertEqual(q("--sort", "started_at:desc", "--limit", "2"), ids[::-1][:2])
        self.assertEqual(q("--op-name", "step"), [ids[1], ids[3]])
        self.assertEqual(q("--offset", "3"), ids[3:])
        self.assertEqual(q("--filter", '{"$contains": {"input": {"$getField": "inputs.text"}, "substr": {"$literal": "LO 3"}, "case_insensitive": true}}'), [ids[3]])
        self.assertEqual(q("--filter", '{"$gt": [{"$convert": {"input": {"$getField": "inputs.i"}, "to": "double"}}, {"$literal": 2}]}'), ids[3:])
        self.assertEqual(q("--sort", "inputs.i:desc"), ids[::-1])
        self.assertEqual(self.okj("calls", "query-stats", "--op-name", "other"), {"count": 3})
        cols = self.okj("calls", "query", "--columns", "inputs", "--limit", "1")["calls"][0]
        self.assertEqual((cols["inputs"]["i"], cols["attributes"], cols["summary"]), (0, {}, None))
        lines = self.ok("calls", "query-stream", "--roots").out.decode().splitlines()
        self.assertEqual([json.loads(l)["id"] for l in lines], ids)

    def test_end_before_start_and_delete_cascade(self):
        self.okj("call", "end", "--id", "c1", "--output", "1")
        self.assertEqual(self.okj("calls", "query-stats"), {"count": 0})
        self.start("f", "--id", "c1", "--trace-id", "t")
        self.start("g", "--id", "c2", "--trace-id", "t", "--parent", "c1")
        self.start("h", "--id", "c3", "--trace-id", "t", "--parent", "c2")
        self.assertEqual(self.okj("call", "read", "--id", "c1")["call"]["output"], 1)
        self.okj("calls", "delete", "--id", "c2", "--yes")
        self.assertEqual([c["id"] for c in self.okj("calls", "query")["calls"]], ["c1"])

    def test_import_and_upsert_batch(self):
        lines = []
        for i in range(50):
            lines.append(json.dumps({"mode": "start", "req": {"start": {
                "project_id": "acme/app", "id": "i%d" % i, "trace_id": "t", "op_name": "op",
                "started_at": "2024-01-01T00:00:00Z", "attributes": {}, "inputs": {"i": i}}}}))
            lines.append(json.dumps({"mode": "end", "req": {"end": {
                "project_id": "acme/app", "id": "i%d" % i, "ended_at": "2024-01-01T00:00:01Z", "summary": {}}}}))
        self.assertEqual(self.okj("calls", "import", "-", stdin="\n".join(lines) + "\n"),
                         {"imported": 100, "starts": 50, "ends": 50})
        self.assertEqual(self.okj("calls", "query-stats", "--trace-id", "t"), {"count": 50})
        batch = {"batch": [{"mode": "start", "req": {"start": {"project_id": "acme/app", "op_name": "b",
                 "started_at": "2024-01-02T00:00:00Z", "attributes": {}, "inputs": {}}}}]}
        res = self.okj("call", "upsert-batch", "--json", json.dumps(batch))["res"]
        self.assertEqual(len(res[0]["id"]), 36)

    def test_import_keeps_the_same_id_in_two_projects_apart(self):
        def item(mode, project, **body):
            body.update(project_id=project, id="same")
            return json.dumps({"mode": mode, "req": {mode: body}})
        start = dict(op_name="f", started_at="2024-01-01T00:00:00Z", attributes={}, inputs={})
        end = dict(ended_at="2024-01-01T00:00:01Z", summary={})
        lines = [item("start", "e/p", **start), item("start", "e/q", **start), item("end", "e/q", output=2, **end),
                 item("end", "e/p", output=1, **end)]
        self.okj("calls", "import", "-", stdin="\n".join(lines))
        for project, out in (("e/p", 1), ("e/q", 2)):
            self.assertEqual(self.okj("--project", project, "call", "read", "--id", "same")["call"]["output"], out)

    def test_feedback(self):
        call = self.start("f")["id"]
        ref = "weave:///acme/app/call/" + call
        fb = self.okj("feedback", "create", "--ref", ref, "--reaction", "👍")
        self.assertEqual(fb["payload"]["alias"], ":thumbs_up:")
        self.okj("feedback", "create", "--ref", ref, "--note", "looks good")
        self.assertEqual(self.okj("feedback", "query", "--fields", "count(*)")["result"], [{"count(*)": 2}])
        notes = self.okj("feedback", "query", "--fields", "payload.note", "--filter",
                         '{"$eq": [{"$getField": "feedback_type"}, {"$literal": "wandb.note.1"}]}')["result"]
        self.assertEqual(notes, [{"payload.note": "looks good"}])
        self.okj("feedback", "purge", "--id", fb["id"], "--yes")
        self.assertEqual(self.okj("feedback", "query", "--fields", "count(*)")["result"], [{"count(*)": 1}])


class CallsBadInputTest(UnchangedStoreTest):
    def seed(self):
        self.okj("call", "start", "--op", "seed", "--id", "seed")

    def test_bad_calls(self):
        self.fails(2, "start.op_name: field required", "call", "start")
        self.fails(2, "start.started_at: invalid RFC 3339 time 'yesterday'", "call", "start", "--op", "f", "--started-at", "yesterday")
        self.fails(2, "start.inputs: expected an object, got a list", "call", "start", "--op", "f", "--inputs", "[1]")
        self.fails(2, "already started", "call", "start", "--op", "f", "--id", "seed")
        self.fails(2, "end.summary: field required", "call", "end", "--json", '{"end": {"project_id": "e/p", "id": "x", "ended_at": "2024-01-01T00:00:00Z"}}')
        self.fails(2, "display_name", "call", "update", "--id", "seed")
        self.fails(2, "cannot delete more than 100", "calls", "delete", "--yes", *sum([["--id", str(i)] for i in range(101)], []))

    def test_bad_queries(self):
        self.fails(2, "limit: must be a non-negative integer", "calls", "query", "--limit", "-1")
        self.fails(2, "sort_by.0.field: unknown field 'colour'", "calls", "query", "--sort", "colour")
        self.fails(2, "sort_by.0.direction", "calls", "query", "--json", '{"project_id": "e/p", "sort_by": [{"field": "id", "direction": "up"}]}')
        self.fails(2, "unknown operator '$regex'", "calls", "query", "--filter", '{"$regex": [1, 2]}')
        self.fails(2, "empty AND operation", "calls", "query-stats", "--filter", '{"$and": []}')
        self.fails(2, "unknown field 'nope'", "calls", "query", "--filter", '{"$eq": [{"$getField": "nope"}, {"$literal": 1}]}')
        self.fails(2, "request length is greater than max length (1000)", "calls", "query", "--trace-id", ",".join(str(i) for i in range(1001)))

    def test_bad_import_writes_nothing(self):
        good = json.dumps({"start": {"project_id": "e/p", "op_name": "f", "started_at": "2024-01-01T00:00:00Z", "attributes": {}, "inputs": {}}})
        self.fails(2, "line 3: malformed JSON", "calls", "import", "-", stdin=good + "\n" + good + "\n{oops\n")
        again = json.dumps({"start": {"project_id": "acme/app", "id": "seed", "op_name": "f",
                                      "started_at": "2024-01-01T00:00:00Z", "attributes": {}, "inputs": {}}})
        self.fails(2, "line 2: start.id: call seed has already started", "calls", "import", "-", stdin=good + "\n" + again + "\n")
        twice = json.dumps({"start": {"project_id": "e/p", "id": "x1", "op_name": "f",
                                      "started_at": "2024-01-01T00:00:00Z", "attributes": {}, "inputs": {}}})
        self.fails(2, "line 3: start.id: call x1 has already started", "calls", "import", "-",
                   stdin=twice + "\n" + good + "\n" + twice + "\n")
        self.fails(2, "line 2: req.start.op_name: field required", "calls", "import", "-",
                   stdin=good + "\n" + json.dumps({"mode": "start", "req": {"start": {"project_id": "e/p"}}}) + "\n")

    def test_bad_feedback(self):
        ref = "weave:///acme/app/call/seed"
        self.fails(2, "exactly one emoji", "feedback", "create", "--ref", ref, "--reaction", "👍👍")
        self.fails(2, "note must be 1 to 1024 characters", "feedback", "create", "--ref", ref, "--note", "x" * 1025)
        self.fails(2, "payload too large", "feedback", "create", "--ref", ref, "--type", "custom", "--payload", json.dumps({"x": "y" * 1100}))
        self.fails(2, "invalid ref", "feedback", "create", "--ref", "not-a-ref", "--type", "custom", "--payload", "{}")
        self.fails(2, "can only purge feedback by specifying one or more feedback ids", "feedback", "purge", "--json",
                   '{"project_id": "e/p", "query": {"$expr": {"$eq": [{"$getField": "feedback_type"}, {"$literal": "x"}]}}}')



class ImportTest(WeftTest):
    def test_import_streams_in_blocks_and_can_be_run_again(self):
        def line(i):
            return json.dumps({"start": {"project_id": "e/p", "id": "imp-%06d" % i, "trace_id": "t%d" % (i // 10),
                                         "op_name": "f", "started_at": "2024-01-01T00:00:00Z", "attributes": {},
                                         "inputs": {"pad": "x" * 700}}})
        path = os.path.join(self.dir, "big.ndjson")
        lines = [line(i) for i in range(50000)]  # about 38 MB: two blocks
        with open(path, "w") as f:
            f.write("\n".join(lines[:48000] + ["{oops"] + lines[48000:]) + "\n")
        err = self.fails(2, "line 48001: malformed JSON", "calls", "import", path)
        count = self.okj("--project", "e/p", "calls", "query-stats")["count"]
        self.assertTrue(0 < count < 48000, count)  # the first block is in, the bad line's block is not
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.assertEqual(self.okj("calls", "import", path)["imported"], 50000)
        self.assertEqual(self.okj("calls", "import", path)["imported"], 50000)  # again: the same starts are accepted
        self.assertEqual(self.okj("--project", "e/p", "calls", "query-stats")["count"], 50000)
        self.fails(2, "is a folder", "calls", "import", self.dir)

if __name__ == "__main__":
    main()
