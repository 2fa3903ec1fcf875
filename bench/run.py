#!/usr/bin/env python3
"""weft's benchmarks, each beside a baseline measured in the same run on the
same data: sqlite3 (Debian's CLI) with the same rows and indexes, and the
process floor (/bin/true, and weft answering from an empty store).

usage: bench/run.py [--calls N] [--weft build/weft] [--dir DIR]
Prints a markdown report (medians) on stdout. Needs python3 and sqlite3.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = """
CREATE TABLE calls(id TEXT PRIMARY KEY, project_id TEXT, trace_id TEXT, parent_id TEXT, op_name TEXT,
                   started_at TEXT, ended_at TEXT, attributes TEXT, inputs TEXT, output TEXT, summary TEXT);
CREATE INDEX calls_trace ON calls(project_id, trace_id, started_at);
CREATE INDEX calls_parent ON calls(project_id, parent_id, started_at);
CREATE INDEX calls_op ON calls(project_id, op_name, started_at);
CREATE INDEX calls_start ON calls(project_id, started_at);
"""
CONTAINS = '{"$contains": {"input": {"$getField": "inputs.prompt"}, "substr": {"$literal": "needle-in"}}}'


def timed(cmd, stdin=None, env=None):
    f = open(stdin, "rb") if stdin else subprocess.DEVNULL
    t = time.perf_counter()
    subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, check=True, env=env)
    t = time.perf_counter() - t
    if stdin:
        f.close()
    return t


def median(cmd, runs, env=None):
    return statistics.median(timed(cmd, env=env) for _ in range(runs))


def peak_rss_mib(cmd):
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True);"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe] + cmd, capture_output=True, text=True, check=True).stdout
    return int(out) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    ap.add_argument("--dir", default=None)
    ap.add_argument("--runs", type=int, default=21)
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    work = a.dir or tempfile.mkdtemp(prefix="weft-bench-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "calls")
    store, db, empty = os.path.join(work, "store"), os.path.join(work, "calls.db"), os.path.join(work, "none")
    env = dict(os.environ, WEFT_PROJECT="bench/p", WEFT_STORE=store)
    if not os.path.exists(data + ".ids"):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_calls.py"), str(a.calls), data], check=True)
    trace, parent, call, op = open(data + ".ids").read().split()
    for path in (store, db):
        shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else os.path.exists(path) and os.remove(path)
    subprocess.run(["sqlite3", db], input=SCHEMA, text=True, check=True)
    subprocess.run([weft, "project", "ensure"], env=env, stdout=subprocess.DEVNULL, check=True)

    rows = []
    def row(what, w, base, base_name, target):
        rows.append((what, w, base, base_name, target))

    t_weft = timed([weft, "calls", "import", data + ".ndjson"], env=env)
    t_sql = timed(["sqlite3", db], stdin=data + ".sql")
    row("import %d calls (calls/s)" % a.calls, a.calls / t_weft, a.calls / t_sql, "sqlite3 bulk insert",
        ">= 100k/s and >= 2x sqlite3")

    n = [0]
    def start():
        n[0] += 1
        return [weft, "call", "start", "--op", "bench", "--id", "bench-%d" % n[0]]
    def insert():
        n[0] += 1
        return ["sqlite3", db, "INSERT INTO calls(id, project_id, op_name, started_at) VALUES ('b%d', 'bench/p', 'bench', '2024-01-01')" % n[0]]
    w = statistics.median(timed(start(), env=env) for _ in range(a.runs))
    s = statistics.median(timed(insert()) for _ in range(a.runs))
    row("one `call start` process, durable (s)", w, s, "one sqlite3 INSERT process", "<= 0.5x sqlite3")

    floor = median([weft, "--store", empty, "calls", "query-stats"], a.runs, env=env)
    true_floor = median(["/bin/true"], a.runs)
    for name, flag, value in (("trace id", "--trace-id", trace), ("parent id", "--parent", parent),
                              ("call id", "--id", call), ("op name", "--op-name", op)):
        cmd = [weft, "calls", "query", flag, value, "--limit", "10"]
        row("calls query by %s (s)" % name, median(cmd, a.runs, env=env), floor, "weft on an empty store",
            "<= 1.2x weft's floor")
    row("process floor (s)", floor, true_floor, "/bin/true", "")

    w = median([weft, "calls", "query-stats", "--filter", CONTAINS], 5, env=env)
    s = median(["sqlite3", db, "SELECT count(*) FROM calls WHERE project_id='bench/p' AND "
                "json_extract(inputs, '$.prompt') LIKE '%needle-in%'"], 5)
    row("$contains on an input, %d calls (s)" % a.calls, w, s, "sqlite3 json_extract LIKE", "<= 0.5x sqlite3")

    rss = peak_rss_mib([weft, "--store", store, "--project", "bench/p", "calls", "query-stream"])
    row("query-stream of all calls, peak RSS (MiB)", rss, None, "", "<= 64 MiB")

    size_w = os.path.getsize(os.path.join(store, "data.mdb")) / a.calls
    size_s = os.path.getsize(db) / a.calls
    row("store size per call (bytes)", size_w, size_s, "sqlite3 file", "<= sqlite3")

    print("| measure | weft | baseline | ratio | baseline is | target |")
    print("|---|---|---|---|---|---|")
    for what, w, base, name, target in rows:
        fmt = (lambda v: "%.0f" % v) if w > 100 else (lambda v: "%.4f" % v)
        ratio = "%.2fx" % (w / base) if base else ""
        print("| %s | %s | %s | %s | %s | %s |" % (what, fmt(w), fmt(base) if base else "", ratio, name, target))


if __name__ == "__main__":
    main()
