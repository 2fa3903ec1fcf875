#!/usr/bin/env python3
"""End-to-end: several weft processes write one store at once; every write
that reported success is there afterwards."""
import json
import subprocess

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


if __name__ == "__main__":
    main()
