#!/usr/bin/env python3
"""weft's benchmarks, each beside a baseline measured in the same run on the
same data: sqlite3 (Debian's CLI) with the same rows and indexes, raw LMDB
puts of the same bytes (bench/lmdb_puts.cc), and the process floor
(/bin/true, and weft answering from an empty store).

usage: bench/run.py [--calls N] [--build build] [--dir DIR] [--runs 21]
Prints a markdown report (medians) on stdout. Needs python3, sqlite3 and
hyperfine (Debian packages); the data is SDK-shaped (UUIDv7 ids), with a
second import on random (v4) ids.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = """
CREATE TABLE calls(id TEXT PRIMARY KEY, project_id TEXT, trace_id TEXT, parent_id TEXT, op_name TEXT,
                   started_at TEXT, ended_at TEXT, attributes TEXT, inputs TEXT, output TEXT, summary TEXT,
                   status TEXT, latency_ms INTEGER, wb_user_id TEXT, thread_id TEXT, display_name TEXT,
                   exception TEXT);
CREATE INDEX calls_trace ON calls(project_id, trace_id, started_at);
CREATE INDEX calls_parent ON calls(project_id, parent_id, started_at);
CREATE INDEX calls_op ON calls(project_id, op_name, started_at);
CREATE INDEX calls_start ON calls(project_id, started_at);
CREATE INDEX calls_status ON calls(project_id, status, started_at);
CREATE INDEX calls_user ON calls(project_id, wb_user_id, started_at);
CREATE INDEX calls_thread ON calls(project_id, thread_id, started_at);
CREATE INDEX calls_name ON calls(project_id, display_name, started_at);
CREATE INDEX calls_end ON calls(project_id, ended_at);
CREATE INDEX calls_latency ON calls(project_id, latency_ms);
"""
CONTAINS = '{"$contains": {"input": {"$getField": "inputs.prompt"}, "substr": {"$literal": "needle-in"}}}'


def fresh(*paths):
    for path in paths:
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)


def timed(cmd, stdin=None, env=None):
    """Seconds and peak RSS (MiB) of one run."""
    probe = ("import resource, subprocess, sys, time; f = open(sys.argv[1], 'rb') if sys.argv[1] else None;"
             "t = time.perf_counter(); subprocess.run(sys.argv[2:], stdin=f, stdout=subprocess.DEVNULL, check=True);"
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, stdin or ""] + cmd, capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def hyperfine(commands, runs, env=None):
    """Median seconds of each command (hyperfine -N: no shell in between)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = ["hyperfine", "-N", "--style", "none", "--warmup", "3", "--runs", str(runs), "--export-json", out.name]
        subprocess.run(cmd + commands, check=True, env=env, stdout=subprocess.DEVNULL)
        return [r["median"] for r in json.load(open(out.name))["results"]]


def data_for(work, calls, ids):
    prefix = os.path.join(work, "calls-" + ids)
    if not os.path.exists(prefix + ".ids"):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_calls.py"), str(calls), prefix, "--ids", ids], check=True)
    return prefix


def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def questions(calls, data):
    """The questions issue 25 names: (what, weft's flags, sqlite3's WHERE and
    ORDER), then a one-hour window as flags and as SQL."""
    _, _, _, op, name, user, thread = open(data + ".ids").read().split()
    mid = 1700000000 + calls // 2  # gen_calls.py: a call a second from here
    since, until = iso(mid), iso(mid + 3600)
    where = "project_id='bench/p'"
    window = "%s AND started_at >= '%s' AND started_at < '%s'" % (where, since, until)
    hour = "--since %s --until %s" % (since, until)
    eq_name = '{"$eq": [{"$getField": "display_name"}, {"$literal": "%s"}]}' % name
    asked = [
        ("a one-hour window, first 50", hour + " --limit 50", window + " ORDER BY started_at LIMIT 50"),
        ("status error, first 50", "--status error --limit 50",
         where + " AND status='error' ORDER BY started_at LIMIT 50"),
        ("status running, first 50", "--status running --limit 50",
         where + " AND status='running' ORDER BY started_at LIMIT 50"),
        ("op + one-hour window, first 50", "--op-name %s %s --limit 50" % (op, hour),
         window + " AND op_name='%s' ORDER BY started_at LIMIT 50" % op),
        ("top 10 by latency", "--sort summary.weave.latency_ms:desc --limit 10",
         where + " ORDER BY latency_ms DESC LIMIT 10"),
        ("last 10 ended", "--sort ended_at:desc --limit 10", where + " ORDER BY ended_at DESC LIMIT 10"),
        ("trace roots by time, first 50", "--roots --limit 50",
         where + " AND parent_id IS NULL ORDER BY started_at LIMIT 50"),
        ("a display name, first 50", "--filter '%s' --limit 50" % eq_name,
         where + " AND display_name='%s' ORDER BY started_at LIMIT 50" % name),
        ("a user's calls, first 50", "--user %s --limit 50" % user,
         where + " AND wb_user_id='%s' ORDER BY started_at LIMIT 50" % user),
        ("a thread, first 50", "--thread %s --limit 50" % thread,
         where + " AND thread_id='%s' ORDER BY started_at LIMIT 50" % thread),
    ]
    return asked, hour, window


