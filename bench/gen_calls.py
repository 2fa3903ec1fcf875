#!/usr/bin/env python3
"""Writes N realistic calls for the benchmarks: traces of 10 nested calls
over 8 ops, inputs and outputs of a few hundred bytes.

usage: gen_calls.py N OUT_PREFIX
  OUT_PREFIX.ndjson  start and end items for `weft calls import`
  OUT_PREFIX.sql     the same rows for sqlite3 (one transaction)
  OUT_PREFIX.ids     one line: a trace id, a parent id, a call id, an op name
"""
import json
import random
import sys

OPS = ["llm.generate", "retrieve", "rerank", "embed", "tool.search", "tool.calc", "judge", "format"]
WORDS = "the quick brown fox jumps over lazy dogs while models answer questions about data".split()


def uid(n, kind):
    return "%08x-0000-4000-8%03x-%012x" % (n, kind, n)


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    n, prefix = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    t0 = 1700000000
    with open(prefix + ".ndjson", "w") as nd, open(prefix + ".sql", "w") as sql:
        sql.write("BEGIN;\n")
        for i in range(n):
            trace = i // 10
            cid, tid = uid(i, 1), uid(trace, 2)
            parent = None if i % 10 == 0 else uid(trace * 10, 1)
            op = OPS[i % len(OPS)]
            started = "%s.%06dZ" % (__import__("time").strftime("%Y-%m-%dT%H:%M:%S", __import__("time").gmtime(t0 + i)), i % 1000000)
            ended = started.replace("Z", "").rsplit(".", 1)[0] + ".999999Z"
            inputs = {"prompt": text(rng, 25), "temperature": 0.7, "n": i % 100}
            if i == n // 2:
                inputs["prompt"] += " needle-in-haystack"
            output = {"text": text(rng, 25), "tokens": rng.randint(10, 500)}
            start = {"project_id": "bench/p", "id": cid, "trace_id": tid, "op_name": op, "started_at": started,
                     "attributes": {"env": "ci"}, "inputs": inputs}
            if parent:
                start["parent_id"] = parent
            end = {"project_id": "bench/p", "id": cid, "ended_at": ended, "summary": {"usage": {"tokens": output["tokens"]}},
                   "output": output}
            nd.write(json.dumps({"mode": "start", "req": {"start": start}}) + "\n")
            nd.write(json.dumps({"mode": "end", "req": {"end": end}}) + "\n")
            q = lambda v: "NULL" if v is None else "'" + str(v).replace("'", "''") + "'"
            sql.write("INSERT INTO calls VALUES (%s,'bench/p',%s,%s,%s,%s,%s,%s,%s,%s,%s);\n" % (
                q(cid), q(tid), q(parent), q(op), q(started), q(ended), q(json.dumps(start["attributes"])),
                q(json.dumps(inputs)), q(json.dumps(output)), q(json.dumps(end["summary"]))))
        sql.write("COMMIT;\n")
    with open(prefix + ".ids", "w") as f:
        f.write("%s %s %s %s\n" % (uid((n // 2) // 10, 2), uid(((n // 2) // 10) * 10, 1), uid(n // 2, 1), OPS[3]))


if __name__ == "__main__":
    main()
