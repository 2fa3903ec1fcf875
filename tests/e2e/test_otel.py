"""OpenTelemetry in (docs/otel.md): OTLP/HTTP trace exports to weft serve as
protobuf and JSON, gzip on and off, the answers exporters read, bad bodies,
metrics and logs dropped; weft otlp import of OTLP JSON lines."""
import base64
import gzip
import http.server
import json
import threading
import unittest

import otlp_lib as o
from serve_lib import ServeTest, Server
from weftlib import BIN, WeftTest, main

TRACE = "0af7651916cd43dd8448eb211c80319c"
ROOT, CHILD = "b7ad6b7169203331", "00f067aa0ba902b7"


def genai_request():
    return o.request([
        # The child comes first: a parent may arrive later (or in another request).
        o.span(TRACE, CHILD, "openai.chat", parent=ROOT, start=1700000000100000000, ms=50, attributes=o.attrs(
            gen_ai__system="openai", gen_ai__request__model="gpt-4o-mini", gen_ai__prompt__0__role="user",
            gen_ai__prompt__0__content="hi", gen_ai__completion__0__content="hello",
            gen_ai__usage__prompt_tokens=3, gen_ai__usage__completion_tokens=5)),
        o.span(TRACE, ROOT, "agent run", attributes=o.attrs(wandb__display_name="My agent", wandb__thread_id="th-1",
                                                             wandb__is_turn=True, input__value='{"task": "greet"}'),
               error="gave up"),
    ])


