"""README's examples run as shown: the Makefile of "Tracing a CI pipeline",
the nested deploy script, the scripted `weft serve`, the terminal commands
of "Reading in a terminal", export and import, and the cost commands, each
taken from README.md itself and run in a fresh folder with the built weft
first on PATH and the files the example assumes (main.c, run-tests.sh,
migrate.sh, app.mjs, a LiteLLM price file) written beside it."""
import json
import os
import re
import subprocess
import unittest

from weftlib import BIN, WeftTest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


def blocks(lang):
    """The fenced blocks of one language, in order."""
    return re.findall(r"```%s\n(.*?)```" % lang, readme(), re.S)


def block_with(lang, needle):
    found = [b for b in blocks(lang) if needle in b]
    assert len(found) == 1, "README has %d %s blocks with %r" % (len(found), lang, needle)
    return found[0]


FIXTURES = {
    "main.c": "int main(void) { return 0; }\n",
    "run-tests.sh": "#!/bin/sh\necho tests pass\n",
    "migrate.sh": "#!/bin/sh\necho migrated\n",
    # Stands in for an SDK app: it checks what the example sets and reaches the server.
    "app.mjs": "if (process.env.WEAVE_PRINT_CALL_LINK !== 'false') process.exit(3);\n"
               "const r = await fetch(process.env.WF_TRACE_SERVER_URL + '/health'); process.exit(r.ok ? 0 : 4);\n",
    "model_prices_and_context_window.json": json.dumps({"my-llm-2": {
        "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai"}}),
}


class ReadmeExamplesTest(WeftTest):
    def setUp(self):
        super().setUp()
        for name, text in FIXTURES.items():
            path = os.path.join(self.dir, name)
            with open(path, "w") as f:
                f.write(text)
            if name.endswith(".sh"):
                os.chmod(path, 0o755)
        self.env["PATH"] = os.path.dirname(BIN) + os.pathsep + self.env.get("PATH", "")
        self.env.pop("WEFT_PROJECT", None)  # the examples set it themselves

    def sh(self, script, check=True):
        script = "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script  # no background job outlives it
        p = subprocess.run(["bash", "-e", "-c", script], cwd=self.dir, env=self.env, capture_output=True, timeout=120)
        if check:
            self.assertEqual(p.returncode, 0, "%s\n--- stdout\n%s--- stderr\n%s" % (script, p.stdout.decode(), p.stderr.decode()))
        return p

    def make_pipeline(self):
        with open(os.path.join(self.dir, "Makefile"), "w") as f:
            f.write(block_with("make", "WEFT_PROJECT"))
        self.sh("make ci")

    def test_the_makefile_pipeline_and_reading_it_in_a_terminal(self):
        self.make_pipeline()
        tree = self.sh("NO_COLOR=1 weft --project acme/app calls tree").stdout.decode()
        self.assertRegex(tree, r"\u2713 ci .*\n\u251c\u2500 \u2713 build .*\n\u2514\u2500 \u2713 test ")
        # "Reading in a terminal": each `$ ` line, run as written.
        section = readme().split("## Reading in a terminal")[1].split("\n## ")[0]
        commands = [l.strip()[2:] for l in section.splitlines() if l.strip().startswith("$ ")]
        self.assertGreaterEqual(len(commands), 4)
        for command in commands:
            self.sh("export WEFT_PROJECT=acme/app; " + command)

    def test_nested_calls_from_a_script(self):
        script = block_with("sh", "weft call start --op deploy --export")
        self.sh("export WEFT_PROJECT=acme/app\n" + script)
        calls = {c["op_name"]: c for c in self.okj("--project", "acme/app", "calls", "query")["calls"]}
        self.assertEqual(calls["migrate"]["parent_id"], calls["deploy"]["id"])
        self.assertEqual(calls["deploy"]["output"], {"ok": True})

    def test_the_scripted_server(self):
        self.sh(block_with("sh", "weft serve --port 0 > url.txt"))

    def test_export_and_import(self):
        self.make_pipeline()
        copy = os.path.join(self.dir, "copy")  # the example's /tmp/copy, kept inside this test's folder
        self.sh(block_with("sh", "export -o app.ndjson").replace("/tmp/copy", copy))
        self.assertEqual(len(self.okj("--store", copy, "--project", "acme/app", "calls", "query")["calls"]), 3)

    def test_costs(self):
        self.sh("export WEFT_PROJECT=acme/app\n" + block_with("sh", "weft cost add"))
        llms = {p["llm_id"] for p in self.okj("--project", "acme/app", "cost", "query")["results"]}
        self.assertEqual(llms, {"my-llm", "my-llm-2"})


if __name__ == "__main__":
    unittest.main()
