#!/usr/bin/env python3
"""End-to-end: several weft processes write one store at once; every write
that reported success is there afterwards."""
import json
import os
import signal
import subprocess
import time

from weftlib import BIN, WeftTest, main

WRITERS, EACH = 4, 25


class ConcurrencyTest(WeftTest):
    def test_parallel_writers(self):
        # each writer is a shell loop of weft processes, all four at once
        script = ('for i in $(seq 1 %d); do "$0" obj create --name "w$1" --val "{\\"i\\": $i}" || exit 1; '
                  '"$0" table create --rows "[{\\"w\\": $1, \\"i\\": $i}]" || exit 1; done') % EACH
        procs = [subprocess.Popen(["sh", "-c", script, BIN, str(w)], env=self.env, cwd=self.dir,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for w in range(WRITERS)]
        digests = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            self.assertEqual(p.returncode, 0, err.decode())
            digests += [json.loads(line)["digest"] for line in out.decode().splitlines()]
        objs = self.okj("objs", "query")["objs"]
        self.assertEqual(len(objs), WRITERS * EACH)
        for w in range(WRITERS):
            versions = sorted(o["version_index"] for o in objs if o["object_id"] == "w%d" % w)
            self.assertEqual(versions, list(range(EACH)))
        tables = [d for d in digests if len(d) == 64]
        self.assertEqual(len(tables), WRITERS * EACH)
        for t in tables:
            self.assertEqual(len(self.okj("table", "query", "--digest", t)["rows"]), 1)

    def test_parallel_nested_calls_with_readers(self):
        # 8 writers each record a trace of a root, 5 children and a grandchild under each
        # (weft call start takes the trace and parent from --trace-id/--parent), while 2
        # readers query in a loop.
        script = (
            'root=$("$0" call start --op root --id "r$1" --trace-id "t$1") || exit 1\n'
            'for i in 1 2 3 4 5; do\n'
            '  "$0" call start --op child --id "c$1-$i" --trace-id "t$1" --parent "r$1" >/dev/null || exit 1\n'
            '  "$0" call start --op grandchild --id "g$1-$i" --trace-id "t$1" --parent "c$1-$i" >/dev/null || exit 1\n'
            '  "$0" call end --id "g$1-$i" >/dev/null && "$0" call end --id "c$1-$i" >/dev/null || exit 1\n'
            'done\n'
            '"$0" call end --id "r$1" >/dev/null\n')
        reader = 'for i in $(seq 1 20); do "$0" calls query-stats >/dev/null && "$0" calls query --roots >/dev/null || exit 1; done'
        writers = [subprocess.Popen(["sh", "-c", script, BIN, str(w)], env=self.env, cwd=self.dir,
                                    stderr=subprocess.PIPE) for w in range(8)]
        readers = [subprocess.Popen(["sh", "-c", reader, BIN], env=self.env, cwd=self.dir,
                                    stderr=subprocess.PIPE) for _ in range(2)]
        for p in writers + readers:
            _, err = p.communicate(timeout=300)
            self.assertEqual(p.returncode, 0, err.decode())
        calls = self.okj("calls", "query")["calls"]
        self.assertEqual(len(calls), 8 * 11)
        by_id = {c["id"]: c for c in calls}
        for c in calls:
            self.assertIsNotNone(c["ended_at"], c["id"])
            if c["op_name"] != "root":
                parent = by_id[c["parent_id"]]
                self.assertEqual(parent["trace_id"], c["trace_id"])
        for w in range(8):
            self.assertEqual(self.okj("calls", "query-stats", "--parent", "r%d" % w), {"count": 5})

    def test_writers_killed_midway_lose_nothing_they_reported(self):
        # writers append each id weft reported as started to a file, then get SIGKILLed at random moments
        logs = [os.path.join(self.dir, "w%d.log" % w) for w in range(4)]
        script = 'while :; do "$0" call start --op k --inputs \'{"pad": "%s"}\' >> "$1" || exit 1; done' % ("x" * 2000)
        procs = [subprocess.Popen(["sh", "-c", script, BIN, log], env=self.env, cwd=self.dir,
                                  start_new_session=True, stderr=subprocess.DEVNULL) for log in logs]
        time.sleep(1.5)
        for p in procs:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        reported = set()
        for log in logs:
            with open(log) as f:
                for line in f:
                    if line.endswith("\n"):  # a line cut by the kill was never reported whole
                        reported.add(json.loads(line)["id"])
        self.assertGreater(len(reported), 10)
        stored = {c["id"] for c in self.okj("calls", "query", "--columns", "id")["calls"]}
        self.assertTrue(reported <= stored, "%d reported calls missing" % len(reported - stored))
        self.okj("call", "start", "--op", "after")  # and the store still takes writes


if __name__ == "__main__":
    main()