def pages(a, weft, db, env, data, row):
    """The first page of each question, beside sqlite3 with an index on the
    same column, and a one-hour count."""
    asked, hour, window = questions(a.calls, data)
    commands = []
    for _, flags, sql in asked:
        commands += [weft + " calls query " + flags, "sqlite3 " + db + " \"SELECT * FROM calls WHERE " + sql + "\""]
    commands += [weft + " calls query-stats " + hour,
                 "sqlite3 " + db + " \"SELECT count(*) FROM calls WHERE " + window + "\""]
    times = hyperfine(commands, a.runs, env=env)
    for i, (what, _, _) in enumerate(asked):
        row("calls query: %s, %d calls (s)" % (what, a.calls), times[2 * i], times[2 * i + 1],
            "sqlite3, indexed", "<= 0.05 s and <= 2x sqlite3")
    row("query-stats of a one-hour window, %d calls (s)" % a.calls, times[-2], times[-1],
        "sqlite3 count(*), indexed", "<= 0.02 s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--dir", default=None)
    ap.add_argument("--runs", type=int, default=21)
    a = ap.parse_args()
    weft, lmdb_puts, store_puts = (os.path.abspath(os.path.join(a.build, b))
                                   for b in ("weft", "lmdb_puts", "store_puts"))
    work = a.dir or tempfile.mkdtemp(prefix="weft-bench-")
    os.makedirs(work, exist_ok=True)
    store, db, raw, empty = (os.path.join(work, n) for n in ("store", "calls.db", "raw", "none"))
    env = dict(os.environ, WEFT_PROJECT="bench/p", WEFT_STORE=store)
    rows = []

    def row(what, w, base, base_name, target):
        rows.append((what, w, base, base_name, target))

    def import_both(data):
        fresh(store, db, raw)
        os.makedirs(raw)
        subprocess.run(["sqlite3", db], input=SCHEMA, text=True, check=True)
        subprocess.run([weft, "project", "ensure"], env=env, stdout=subprocess.DEVNULL, check=True)
        t_weft, rss = timed([weft, "calls", "import", data + ".ndjson"], env=env)
        t_sql, _ = timed(["sqlite3", db], stdin=data + ".sql")
        t_raw = float(subprocess.run([lmdb_puts, data + ".ndjson", raw], capture_output=True, text=True,
                                     check=True).stdout)
        return t_weft, rss, t_sql, t_raw

    # Imports: random ids first, so that the store measured after is the
    # SDK-shaped one.
    v4 = data_for(work, a.calls, "v4")
    t_weft, _, t_sql, t_raw = import_both(v4)
    row("import %d calls, random v4 ids (calls/s)" % a.calls, a.calls / t_weft, a.calls / t_sql,
        "sqlite3 bulk insert", "(reported)")
    v7 = data_for(work, a.calls, "v7")
    t_weft, rss, t_sql, t_raw = import_both(v7)
    row("import %d calls, SDK-shaped v7 ids (calls/s)" % a.calls, a.calls / t_weft, a.calls / t_sql,
        "sqlite3 bulk insert", ">= 100k/s and >= 2x sqlite3")
    row("the same import (calls/s)", a.calls / t_weft, a.calls / t_raw, "raw LMDB puts, one txn", ">= 0.7x")
    # The ceiling of any importer of weft's format: its entries put in key
    # order with nothing to parse (bench/store_puts.cc).
    fresh(raw)
    os.makedirs(raw)
    t_entries = float(subprocess.run([store_puts, store, raw], capture_output=True, text=True,
                                     check=True).stdout.split()[0])
    row("raw LMDB puts of weft's own entries for them, key order (calls/s)", a.calls / t_entries,
        a.calls / t_raw, "raw LMDB puts, one txn", "(the best any importer of format 4 can do)")
    row("the same import, peak RSS (MiB)", rss, None, "", "<= 256 MiB")

    # Each run a new call (weft makes a UUIDv7 id, sqlite3 a random one),
    # into the million-call store and database, and into new ones.
    small_store, small_db = os.path.join(work, "small-store"), os.path.join(work, "small.db")
    fresh(small_store, small_db)
    subprocess.run(["sqlite3", small_db], input=SCHEMA, text=True, check=True)
    subprocess.run([weft, "--store", small_store, "project", "ensure"], env=env, stdout=subprocess.DEVNULL, check=True)
    for where, w_store, s_db in (("%d calls" % a.calls, store, db), ("a new store", small_store, small_db)):
        start, insert = hyperfine(
            [weft + " --store " + w_store + " call start --op bench",
             "sqlite3 " + s_db + " \"INSERT INTO calls(id, project_id, op_name, started_at) "
             "VALUES (lower(hex(randomblob(16))), 'bench/p', 'bench', '2024-01-01')\""], a.runs, env=env)
        row("one `call start` process, durable, %s (s)" % where, start, insert, "one sqlite3 INSERT process",
            "<= 0.5x sqlite3")

    trace, parent, call, op = open(v7 + ".ids").read().split()[:4]
    lookups = [("trace id", "--trace-id", trace), ("parent id", "--parent", parent), ("call id", "--id", call),
               ("op name", "--op-name", op)]
    times = hyperfine(["/bin/true", weft + " --store " + empty + " calls query-stats", weft + " --version",
                       weft + " --store " + small_store + " calls query-stats"] +
                      ["%s calls query %s %s --limit 10" % (weft, flag, value) for _, flag, value in lookups],
                      a.runs, env=env)
    true_floor, floor, version, opened = times[:4]
    for (name, _, _), t in zip(lookups, times[4:]):
        row("calls query by %s, --limit 10 (s)" % name, t, floor, "weft's floor", "<= 1.2x weft's floor")
    row("process floor: query-stats where no store is yet (s)", floor, true_floor, "/bin/true", "<= 1.3x")
    row("query-stats on a new, empty store (s)", opened, true_floor, "/bin/true", "")
    row("weft --version (s)", version, true_floor, "/bin/true", "")

    w, s = hyperfine([weft + " calls query-stats --filter '" + CONTAINS + "'",
                      "sqlite3 " + db + " \"SELECT count(*) FROM calls WHERE project_id='bench/p' AND "
                      "json_extract(inputs, '$.prompt') LIKE '%needle-in%'\""], 5, env=env)
    row("$contains on an input, %d calls (s)" % a.calls, w, s, "sqlite3 json_extract LIKE", "<= 0.4x sqlite3")

    pages(a, weft, db, env, v7, row)

    _, rss = timed([weft, "--store", store, "--project", "bench/p", "calls", "query-stream"])
    row("query-stream of all calls, peak RSS (MiB)", rss, None, "", "<= 64 MiB")

    row("store size per call (bytes)", os.path.getsize(os.path.join(store, "data.mdb")) / a.calls,
        os.path.getsize(db) / a.calls, "sqlite3 file", "<= sqlite3")

    print("| measure | weft | baseline | ratio | baseline is | target |")
    print("|---|---|---|---|---|---|")
    for what, w, base, name, target in rows:
        fmt = (lambda v: "%.4f" % v) if what.endswith("(s)") else (lambda v: "{:,.0f}".format(v))
        ratio = "%.2fx" % (w / base) if base else ""
        print("| %s | %s | %s | %s | %s | %s |" % (what, fmt(w), fmt(base) if base else "", ratio, name, target))


if __name__ == "__main__":
    main()
