#!/usr/bin/env python3
"""Writes N realistic calls for the benchmarks: traces of 10 nested calls
over 8 ops, inputs and outputs of a few hundred bytes, latencies of up to
5 s, one call in 50 failed and one in 997 still running, 20 users, a
display name on each root, and a thread of 5 traces for every other trace. Ids are shaped as
the SDKs make them (UUIDv7: the start time's milliseconds, random bits
below) unless --ids says v4 (random) or seq (sequential: the best case for
B-tree appends, and not what users send).

usage: gen_calls.py N OUT_PREFIX [--ids v7|v4|seq] [--no-sql]
  OUT_PREFIX.ndjson  start and end items for `weft calls import`
  OUT_PREFIX.sql     the same rows for sqlite3 (one transaction; /dev/null with --no-sql)
  OUT_PREFIX.ids     one line: a trace id, a parent id, a call id, an op name,
                     a display name, a user and a thread of the middle call
"""
import json
import random
import sys
import time

OPS = ["llm.generate", "retrieve", "rerank", "embed", "tool.search", "tool.calc", "judge", "format"]
WORDS = "the quick brown fox jumps over lazy dogs while models answer questions about data".split()


def id_maker(kind, rng):
    """A function of (n, ms) answering the n-th id of its sort."""
    def fmt(hi, lo):
        h = "%016x%016x" % (hi, lo)
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
    if kind == "v7":
        def v7(n, ms):
            r = rng.getrandbits(74)
            return fmt((ms << 16) | (0x7 << 12) | (r >> 62), (0b10 << 62) | (r & ((1 << 62) - 1)))
        return v7
    if kind == "v4":
        return lambda n, ms: fmt((rng.getrandbits(64) & ~(0xF << 12)) | (0x4 << 12),
                                 (rng.getrandbits(64) & ~(0b11 << 62)) | (0b10 << 62))
    return lambda n, ms: "%08x-0000-4000-8000-%012x" % (n, n)


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    n, prefix = int(sys.argv[1]), sys.argv[2]
    kind = sys.argv[sys.argv.index("--ids") + 1] if "--ids" in sys.argv else "v7"
    rng = random.Random(42)
    make_id = id_maker(kind, random.Random(7))
    t0 = 1700000000
    probe = None
    with open(prefix + ".ndjson", "w") as nd, open("/dev/null" if "--no-sql" in sys.argv else prefix + ".sql", "w") as sql:
        sql.write("BEGIN;\n")
        for i in range(n):
            ms = (t0 + i) * 1000 + i % 1000
            cid = make_id(2 * i, ms)
            if i % 10 == 0:
                tid, root = make_id(2 * i + 1, ms), cid
            parent = None if i % 10 == 0 else root
            op = OPS[i % len(OPS)]
            started_s = t0 + i
            started = "%s.%06dZ" % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(started_s)), i % 1000000)
            latency_us = (i * 7919) % 5000000 + 1
            end_us = started_s * 1000000 + i % 1000000 + latency_us
            ended = "%s.%06dZ" % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(end_us // 1000000)), end_us % 1000000)
            inputs = {"prompt": text(rng, 25), "temperature": 0.7, "n": i % 100}
            if i == n // 2:
                inputs["prompt"] += " needle-in-haystack"
            output = {"text": text(rng, 25), "tokens": rng.randint(10, 500)}
            user, thread = "user%d" % (i // 10 % 20), "thread-%d" % (i // 100) if i // 10 % 2 == 0 else None
            name = "run-%d" % (i // 10 % 5000) if parent is None else None
            start = {"project_id": "bench/p", "id": cid, "trace_id": tid, "op_name": op, "started_at": started,
                     "attributes": {"env": "ci"}, "inputs": inputs, "wb_user_id": user}
            if parent:
                start["parent_id"] = parent
            if thread:
                start["thread_id"] = thread
            if name:
                start["display_name"] = name
            running, failed = i % 997 == 500, i % 50 == 7
            end = {"project_id": "bench/p", "id": cid, "ended_at": ended, "summary": {"usage": {"tokens": output["tokens"]}},
                   "output": output}
            if failed:
                end["exception"] = "ValueError: no answer"
            if i == n // 2:
                probe = (tid, root, cid, op, "run-%d" % (i // 10 % 5000), user, thread or "thread-%d" % ((i - 10) // 100))
            nd.write(json.dumps({"mode": "start", "req": {"start": start}}) + "\n")
            if not running:
                nd.write(json.dumps({"mode": "end", "req": {"end": end}}) + "\n")
            status = "running" if running else "error" if failed else "success"
            q = lambda v: "NULL" if v is None else "'" + str(v).replace("'", "''") + "'"
            sql.write("INSERT INTO calls VALUES (%s,'bench/p',%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s);\n" % (
                q(cid), q(tid), q(parent), q(op), q(started), q(None if running else ended), q(json.dumps(start["attributes"])),
                q(json.dumps(inputs)), q(None if running else json.dumps(output)), q(json.dumps(end["summary"])),
                q(status), "NULL" if running else str(latency_us // 1000), q(user), q(thread), q(name),
                q(end.get("exception"))))
        sql.write("COMMIT;\n")
    with open(prefix + ".ids", "w") as f:
        f.write(" ".join(probe) + "\n")


if __name__ == "__main__":
    main()