class OtlpIngest(ServeTest):
    def calls(self, project="acme/app"):
        return {c["id"]: c for c in self.okj("calls", "query", "--project", project)["calls"]}

    def check_stored(self):
        calls = self.calls()
        self.assertEqual(set(calls), {ROOT, CHILD})
        root, child = calls[ROOT], calls[CHILD]
        self.assertEqual(child["parent_id"], ROOT)
        self.assertEqual(child["trace_id"], TRACE)
        self.assertTrue(child["op_name"].startswith("weave:///acme/app/op/openai.chat:"))
        self.assertEqual(child["inputs"], {"gen_ai.prompt": [{"role": "user", "content": "hi"}]})
        self.assertEqual(child["output"], {"gen_ai.completion": [{"content": "hello"}]})
        self.assertEqual(child["summary"]["usage"]["gpt-4o-mini"]["total_tokens"], 8)
        self.assertEqual(child["summary"]["weave"]["latency_ms"], 50)
        self.assertEqual(root["display_name"], "My agent")
        self.assertEqual(root["exception"], "gave up")
        self.assertEqual(root["summary"]["weave"]["status"], "error")
        self.assertEqual((root["thread_id"], root["turn_id"]), ("th-1", ROOT))
        self.assertEqual(root["inputs"], {"input.value": {"task": "greet"}})
        self.assertTrue(root["op_name"].startswith("weave:///acme/app/op/agent_run:"))
        tree = self.ok("calls", "tree", "--color=never", TRACE).out.decode()
        self.assertLess(tree.index("My agent"), tree.index("openai.chat"))

    def test_protobuf_gzip_and_plain(self):
        body = o.to_protobuf(genai_request())
        for headers, data in [({}, body), ({"Content-Encoding": "gzip"}, gzip.compress(body))]:
            headers["Content-Type"] = "application/x-protobuf"
            r = self.post("/otel/v1/traces", data, headers=headers)
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual(r.headers["content-type"], "application/x-protobuf")
            self.assertEqual(r.body, b"")  # an empty ExportTraceServiceResponse
        self.check_stored()

    def test_threads_of_otel_turns_over_http(self):
        self.post_ok("/otel/v1/traces", o.to_protobuf(genai_request()), headers={"Content-Type": "application/x-protobuf"})
        rows = self.post("/threads/stream_query", {"project_id": "acme/app"}).ndjson()
        self.assertEqual(rows, [{"thread_id": "th-1", "turn_count": 1, "first_turn_id": ROOT, "last_turn_id": ROOT,
                                 "start_time": "2023-11-14T22:13:20.000000Z",
                                 "last_updated": "2023-11-14T22:13:20.250000Z",
                                 "p50_turn_duration_ms": 250.0, "p99_turn_duration_ms": 250.0}])

    def test_json_on_the_collector_path(self):
        r = self.post("/v1/traces", json.dumps(genai_request()).encode(),
                      headers={"Content-Type": "application/json; charset=utf-8"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json(), {})
        self.check_stored()
        # Under /traces too, as Weave's trace server base URL has it.
        r = self.post("/traces/otel/v1/traces", json.dumps(genai_request()).encode(),
                      headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r.body)

    def test_partial_success_names_the_rejected_span(self):
        req = o.request([o.span(TRACE, ROOT, "ok"),
                         o.span(TRACE, CHILD, "conflict", attributes=o.attrs(a=1, a__b=2))])
        r = self.post("/otel/v1/traces", json.dumps(req).encode(), headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200)
        partial = r.json()["partialSuccess"]
        self.assertEqual(partial["rejectedSpans"], "1")
        self.assertIn("span_id='%s'" % CHILD, partial["errorMessage"])
        self.assertEqual(set(self.calls()), {ROOT})
        r = self.post("/otel/v1/traces", o.to_protobuf(req), headers={"Content-Type": "application/x-protobuf"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body[:1], b"\x0a")  # partial_success, field 1
        self.assertIn(b"conflict", r.body)

    def test_resource_and_header_choose_the_project(self):
        req = o.request([o.span(TRACE, ROOT, "a")], resource=o.attrs(wandb__entity="team", wandb__project="other"))
        self.post_ok("/otel/v1/traces", o.to_protobuf(req), headers={"Content-Type": "application/x-protobuf"})
        self.assertEqual(set(self.calls("team/other")), {ROOT})
        req = o.request([o.span(TRACE, CHILD, "b")])
        self.post_ok("/otel/v1/traces", o.to_protobuf(req),
                     headers={"Content-Type": "application/x-protobuf", "project_id": "team/header"})
        self.assertEqual(set(self.calls("team/header")), {CHILD})

    def test_bad_bodies_are_400_and_the_server_keeps_serving(self):
        before = self.store_hash()
        for body, ctype in [(b"\x0a\xff\xff\xff\x0f", "application/x-protobuf"), (b"{not json", "application/json"),
                            (b'{"resourceSpans": 3}', "application/json"), (b"\x0a\x02\x12\x00\xff", "application/x-protobuf")]:
            r = self.post("/otel/v1/traces", body, headers={"Content-Type": ctype})
            self.assertEqual(r.status, 400, body)
            self.assertIn("reason", r.json())
        self.assertUnchanged(before)
        self.post_ok("/otel/v1/traces", o.to_protobuf(genai_request()), headers={"Content-Type": "application/x-protobuf"})

    def test_metrics_and_logs_are_accepted_and_dropped(self):
        before = self.store_hash()
        for path in ("/v1/metrics", "/v1/logs", "/otel/v1/metrics"):
            r = self.post(path, b"\x0a\x00", headers={"Content-Type": "application/x-protobuf"})
            self.assertEqual((r.status, r.body), (200, b""))
            r = self.post(path, b"{}", headers={"Content-Type": "application/json"})
            self.assertEqual((r.status, r.json()), (200, {}))
        self.assertUnchanged(before)

    def test_a_browser_form_cannot_post_spans(self):
        r = self.post("/otel/v1/traces", b"x", headers={"Content-Type": "text/plain", "Origin": "http://evil.test"})
        self.assertIn(r.status, (403, 415))


class OtlpWithKey(ServeTest):
    def setUp(self):
        self.server_args = ("--api-key", "k3y")
        super().setUp()

    def test_wandb_api_key_header_and_basic(self):
        body = o.to_protobuf(genai_request())
        plain = {"Content-Type": "application/x-protobuf"}
        self.assertEqual(self.post("/otel/v1/traces", body, headers=dict(plain)).status, 401)
        self.assertEqual(self.post("/otel/v1/traces", body, headers={**plain, "wandb-api-key": "k3y"}).status, 200)
        basic = "Basic " + base64.b64encode(b"api:k3y").decode()
        self.assertEqual(self.post("/otel/v1/traces", body, headers={**plain, "Authorization": basic}).status, 200)


class Traceparent(ServeTest):
    def test_exec_joins_an_ingested_span_and_hands_its_own_on(self):
        self.post_ok("/otel/v1/traces", o.to_protobuf(o.request([o.span(TRACE, ROOT, "pipeline")])),
                     headers={"Content-Type": "application/x-protobuf"})
        env = dict(self.env, TRACEPARENT="00-%s-%s-01" % (TRACE, ROOT), TRACESTATE="vendor=1")
        script = 'echo "$TRACEPARENT $TRACESTATE $WEFT_TRACE_ID $WEFT_PARENT_ID"'
        out = self.ok("exec", "--op", "step", "--", "sh", "-c", script, env=env).out.decode().split()
        tp, state, weft_trace, weft_parent = out
        self.assertEqual(state, "vendor=1")
        self.assertEqual(weft_trace, TRACE)
        self.assertRegex(weft_parent, "^[0-9a-f]{16}$")
        self.assertEqual(tp, "00-%s-%s-01" % (TRACE, weft_parent))
        step = self.okj("call", "read", "--id", weft_parent)["call"]
        self.assertEqual((step["trace_id"], step["parent_id"]), (TRACE, ROOT))
        tree = self.ok("calls", "tree", "--color=never", TRACE).out.decode()
        self.assertLess(tree.index("pipeline"), tree.index("step"))

    def test_weft_ids_win_and_bad_traceparents_are_ignored(self):
        for bad in ("garbage", "00-%s-%s-01" % ("0" * 32, ROOT), "ff-%s-%s-01" % (TRACE, ROOT),
                    "00-%s-%s-01" % (TRACE.upper(), ROOT)):
            out = self.ok("exec", "--", "sh", "-c", "echo $WEFT_TRACE_ID", env=dict(self.env, TRACEPARENT=bad)).out
            self.assertNotEqual(out.decode().strip(), TRACE, bad)
        env = dict(self.env, TRACEPARENT="00-%s-%s-01" % (TRACE, ROOT), WEFT_TRACE_ID="mine", WEFT_PARENT_ID="p")
        self.assertEqual(self.ok("exec", "--", "sh", "-c", "echo $WEFT_TRACE_ID", env=env).out.decode().strip(), "mine")

    def test_call_start_export_prints_traceparent_and_end_hands_it_back(self):
        env = dict(self.env, TRACEPARENT="00-%s-%s-01" % (TRACE, ROOT))
        lines = self.ok("call", "start", "--op", "outer", "--export", env=env).out.decode()
        started = dict(l[len("export "):].split("=", 1) for l in lines.splitlines())
        call_id = started["WEFT_PARENT_ID"].strip("'")
        self.assertEqual(started["TRACEPARENT"], "00-%s-%s-01" % (TRACE, call_id))
        ended = self.ok("call", "end", "--id", call_id, "--export", env=env).out.decode()
        self.assertIn("export TRACEPARENT=00-%s-%s-01" % (TRACE, ROOT), ended)


class CiAttributes(WeftTest):
    GITHUB = {"GITHUB_ACTIONS": "true", "GITHUB_WORKFLOW": "CI", "GITHUB_RUN_ID": "42", "GITHUB_RUN_ATTEMPT": "2",
              "GITHUB_JOB": "test", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/app",
              "GITHUB_SHA": "abc123", "GITHUB_REF_NAME": "main"}

    def step(self, ci_env, *command):
        r = self.run_weft("exec", "--op", "step", "--", *command, env=dict(self.env, **ci_env))
        calls = self.okj("calls", "query", "--op-name", "step")["calls"]
        return r.code, calls[-1]

    def test_a_root_step_in_github_actions_carries_the_pipeline(self):
        code, call = self.step(self.GITHUB, "false")
        self.assertEqual(code, 1)
        self.assertEqual(call["attributes"]["cicd"], {"system": "github_actions", "pipeline": {
            "name": "CI", "run": {"id": "42", "attempt": "2"}, "task": {"name": "test"}}})
        self.assertEqual(call["attributes"]["vcs"], {"repository": {"name": "acme/app", "url": {
            "full": "https://github.com/acme/app"}}, "ref": {"head": {"revision": "abc123", "name": "main"}}})
        self.assertEqual(call["summary"]["cicd"], {"pipeline": {"result": "failure"}})

    def test_gitlab_nested_steps_and_no_ci(self):
        gitlab = {"GITLAB_CI": "true", "CI_PIPELINE_ID": "7", "CI_JOB_NAME": "build", "CI_PROJECT_PATH": "g/app",
                  "CI_COMMIT_SHA": "def"}
        code, call = self.step(gitlab, BIN, "exec", "--op", "inner", "--", "true")
        self.assertEqual(code, 0)
        self.assertEqual(call["attributes"]["cicd"]["pipeline"]["name"], "g/app")  # CI_PIPELINE_NAME unset
        self.assertEqual(call["summary"]["cicd"]["pipeline"]["result"], "success")
        inner = self.okj("calls", "query", "--op-name", "inner")["calls"][0]
        self.assertNotIn("cicd", inner["attributes"])  # only the root step says what the pipeline is
        clean = {k: v for k, v in self.env.items() if k not in ("GITHUB_ACTIONS", "GITLAB_CI", "CI", "BUILDKITE",
                                                                  "JENKINS_URL", "CIRCLECI")}
        self.env = clean
        _, plain = self.step({}, "true")
        self.assertNotIn("cicd", plain["attributes"])


class OtlpExport(ServeTest):
    def export_into_fresh_store(self):
        otlp = self.ok("export", "--format", "otlp").out
        fresh = dict(self.env, WEFT_STORE=self.store + "-fresh")
        r = self.run_weft("otlp", "import", "-", stdin=otlp, env=fresh)
        self.assertEqual(r.code, 0, r.err)
        return otlp, fresh

    def test_spans_round_trip_through_export_and_import(self):
        self.post_ok("/otel/v1/traces", o.to_protobuf(genai_request()), headers={"Content-Type": "application/x-protobuf"})
        req = genai_request()
        req["resourceSpans"][0]["scopeSpans"][0]["spans"][1]["events"] = [
            {"name": "gen_ai.user.message", "timeUnixNano": "1700000000000000001", "attributes": o.attrs(content="x")}]
        otlp, fresh = self.export_into_fresh_store()
        lines = otlp.decode().splitlines()
        self.assertEqual(len(lines), 1)  # one request a trace
        self.assertEqual(json.loads(lines[0])["resourceSpans"][0]["resource"]["attributes"][-1],
                         {"key": "wandb.project", "value": {"stringValue": "app"}})
        here = self.ok("calls", "query").out
        there = self.run_weft("calls", "query", env=fresh).out
        self.assertEqual(json.loads(here), json.loads(there))

    def test_weft_calls_go_out_with_weave_keys_and_come_back_alike(self):
        self.assertEqual(self.run_weft("exec", "--op", "build", "--inputs", '{"target": "all"}', "--",
                                       "sh", "-c", "exit 3").code, 3)
        uuid = self.okj("call", "start", "--op", "sdk-like", "--inputs", '{"q": [1, 2]}')["id"]
        self.ok("call", "end", "--id", uuid, "--output", '{"a": 1}')
        otlp, fresh = self.export_into_fresh_store()
        spans = [s for line in otlp.decode().splitlines() for rs in json.loads(line)["resourceSpans"]
                 for ss in rs["scopeSpans"] for s in ss["spans"]]
        by_name = {s["name"]: s for s in spans}
        self.assertEqual(by_name["sdk-like"]["spanId"], uuid.replace("-", "")[16:])
        self.assertEqual(by_name["build"]["status"]["code"], 2)
        attrs = {a["key"]: a["value"] for a in by_name["sdk-like"]["attributes"]}
        self.assertEqual(attrs["weave.call_id"], {"stringValue": uuid})
        back = {"target" in c["inputs"]: c for c in json.loads(self.run_weft("calls", "query", env=fresh).out)["calls"]}
        build, sdk_like = back[True], back[False]
        self.assertEqual(build["exception"], "exited with status 3")
        self.assertEqual(build["inputs"]["argv"], ["sh", "-c", "exit 3"])
        self.assertEqual(build["output"]["exit_code"], 3)
        self.assertEqual((sdk_like["inputs"], sdk_like["output"]), ({"q": [1, 2]}, {"a": 1}))


class FakeCollector:
    """An OTLP/HTTP endpoint that answers each request with the next of
    `answers` (status, body), then 200, and keeps what it was sent."""

    def __init__(self, answers=()):
        self.answers, self.seen = list(answers), []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.seen.append((dict(self.headers), body))
                status, reply = fake.answers.pop(0) if fake.answers else (200, b"")
                self.send_response(status)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/v1/traces" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class OtlpPush(ServeTest):
    def test_push_to_weft_serve_sends_each_span_once(self):
        self.ok("exec", "--op", "build", "--", "true")
        self.post_ok("/otel/v1/traces", o.to_protobuf(genai_request()), headers={"Content-Type": "application/x-protobuf"})
        other = Server(dict(self.env, WEFT_STORE=self.store + "-backend", WEFT_PROJECT="some/where"))
        self.addCleanup(other.stop)
        url = other.url + "/v1/traces"
        r = self.ok("push", "--otlp", url)
        self.assertIn("pushed 3 spans of 2 traces", r.err.decode())
        there = dict(self.env, WEFT_STORE=self.store + "-backend")
        calls = json.loads(self.run_weft("calls", "query", env=there).out)["calls"]
        self.assertEqual({c["id"] for c in calls} >= {ROOT, CHILD}, True)
        self.assertIn("pushed 0 spans of 0 traces", self.ok("push", "--otlp", url).err.decode())
        self.ok("exec", "--op", "again", "--", "true")
        self.assertIn("would push 1 spans of 1 traces", self.ok("push", "--otlp", url, "--dry-run").err.decode())
        self.assertIn("pushed 1 spans of 1 traces", self.ok("push", "--otlp", url).err.decode())

    def test_headers_gzip_retries_partial_success_and_no_wandb_key(self):
        rejected = o._bytes(1, o._field(1, 0, o._varint(1)) + o._string(2, "bad span"))  # partial_success
        fake = FakeCollector([(503, b""), (200, rejected)])
        self.addCleanup(fake.close)
        self.ok("exec", "--op", "build", "--", "true")
        env = dict(self.env, WANDB_API_KEY="do-not-leak", OTEL_EXPORTER_OTLP_HEADERS="x-from-env=1")
        r = self.run_weft("push", "--otlp", fake.url, "--header", "x-honeycomb-team=k3y", env=env)
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("rejected 1 spans: bad span", r.err.decode())
        self.assertEqual(len(fake.seen), 2)  # the 503 was retried
        headers, body = fake.seen[-1]
        lower = {k.lower(): v for k, v in headers.items()}
        self.assertEqual((lower["content-type"], lower["content-encoding"]), ("application/x-protobuf", "gzip"))
        self.assertEqual((lower["x-honeycomb-team"], lower["x-from-env"]), ("k3y", "1"))
        self.assertNotIn("authorization", lower)
        self.assertIn(b"build", gzip.decompress(body))
        self.fails(2, "--header", "push", "--otlp", fake.url, "--header", "novalue")


class OtlpImport(ServeTest):
    def test_import_lines_and_refuse_a_bad_one(self):
        lines = json.dumps(genai_request()) + "\n\n" + json.dumps(o.request([o.span(TRACE, "1" * 16, "third")])) + "\n"
        out = self.okj("otlp", "import", "-", stdin=lines.encode())
        self.assertEqual(out, {"partial_success": None, "spans": 3})
        self.assertEqual(len(self.okj("calls", "query")["calls"]), 3)
        again = self.okj("otlp", "import", "-", stdin=lines.encode())  # the same spans again: nothing changes
        self.assertEqual(again["spans"], 3)
        self.assertEqual(len(self.okj("calls", "query")["calls"]), 3)
        self.fails(2, "line 2", "otlp", "import", "-", stdin=b'{"resourceSpans": []}\n{"resourceSpans": [1]}\n')


if __name__ == "__main__":
    main()
