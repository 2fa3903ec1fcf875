"""weft ui in a real browser: Debian's chromium, headless, driven by
puppeteer-core (tests/ui/browser.mjs) over a store this test fills with the
CLI. Screenshots of each view are kept in the build tree (ui-screenshots/).
Needs chromium, node and npm (tools/install-deps installs them); skipped
without them, except in CI."""
import http.client
import json
import os
import shutil
import subprocess
import unittest

from weftlib import BIN, WeftTest, npm_ci

UI_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ui")
INSTALL_DIR = os.path.join(os.path.dirname(BIN), "ui-browser")
SHOTS = os.path.join(os.path.dirname(BIN), "ui-screenshots")
P = "acme/ui"
CHAT = "acme/chat"
EVALS = "acme/evals"
HAVE = all(shutil.which(t) for t in ("node", "npm", "chromium"))


class UiLibTest(unittest.TestCase):
    @unittest.skipIf(not shutil.which("node") and os.environ.get("CI") != "true", "node is not installed")
    def test_the_javascript_unit_tests_pass(self):
        p = subprocess.run(["node", "--test", UI_DIR], capture_output=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout.decode()[-3000:])


class UiServerTest(WeftTest):
    def start(self, *args):
        server = subprocess.Popen([BIN, "ui", "--port", "0", *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: (server.terminate(), server.wait()))
        host, port = server.stdout.readline().decode().strip().replace("http://", "").split(":")
        return http.client.HTTPConnection(host, int(port), timeout=30)

    def request(self, c, method, path, body=None):
        c.request(method, path, body=json.dumps(body) if body is not None else None)
        r = c.getresponse()
        return r.status, r.getheader("Content-Type"), r.read()

    def test_read_only_unless_writes_are_allowed(self):
        self.ok("call", "start", "--op", "seed")
        c = self.start()
        status, kind, body = self.request(c, "GET", "/")
        self.assertEqual((status, kind), (200, "text/html; charset=utf-8"))
        self.assertIn(b"/ui/app.mjs", body)
        self.assertEqual(self.request(c, "GET", "/ui/lib.mjs")[:2], (200, "text/javascript; charset=utf-8"))
        self.assertEqual(self.request(c, "GET", "/ui/nope.js")[0], 404)
        self.assertEqual(json.loads(self.request(c, "GET", "/weft/projects")[2]), {"projects": ["acme/app"], "read_only": True})
        status, _, body = self.request(c, "POST", "/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}})
        self.assertEqual(status, 403)
        self.assertIn("read-only", json.loads(body)["reason"])
        self.assertEqual(self.request(c, "POST", "/calls/query_stats", {"project_id": "acme/app"})[:2][0], 200)
        c = self.start("--allow-writes")
        self.assertEqual(self.request(c, "POST", "/obj/create", {"obj": {"project_id": "acme/app", "object_id": "o", "val": 1}})[0], 200)


@unittest.skipIf(not HAVE and os.environ.get("CI") != "true", "chromium, node or npm is not installed")
class BrowserTest(WeftTest):
    def fill(self):
        self.env["WEFT_PROJECT"] = P
        table = self.okj("table", "create", "--json", json.dumps({"table": {"project_id": P, "rows": [
            {"q": "2+2", "a": "4"}, {"q": "3*3", "a": "9"}, {"q": "1-1", "a": "0"}]}}))["digest"]
        ds = self.okj("obj", "create", "--json", json.dumps({"obj": {"project_id": P, "object_id": "qa", "val": {
            "_type": "Dataset", "_class_name": "Dataset", "_bases": ["Object", "BaseModel"],
            "rows": "weave:///%s/table/%s" % (P, table)}}}))["digest"]
        ds_ref = "weave:///%s/object/qa:%s" % (P, ds)
        source = os.path.join(self.dir, "obj.py")
        for body in ("return 'hi ' + name", "return 'hello ' + name"):  # two versions of an op
            with open(source, "w") as f:
                f.write("def hello(name):\n    %s\n" % body)
            digest = self.okj("file", "create", "--name", "obj.py", "--content-file", source)["digest"]
            self.ok("op", "create", "--json", json.dumps({"op_obj": {"project_id": P, "object_id": "hello", "val": {
                "_type": "CustomWeaveType", "weave_type": {"type": "Op"}, "files": {"obj.py": digest}}}}))
        items = []
        def call(cid, parent, op, t0, t1, exception=None, inputs=None, summary=None):
            items.append({"mode": "start", "req": {"start": {"project_id": P, "id": cid, "trace_id": "trace-1",
                "parent_id": parent, "op_name": op, "started_at": t0, "attributes": {}, "inputs": inputs or {"x": 1}}}})
            if t1:
                items.append({"mode": "end", "req": {"end": {"project_id": P, "id": cid, "ended_at": t1,
                    "exception": exception, "summary": summary or {},
                    "output": {"ok": exception is None, "stdout_tail": "\x1b[32mbuilt\x1b[0m 3 targets\n"}}}})
        call("root", None, "evaluate", "2026-01-01T00:00:00Z", "2026-01-01T00:00:10Z", inputs={"dataset": ds_ref})
        usage = {"usage": {"gpt-4o": {"requests": 1, "prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200}}}
        call("load", "root", "load", "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z", summary=usage)
        call("score", "root", "score", "2026-01-01T00:00:03Z", "2026-01-01T00:00:08Z", exception="ValueError: bad")
        call("sub", "score", "llm", "2026-01-01T00:00:04Z", None)
        self.ok("call", "upsert-batch", "--json", json.dumps({"batch": items}))
        turns = []  # a conversation in a project of its own: two turns of one thread
        for i, (said, answer) in enumerate([("hi", "hello!"), ("2+2?", "4")]):
            start = {"project_id": CHAT, "id": "turn-%d" % i, "trace_id": "chat-trace-%d" % i, "op_name": "chat",
                     "started_at": "2026-01-02T00:00:0%dZ" % (2 * i), "attributes": {}, "inputs": {"text": said},
                     "thread_id": "conv-1", "turn_id": "turn-%d" % i}
            turns += [{"mode": "start", "req": {"start": start}},
                      {"mode": "end", "req": {"end": {"project_id": CHAT, "id": "turn-%d" % i, "summary": {},
                       "ended_at": "2026-01-02T00:00:0%dZ" % (2 * i + 1), "output": {"text": answer}}}}]
        self.ok("call", "upsert-batch", "--json", json.dumps({"batch": turns}))
        self.fill_evaluations()
        ref = "weave:///%s/call/root" % P
        self.ok("feedback", "create", "--ref", ref, "--reaction", "👍")
        self.ok("feedback", "create", "--ref", ref, "--note", "looks right")

    def fill_evaluations(self):
        """Two evaluations of one dataset as Weave's SDK records them, in a
        project of their own: the second got row 0 wrong and failed on row 1."""
        calls = []
        def whole(cid, trace, parent, op, second, inputs, output, exception=None):
            calls.append({"project_id": EVALS, "id": cid, "trace_id": trace, "parent_id": parent,
                          "op_name": "weave:///%s/op/%s:v0" % (EVALS, op), "display_name": None,
                          "started_at": "2026-01-0%dT00:00:%02dZ" % (3 if trace == "t-e1" else 4, second),
                          "ended_at": "2026-01-0%dT00:00:%02dZ" % (3 if trace == "t-e1" else 4, second + 1),
                          "inputs": inputs, "output": output, "exception": exception, "attributes": {}, "summary": {}})
        for eval_id, right in (("e1", True), ("e2", False)):
            whole(eval_id, "t-" + eval_id, None, "Evaluation.evaluate", 0, {"model": "weave:///%s/object/model-%s:v0" % (EVALS, eval_id)},
                  {"exact": {"correct": {"true_count": 2 if right else 0}}})
            for row, (q, a) in enumerate([("2+2", "4"), ("3*3", "9")]):
                failed = not right and row == 1
                whole("%s-r%d" % (eval_id, row), "t-" + eval_id, eval_id, "Evaluation.predict_and_score", 1 + 2 * row,
                      {"example": {"q": q}}, None if failed else {"output": a if right else "5", "scores": {"exact": {"correct": right}}},
                      "ValueError: model timed out" if failed else None)
        self.ok("calls", "complete", "--batch", json.dumps(calls))

    def test_the_pages_show_the_store(self):
        npm_ci(UI_DIR, INSTALL_DIR, ("browser.mjs",))
        self.fill()
        os.makedirs(SHOTS, exist_ok=True)
        log = open(os.path.join(self.dir, "ui.log"), "w+")  # the request log, shown if the browser fails
        self.addCleanup(log.close)
        server = subprocess.Popen([BIN, "ui", "--port", "0", "--log", "--allow-writes"], env=self.env,
                                  stdout=subprocess.PIPE, stderr=log)
        self.addCleanup(lambda: (server.terminate(), server.wait()))
        url = server.stdout.readline().decode().strip()
        p = subprocess.run(["node", "browser.mjs", url, P, SHOTS, CHAT, EVALS], cwd=INSTALL_DIR, capture_output=True, timeout=300)
        log.seek(0)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-3000:] + "\nweft ui's log:\n" + log.read()[-3000:])
        seen = json.loads(p.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(seen["pageErrors"], [])
        self.assertEqual(seen["elsewhere"], [])  # no request leaves the server (no CDN)
        self.assertEqual(seen["darkBackground"], "rgb(22, 24, 29)")  # the dark theme's
        # Traces first: the root, with its trace's calls, tokens, cost and first error.
        self.assertEqual(seen["tracesHead"], ["", "name", "started", "latency", "calls", "tokens", "cost", "error"])
        self.assertEqual(len(seen["traces"]), 1)
        trace = dict(zip(seen["tracesHead"], seen["traces"][0]))
        self.assertEqual((trace["name"], trace["calls"], trace["tokens"]), ("evaluate", "4", "1,200"))
        self.assertRegex(trace["cost"], r"^\$0\.0\d+$")
        self.assertEqual(trace["error"], "ValueError: bad")
        self.assertIn("op", seen["pickedHead"])
        # Every call, newest first: the running call, the failed one, then the others.
        self.assertEqual([r[1] for r in seen["list"]], ["llm", "score", "load", "evaluate"])
        self.assertEqual([r[0] for r in seen["list"]], ["…", "✗", "✓", "✓"])
        self.assertIn("4 calls", seen["pager"])
        self.assertEqual([r[1] for r in seen["errors"]], ["score"])
        self.assertIn("status=error", seen["filterUrl"])
        self.assertEqual([(n["depth"], n["name"], n["status"]) for n in seen["tree"]],
                         [(0, "evaluate", "success"), (1, "load", "success"), (1, "score", "error"), (2, "llm", "running")])
        self.assertIn("evaluate", seen["detail"])
        self.assertEqual(seen["logs"], "built 3 targets\n")  # captured output as a log, colours out
        # Feedback reads as reactions and notes; a reaction and a note given in the page are stored.
        self.assertEqual(seen["reactions"], ["👍 1"])
        self.assertIn("looks right", seen["notes"][0])
        self.assertEqual(seen["reactionsAfter"], ["👍 1", "🎉 1"])
        given = self.okj("feedback", "query")["result"]
        self.assertIn({"emoji": "🎉"}, [{"emoji": f["payload"].get("emoji")} for f in given])
        self.assertIn("from the browser", [f["payload"].get("note") for f in given])
        self.assertIn("load", seen["afterKeys"])
        self.assertTrue(seen["object"].startswith("qa:v0"))
        self.assertEqual([r[1:] for r in seen["rows"]], [["4", "2+2"], ["9", "3*3"], ["0", "1-1"]])
        # Charts: calls and errors over time, latency per op, tokens and cost per model.
        charts = {c["title"].split(",")[0]: c for c in seen["charts"]}
        self.assertEqual(set(charts), {"Calls and errors", "Latency per op: p50 / p95 / p99", "Tokens and cost per model"})
        self.assertEqual(charts["Calls and errors"]["bars"], 2)  # one bucket: 4 calls, 1 error
        self.assertEqual(charts["Calls and errors"]["texts"][0], "5")  # 4 calls: the axis tops at 5
        latency = charts["Latency per op: p50 / p95 / p99"]["texts"]
        self.assertEqual([t for t in latency if t in ("evaluate", "load", "score", "llm")], ["evaluate", "llm", "load", "score"])
        self.assertIn("1,200 tokens", " ".join(charts["Tokens and cost per model"]["texts"]))
        # Threads: the conversation, then its turns in order.
        self.assertEqual([r[:2] for r in seen["threads"]], [["conv-1", "2"]])
        self.assertEqual(len(seen["turns"]), 2)
        self.assertIn("hi", seen["turns"][0])
        self.assertIn("4", seen["turns"][1])
        # Two traces picked in the list open side by side: steps aligned, the failed row flagged.
        self.assertIn("compare", seen["compareUrl"])
        steps = [r[1:3] for r in seen["steps"]]
        self.assertEqual([s[0] for s in steps], ["Evaluation.evaluate", "Evaluation.predict_and_score",
                                                 "Evaluation.predict_and_score#2"])
        self.assertEqual([r[0] for r in seen["steps"]], ["", "", "!"])
        self.assertIn('"output": "9"', "\n".join(seen["diffOld"]))
        self.assertIn('"ValueError: model timed out"', "\n".join(seen["diffNew"]))
        # Evaluations: the list, two compared row by row, regressions first.
        self.assertEqual(len(seen["evals"]), 2)
        self.assertEqual(seen["evalScores"][0][0], "exact.correct")
        self.assertEqual(seen["evalScores"][0][1:], ["1", "0 worse"])
        self.assertEqual(seen["evalRows"][0][1:], ["4", "5", "1 → 0"])  # row 0 regressed
        self.assertIn("✗", seen["evalRows"][1][2])  # the second evaluation failed row 1
        self.assertEqual(seen["evalSingle"][0][1:], ["5", "0"])
        self.assertEqual([r[0] for r in seen["objects"]], ["hello", "qa"])
        self.assertIn("def hello(name):", seen["code"])  # an op's page shows its source
        self.assertEqual(seen["versionOld"], ["    return 'hi ' + name"])  # and two versions side by side
        self.assertEqual(seen["versionNew"], ["    return 'hello ' + name"])
        for shot in ("traces", "compare", "evals", "eval-compare", "eval", "charts", "threads", "thread", "calls", "calls-filtered", "trace", "dataset", "objects", "op", "op-versions", "traces-dark"):
            self.assertGreater(os.path.getsize(os.path.join(SHOTS, shot + ".png")), 1000)

    def test_a_page_from_elsewhere_can_neither_read_nor_write(self):
        npm_ci(UI_DIR, INSTALL_DIR, ("attacker.mjs",))
        self.ok("call", "start", "--op", "secret")
        server = subprocess.Popen([BIN, "ui", "--port", "0", "--allow-writes"], env=self.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: (server.terminate(), server.wait()))
        url = server.stdout.readline().decode().strip()
        p = subprocess.run(["node", "attacker.mjs", url], cwd=INSTALL_DIR, capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-3000:])
        seen = json.loads(p.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(seen["crossOrigin"]["read_projects"], "blocked")  # no CORS: the answer is not readable
        self.assertEqual(seen["crossOrigin"]["read_calls"], "blocked")
        self.assertEqual(seen["reboundStatus"], 421)
        self.assertNotIn("acme/app", seen["reboundBody"])
        self.assertEqual(seen["reboundPost"], 421)
        self.assertEqual(self.okj("objs", "query")["objs"], [])  # no write got through
        self.assertEqual(self.okj("stats")["projects"]["acme/app"]["files"], 0)


if __name__ == "__main__":
    unittest.main()
