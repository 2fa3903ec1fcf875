#!/usr/bin/env python3
"""End-to-end: weft in the shell and in CI: exec, nesting across processes,
--export, human views, completions and confirmations."""
import json
import os
import shutil
import signal
import subprocess
import textwrap
import time
import unittest

from weftlib import BIN, WeftTest, main

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")


class ExecTest(WeftTest):
    def setUp(self):
        super().setUp()
        self.env["PATH"] = os.path.dirname(BIN) + ":" + self.env.get("PATH", "")

    def calls(self):
        return self.okj("calls", "query")["calls"]

    def test_exit_codes_pass_through(self):
        for script, code in (("exit 0", 0), ("exit 1", 1), ("exit 42", 42), ("kill -TERM $$", 143)):
            r = self.run_weft("exec", "--", "sh", "-c", script)
            self.assertEqual(r.code, code, script)
        status = [(c["output"]["exit_code"], c["output"]["signal"], c["summary"]["weave"]["status"]) for c in self.calls()]
        self.assertEqual(status, [(0, None, "success"), (1, None, "error"), (42, None, "error"), (None, 15, "error")])
        self.assertIn("killed by signal 15", self.calls()[3]["exception"])
        self.assertEqual(self.run_weft("exec", "--", "no-such-command-here").code, 127)

    def test_sigterm_is_forwarded_to_the_child(self):
        p = subprocess.Popen([BIN, "exec", "--op", "sleeper", "--", "sleep", "30"], env=self.env, cwd=self.dir,
                             stderr=subprocess.PIPE)
        for _ in range(100):  # until the call has started
            if self.okj("calls", "query-stats")["count"] == 1:
                break
            time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
        call = self.calls()[0]
        self.assertEqual((call["output"]["signal"], call["summary"]["weave"]["status"]), (signal.SIGTERM, "error"))

    def test_child_keeps_its_streams(self):
        r = self.run_weft("exec", "--", "sh", "-c", "cat; echo err >&2", stdin="piped in\n")
        self.assertEqual((r.out, r.err), (b"piped in\n", b"err\n"))
        r = self.run_weft("exec", "--capture", "--", "sh", "-c", "echo out; echo err >&2")
        self.assertEqual((r.out, r.err), (b"out\n", b"err\n"))
        out = self.calls()[-1]["output"]
        self.assertEqual((out["stdout_tail"], out["stderr_tail"]), ("out\n", "err\n"))
        # A long output keeps its last 4 KiB from a line boundary, marked as cut.
        self.run_weft("exec", "--capture", "--", "sh", "-c", "seq 1 2000")
        tail = self.calls()[-1]["output"]["stdout_tail"]
        self.assertTrue(tail.startswith("[\u2026]\n"), tail[:20])
        self.assertTrue(tail.endswith("\n2000\n"))
        first = tail.splitlines()[1]
        self.assertEqual(int(first) + 1, int(tail.splitlines()[2]))  # a whole line, not a piece of one

    def test_nesting_three_processes_deep(self):
        script = os.path.join(self.dir, "outer.sh")
        with open(script, "w") as f:
            f.write(textwrap.dedent("""\
                #!/bin/sh
                weft exec --op middle -- sh -c 'weft exec --op inner -- true'
                """))
        os.chmod(script, 0o755)
        self.ok("exec", "--op", "outer", "--", script)
        by_op = {c["op_name"]: c for c in self.calls()}
        self.assertEqual(set(by_op), {"outer", "middle", "inner"})
        self.assertEqual(by_op["middle"]["parent_id"], by_op["outer"]["id"])
        self.assertEqual(by_op["inner"]["parent_id"], by_op["middle"]["id"])
        self.assertEqual(len({c["trace_id"] for c in by_op.values()}), 1)

    def test_parallel_children_under_one_parent(self):
        self.ok("exec", "--op", "fan", "--", "sh", "-c", "seq 8 | xargs -P 4 -I{} weft exec --op 'job{}' -- true")
        calls = self.calls()
        fan = [c for c in calls if c["op_name"] == "fan"][0]
        jobs = [c for c in calls if c["op_name"].startswith("job")]
        self.assertEqual(len(jobs), 8)
        self.assertTrue(all(j["parent_id"] == fan["id"] and j["trace_id"] == fan["trace_id"] for j in jobs))

    def test_a_parent_without_a_trace_lends_its_trace(self):
        outer = self.okj("call", "start", "--op", "outer")
        child = self.okj("call", "start", "--op", "child", "--parent", outer["id"])
        self.assertEqual(child["trace_id"], outer["trace_id"])
        env = dict(self.env, WEFT_PARENT_ID=outer["id"])
        self.ok("exec", "--op", "step", "--", "true", env=env)
        by_op = {c["op_name"]: c for c in self.calls()}
        self.assertEqual(by_op["step"]["trace_id"], outer["trace_id"])
        self.assertEqual(by_op["step"]["parent_id"], outer["id"])
        tree = self.ok("--color", "never", "calls", "tree", outer["trace_id"]).out.decode()
        self.assertIn("child", tree)
        self.assertIn("step", tree)
        # an unknown parent: refused by call start; exec runs and records in a new trace
        self.fails(2, "give --trace-id too", "call", "start", "--op", "x", "--parent", "nope")
        r = self.run_weft("exec", "--op", "lost", "--", "true", env=dict(self.env, WEFT_PARENT_ID="nope"))
        self.assertEqual(r.code, 0)
        self.assertIn(b"recording the step in a new trace", r.err)
        lost = [c for c in self.calls() if c["op_name"] == "lost"][0]
        self.assertIsNone(lost["parent_id"])

    def test_nested_export_spans_close_in_order(self):
        script = ('eval "$(weft call start --op outer --export)" && eval "$(weft call start --op inner --export)" && '
                  'weft exec --op step -- true && eval "$(weft call end --export)" && '
                  'weft exec --op after -- true && eval "$(weft call end --export)" && '
                  'echo "${WEFT_PARENT_ID-none} ${WEFT_TRACE_ID-none}"')
        p = subprocess.run(["sh", "-c", script], env=self.env, cwd=self.dir, capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"none none\n")
        self.assertNotIn(b"warning", p.stderr)
        by_op = {c["op_name"]: c for c in self.calls()}
        self.assertEqual(by_op["inner"]["parent_id"], by_op["outer"]["id"])
        self.assertEqual(by_op["step"]["parent_id"], by_op["inner"]["id"])
        self.assertEqual(by_op["after"]["parent_id"], by_op["outer"]["id"])
        self.assertTrue(by_op["outer"]["ended_at"] and by_op["inner"]["ended_at"])
        r = self.ok("call", "end", "--id", by_op["inner"]["id"])
        self.assertIn(b"had ended already", r.err)

    def test_the_only_project_is_the_default_and_several_are_listed(self):
        env = {k: v for k, v in self.env.items() if k != "WEFT_PROJECT"}
        self.fails(2, "project_id: field required", "call", "start", "--op", "x", env=env)  # an empty store
        self.ok("call", "start", "--op", "seed")  # acme/app, the only project
        self.okj("call", "start", "--op", "no-project-given", env=env)
        self.ok("exec", "--op", "step", "--", "true", env=env)
        self.assertEqual(sorted(c["op_name"] for c in self.calls()), ["no-project-given", "seed", "step"])
        self.assertIn(b"step", self.ok("--color", "never", "calls", "tree", env=env).out)
        self.ok("--project", "other/proj", "call", "start", "--op", "x")
        line = self.fails(2, "the store holds 2 projects (acme/app, other/proj)", "calls", "query-stats", env=env)
        self.assertIn("--project", line)
        r = self.run_weft("exec", "--op", "step", "--", "true", env=env)
        self.assertEqual(r.code, 0)
        self.assertIn(b"call not recorded", r.err)

    def test_export_opens_a_span_for_a_script(self):
        script = ('eval "$(weft call start --op deploy --export)" && weft exec --op step -- true && '
                  'weft call end --output \'{"ok": true}\'')
        p = subprocess.run(["sh", "-c", script], env=self.env, cwd=self.dir, capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        by_op = {c["op_name"]: c for c in self.calls()}
        self.assertEqual(by_op["step"]["parent_id"], by_op["deploy"]["id"])
        self.assertEqual(by_op["deploy"]["output"], {"ok": True})

    @unittest.skipUnless(shutil.which("setpriv") and os.geteuid() == 0, "needs root and setpriv")
    def test_read_only_store_still_runs_the_command(self):
        self.ok("project", "ensure")
        as_nobody = self.as_nobody()
        os.chmod(self.store, 0o555)
        for name in os.listdir(self.store):
            os.chmod(os.path.join(self.store, name), 0o444)
        p = subprocess.run(as_nobody + ["exec", "--", "sh", "-c", "echo ran; exit 5"], env=self.env, cwd="/",
                           capture_output=True)
        self.assertEqual((p.returncode, p.stdout), (5, b"ran\n"))
        self.assertIn(b"weft: warning: call not recorded", p.stderr)

    def test_bad_inputs_json_never_stops_the_step(self):
        r = self.run_weft("exec", "--inputs", "{bad", "--", "sh", "-c", "echo ran")
        self.assertEqual((r.code, r.out), (0, b"ran\n"))
        self.assertIn(b"--inputs: malformed JSON", r.err)
        self.assertIn(b"recorded without it", r.err)
        call = self.okj("calls", "query")["calls"][-1]
        self.assertEqual(call["inputs"]["argv"], ["sh", "-c", "echo ran"])

    def test_no_project_still_runs(self):
        env = dict(self.env)
        del env["WEFT_PROJECT"]
        r = self.run_weft("exec", "--", "true", env=env)
        self.assertEqual(r.code, 0)
        self.assertIn(b"no project", r.err)


class ViewsTest(WeftTest):
    def setUp(self):
        super().setUp()
        self.env["TZ"] = "UTC"
        self.okj("call", "start", "--op", "build", "--id", "c1", "--trace-id", "t1", "--started-at",
                 "2024-09-01T12:00:00Z", "--inputs", '{"target": "all", "note": "%s"}' % ("x" * 60))
        self.okj("call", "start", "--op", "compile", "--id", "c2", "--trace-id", "t1", "--parent", "c1",
                 "--started-at", "2024-09-01T12:00:01Z")
        self.okj("call", "end", "--id", "c2", "--ended-at", "2024-09-01T12:00:02.5Z", "--output", '"done"')
        self.okj("call", "end", "--id", "c1", "--ended-at", "2024-09-01T12:01:03Z", "--exception", "boom")

    def test_table_format_matches_golden_file(self):
        out = self.ok("--format", "table", "calls", "query").out.decode()
        with open(os.path.join(GOLDEN, "calls_table.txt")) as f:
            self.assertEqual(out, f.read())

    def test_table_shows_the_selected_columns(self):
        out = self.ok("--format", "table", "calls", "query", "--columns", "op_name,summary.weave.status").out.decode()
        self.assertEqual(out.splitlines(), ["id  op_name  status", "c1  build    error", "c2  compile  success"])

    def test_ndjson_format(self):
        lines = self.ok("--format", "ndjson", "calls", "query").out.decode().splitlines()
        self.assertEqual([json.loads(l)["id"] for l in lines], ["c1", "c2"])

    def test_tree_without_colour(self):
        env = dict(self.env, NO_COLOR="1")
        out = self.ok("calls", "tree", env=env).out.decode()
        self.assertNotIn("\033[", out)
        self.assertEqual(out.splitlines()[0], "trace t1")
        self.assertIn("\u2717 build  1m03s", out)
        self.assertIn("\u2514\u2500 \u2713 compile  1.5s", out)
        self.assertIn("\033[", self.ok("--color", "always", "calls", "tree", "c2").out.decode())

    def test_tree_depth_errors_json_and_the_stderr_of_a_failed_step(self):
        env = dict(self.env, NO_COLOR="1")
        self.ok("call", "start", "--op", "lint", "--id", "c3", "--trace-id", "t1", "--parent", "c1")
        self.ok("call", "end", "--id", "c3", "--exception", "exit 2",
                "--output", json.dumps({"exit_code": 2, "signal": None, "stderr_tail": "a\nb\nc\nd\ne\nf: bad line\n"}))
        tree = self.ok("calls", "tree", "t1", env=env).out.decode()
        self.assertIn("f: bad line", tree)  # the last lines of the failed step's stderr
        self.assertNotIn("   a\n", tree)  # but only the last five
        shallow = self.ok("calls", "tree", "--depth", "0", "t1", env=env).out.decode().splitlines()
        self.assertEqual(len([l for l in shallow if "\u2713" in l or "\u2717" in l]), 1)
        self.assertIn("\u2026", shallow[-1])  # what is left out is marked
        errors = self.ok("calls", "tree", "--errors", "t1", env=env).out.decode()
        self.assertIn("lint", errors)
        self.assertNotIn("compile", errors)  # a step that succeeded, under no failure
        nested = self.okj("--format", "json", "calls", "tree", "t1")
        self.assertEqual(nested["trace_id"], "t1")
        self.assertEqual(sorted(c["op_name"] for c in nested["calls"][0]["children"]), ["compile", "lint"])
        self.fails(2, "--format ndjson", "--format", "ndjson", "calls", "tree", "t1")

    def test_tree_sums_the_usage_and_cost_of_the_trace(self):
        env = dict(self.env, NO_COLOR="1")
        self.ok("call", "start", "--op", "llm", "--id", "u1", "--trace-id", "t2", "--started-at", "2026-01-01T00:00:00Z")
        self.ok("call", "end", "--id", "u1", "--summary",
                '{"usage": {"gpt-4o": {"prompt_tokens": 1000, "completion_tokens": 500}}}')
        self.ok("cost", "add", "--costs", '{"my-llm": {"prompt_token_cost": 0.01, "completion_token_cost": 0.01,'
                                          ' "effective_date": "2020-01-01T00:00:00Z"}}')
        self.ok("call", "start", "--op", "llm", "--id", "u2", "--trace-id", "t2", "--parent", "u1")
        self.ok("call", "end", "--id", "u2", "--summary", '{"usage": {"my-llm": {"input_tokens": 10, "output_tokens": 0}}}')
        head = self.ok("calls", "tree", "t2", env=env).out.decode().splitlines()[0]
        # gpt-4o at the shipped 2.5e-06 and 1e-05 a token, my-llm at 0.01.
        self.assertEqual(head, "trace t2  \u00b7  1,510 tokens  \u00b7  $0.1075")

    def test_query_conveniences(self):
        q = lambda *a: [c["id"] for c in self.okj("calls", "query", *a)["calls"]]
        self.assertEqual(q("--status", "error"), ["c1"])
        self.assertEqual(q("--since", "2024-09-01T12:00:01Z", "--status", "success"), ["c2"])
        self.assertEqual(q("--until", "2024-09-01T12:00:01Z"), ["c1"])
        self.assertEqual(q("--since", "1h"), [])
        self.assertEqual(q("--since", "100000d", "--filter", '{"$eq": [{"$getField": "op_name"}, {"$literal": "compile"}]}'), ["c2"])
        self.assertEqual(q("--since", "1725192001"), ["c2"])  # Unix seconds: 2024-09-01T12:00:01Z
        self.assertEqual(q("--since", "2024-09-01", "--until", "2024-09-02"), ["c1", "c2"])  # dates: midnight UTC
        self.assertEqual(q("--since", "2024-09-02"), [])
        self.assertEqual(q("--since", "10000w"), ["c1", "c2"])
        self.fails(2, "--since: expected an RFC 3339 time, a date", "calls", "query", "--since", "yesterday")
        self.fails(2, "--status: expected success, error or running", "calls", "query", "--status", "fine")

    def test_options_parse_in_every_spelling_though_the_tree_holds_only_those_named(self):
        # cli/option_words.h: a command line's tree holds only the options it names.
        ids = lambda *a: [c["id"] for c in self.okj("calls", "query", *a)["calls"]]
        self.assertEqual(ids("--limit=1"), ["c1"])
        self.assertEqual(ids("--trace-id", "t1", "--op-name", "compile", "build", "--limit", "5"), ["c1", "c2"])
        self.assertEqual(self.ok("-q", "--format=ndjson", "calls", "query-stats", "-qq").out, b'{"count":2}\n')
        self.assertTrue(self.ok("--format", "json", "calls", "tree", "t1").out.startswith(b"{"))  # --format given
        self.fails(2, "--limt", "calls", "query", "--limt", "5")
        self.fails(2, "--limit: 1 required TEXT missing", "calls", "query", "--limit")
        self.fails(2, "not expected: --roots", "calls", "query-stats", "--", "--roots")
        self.fails(2, "--color: purple not in", "calls", "query-stats", "--color", "purple")
        # Help, wherever it is asked for, lists every option: the command's, or the globals.
        for args in (("calls", "query", "--id", "c1", "--help"), ("calls", "query", "-h")):
            out = self.ok(*args).out.decode()
            self.assertIn("--trace-id", out)
            self.assertIn("--status", out)
        self.assertIn("--store", self.ok("--help").out.decode())
        self.assertEqual(self.okj("calls", "delete", "--id", "c2", "-y"), {"num_deleted": 1})

    def test_typos_get_a_suggestion_and_bare_commands_their_usage(self):
        self.fails(2, "did you mean 'weft calls query'?", "calls", "qurey")
        self.fails(2, "did you mean 'weft calls'?", "calss", "query")
        self.fails(2, "did you mean 'weft stats'?", "stast")
        self.fails(2, "the command goes after --", "exec", "ls", "-la")
        self.fails(2, "give a command")
        self.fails(2, "weft calls: give a command: import, delete, query", "calls")  # its commands, in one line
        self.assertIn("query-stats", self.fails(2, "give a command", "calls"))

    def test_reading_a_named_store_that_does_not_exist_says_so(self):
        missing = os.path.join(self.dir, "no-such-store")
        r = self.ok("--store", missing, "calls", "query-stats")
        self.assertEqual(json.loads(r.out), {"count": 0})
        self.assertIn(b"does not exist", r.err)
        self.assertFalse(os.path.exists(missing))

    def test_op_name_matches_sdk_op_refs_by_name(self):
        for op in ("weave:///acme/app/op/answer:v1digest", "weave:///acme/app/op/answer:v2digest", "answer",
                   "weave:///acme/app/op/answer_more:x"):
            self.ok("call", "start", "--op", op)
        count = lambda *a: self.okj("calls", "query-stats", *a)["count"]
        self.assertEqual(count("--op-name", "answer"), 3)  # the plain name and both versions of the op
        self.assertEqual(count("--op-name", "weave:///acme/app/op/answer:v1digest"), 1)
        self.assertEqual(count("--op-name", "weave:///acme/app/op/answer:*"), 2)
        table = self.ok("--format", "table", "calls", "query", "--op-name", "answer", "--columns", "op_name").out.decode()
        self.assertNotIn("weave:///", table)  # SDK op refs show by their name, as calls tree shows them

    def test_destructive_commands_need_yes_off_a_terminal(self):
        self.fails(2, "not confirmed", "calls", "delete", "--id", "c2")
        self.assertEqual(len(self.okj("calls", "query")["calls"]), 2)
        self.okj("calls", "delete", "--id", "c2", "--yes")
        self.okj("calls", "delete", "--json", '{"project_id": "acme/app", "call_ids": ["c1"]}')
        self.assertEqual(self.okj("calls", "query")["calls"], [])
        stats = self.okj("stats")["projects"]["acme/app"]
        self.assertEqual((stats["calls"], stats["calls_deleted"]), (0, 2))  # deleted calls are counted apart

    def test_calls_diff_aligns_two_runs_by_op_path(self):
        # t1: build (error) > compile (success). t9: build (success) > compile (error) and a new lint step.
        self.ok("call", "start", "--op", "build", "--id", "n1", "--trace-id", "t9")
        self.ok("call", "start", "--op", "compile", "--id", "n2", "--trace-id", "t9", "--parent", "n1")
        self.ok("call", "end", "--id", "n2", "--exception", "cc failed")
        self.ok("call", "start", "--op", "lint", "--id", "n3", "--trace-id", "t9", "--parent", "n1")
        self.ok("call", "end", "--id", "n3")
        self.ok("call", "end", "--id", "n1")
        rows = self.okj("--format", "json", "calls", "diff", "t1", "t9")["rows"]
        self.assertEqual([(r["path"], r["change"]) for r in rows],
                         [("build", "status"), ("build/compile", "status"), ("build/lint", "added")])
        self.assertEqual(rows[1]["b"]["exception"], "cc failed")
        text = self.ok("--color", "never", "calls", "diff", "t1", "t9").out.decode()
        self.assertIn("3 of 3 steps differ", text)
        self.assertIn("+ ", text)
        self.fails(3, "no calls in trace nope", "calls", "diff", "t1", "nope")

    def test_calls_tail_follows_calls_as_they_start_and_end(self):
        env = dict(self.env, NO_COLOR="1")
        self.assertEqual(len(self.ok("calls", "tail", "-n", "1", env=env).out.splitlines()), 1)
        proc = subprocess.Popen([BIN, "calls", "tail", "-n", "1", "-f", "--interval", "0.05"], cwd=self.dir, env=env,
                                stdout=subprocess.PIPE)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(proc.kill)
        self.assertIn("compile", proc.stdout.readline().decode())  # the latest call: tail has looked once
        self.ok("call", "start", "--op", "deploy", "--id", "d1")
        self.assertIn("\u2026running deploy", proc.stdout.readline().decode())
        self.ok("call", "end", "--id", "d1")
        line = proc.stdout.readline().decode()
        self.assertIn("\u2713 deploy", line)
        proc.kill()

    def test_a_project_can_be_renamed_and_deleted(self):
        plan = self.okj("project", "delete", "--dry-run")  # counting needs no --yes
        self.assertEqual(plan["would_delete"]["calls"], 2)
        self.fails(2, "not confirmed", "project", "delete")
        self.assertEqual(self.okj("project", "rename", "--to", "acme/renamed", "--dry-run")["would_move"]["calls"], 2)
        self.okj("project", "rename", "--to", "acme/renamed")
        self.assertEqual(len(self.okj("--project", "acme/renamed", "calls", "query")["calls"]), 2)
        self.assertEqual(self.okj("calls", "query")["calls"], [])
        self.assertEqual(self.okj("--project", "acme/renamed", "project", "delete", "--yes")["deleted"]["calls"], 2)
        self.assertEqual(self.okj("--project", "acme/renamed", "calls", "query")["calls"], [])

    def test_on_a_terminal_the_prompt_says_what_goes_and_no_is_no_error(self):
        import pty, select
        def read_until(fd, out, done, timeout=10):
            # The test keeps the terminal's other end open, so a read never hits the hang-up race
            # (Linux may answer EIO before the last bytes of an exited child are readable).
            while not done(out) and select.select([fd], [], [], timeout)[0]:
                out += os.read(fd, 1024)
            return out
        for answer, deleted in ((b"n\n", False), (b"y\n", True)):
            master, slave = pty.openpty()
            proc = subprocess.Popen([BIN, "calls", "delete", "--id", "c2"], cwd=self.dir, env=self.env,
                                    stdin=slave, stdout=slave, stderr=slave)
            out = read_until(master, b"", lambda o: b"[y/N]" in o)
            self.assertIn(b"delete 1 call(s) and all their descendants for good? [y/N]", out)
            os.write(master, answer)
            self.assertEqual(proc.wait(timeout=10), 0, out)
            out = read_until(master, out, lambda o: b"nothing deleted" in o, timeout=0.5 if deleted else 10)
            os.close(master)
            os.close(slave)
            if not deleted:
                self.assertIn(b"nothing deleted", out)
            self.assertEqual(any(c["id"] == "c2" for c in self.okj("calls", "query")["calls"]), not deleted)


class CompletionTest(WeftTest):
    def test_checked_in_completions_are_current(self):
        for shell, name in (("bash", "weft.bash"), ("zsh", "_weft"), ("fish", "weft.fish")):
            with open(os.path.join(ROOT, "completions", name), "rb") as f:
                self.assertEqual(self.ok("completion", shell).out, f.read(),
                                 "completions/%s is stale: run tools/regenerate" % name)

    def test_zsh_and_fish_scripts_parse(self):
        for shell, name in (("zsh", "_weft"), ("fish", "weft.fish")):
            if not shutil.which(shell):
                continue  # not installed here; bash is always checked
            p = subprocess.run([shell, "-n", os.path.join(ROOT, "completions", name)], capture_output=True)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_bash_completes_commands_flags_and_values(self):
        def complete(*words):
            script = ("source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _weft; echo \"${COMPREPLY[*]}\"" %
                      (os.path.join(ROOT, "completions", "weft.bash"), " ".join("'%s'" % w for w in words), len(words) - 1))
            return subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout.split()
        self.assertEqual(complete("weft", "ca"), ["call", "calls"])
        self.assertEqual(complete("weft", "calls", "query-s"), ["query-stats", "query-stream"])
        self.assertIn("--trace-id", complete("weft", "--store", "s", "calls", "query", "--tr"))
        self.assertEqual(complete("weft", "--format", "n"), ["ndjson"])
        self.assertEqual(complete("weft", "calls", "query", "--status", ""), ["success", "error", "running"])
        self.assertIn("echo", complete("weft", "exec", "--op", "x", "--", "ech"))  # the command to trace
        os.makedirs(os.path.join(self.dir, "stores", "a"))
        open(os.path.join(self.dir, "stores", "file"), "w").close()
        self.assertEqual(complete("weft", "--store", os.path.join(self.dir, "stores") + "/"),
                         [os.path.join(self.dir, "stores", "a")])  # folders only


if __name__ == "__main__":
    main()
