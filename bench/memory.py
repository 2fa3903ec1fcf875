#!/usr/bin/env python3
"""Peak memory (RSS, as the kernel counts it: heap and the store pages a
process has mapped) of weft's commands on a store of CALLS SDK-shaped
calls (bench/gen_calls.py): calls import, export, import of that export,
the queries and summaries a user runs, a streaming query of every call,
weft check, and weft push into a `weft serve` on a fresh store (both
processes). Issue 25 asks each to stay under 256 MiB at 10M calls.
Too slow for CI at 10M (about 20 minutes and 45 GB of disk).

usage: bench/memory.py [--calls 10000000] [--dir DIR] [--weft build/weft]
Prints a markdown table on stdout.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env):
    """(seconds, peak RSS in MiB) of one command, its output thrown away."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        raise SystemExit("%s failed (%d)" % (" ".join(cmd), status))
    return time.perf_counter() - t, usage.ru_maxrss / 1024


def peak_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def push_into_serve(weft, store, work, env):
    """(seconds, push's peak RSS, serve's peak RSS) of a first push of the store."""
    remote = os.path.join(work, "remote")
    shutil.rmtree(remote, ignore_errors=True)
    server = subprocess.Popen([weft, "--store", remote, "serve", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, env=env)
    url = server.stdout.readline().decode().strip()
    copy = os.path.join(work, "push-copy")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)  # no sync state: the whole store goes
    seconds, push_rss = run([weft, "--store", copy, "push", "--to", url], dict(env, WANDB_BASE_URL=url))
    serve_rss = peak_rss_mib(server.pid)
    server.terminate()
    server.wait()
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(remote, ignore_errors=True)
    return seconds, push_rss, serve_rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=10_000_000)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    work = a.dir or tempfile.mkdtemp(prefix="weft-memory-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "calls")
    if not os.path.exists(data + ".ids"):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_calls.py"), str(a.calls), data, "--no-sql"],
                       check=True)
    env = dict(os.environ, WEFT_PROJECT="bench/p", WANDB_API_KEY="bench")
    store, dump = os.path.join(work, "store"), os.path.join(work, "export.ndjson")
    shutil.rmtree(store, ignore_errors=True)
    w = [weft, "--store", store]
    rows = [("calls import", run(w + ["calls", "import", data + ".ndjson"], env))]
    rows.append(("export to a file", run(w + ["export", "-o", dump], env)))
    imported = os.path.join(work, "imported")
    shutil.rmtree(imported, ignore_errors=True)
    rows.append(("import of that export", run([weft, "--store", imported, "import", dump], env)))
    shutil.rmtree(imported, ignore_errors=True)
    os.remove(dump)
    for what, args in [("calls query-stats, every call", ["calls", "query-stats"]),
                       ("calls query, first 50", ["calls", "query", "--limit", "50"]),
                       ("calls query, top 10 by latency", ["calls", "query", "--sort",
                                                           "summary.weave.latency_ms:desc", "--limit", "10"]),
                       ("calls query-stream, every call", ["calls", "query-stream"]),
                       ("calls stats, by op, every hour", ["calls", "stats", "--by", "op", "--every", "1h"]),
                       ("check", ["check"])]:
        rows.append((what, run(w + args, env)))
    seconds, push_rss, serve_rss = push_into_serve(weft, store, work, env)
    rows.append(("push into weft serve", (seconds, push_rss)))
    rows.append(("weft serve, receiving that push", (seconds, serve_rss)))
    print("| command, %s calls | time (s) | peak RSS (MiB) | under 256 MiB |" % format(a.calls, ","))
    print("|---|---|---|---|")
    for what, (seconds, rss) in rows:
        print("| %s | %.1f | %.0f | %s |" % (what, seconds, rss, "yes" if rss < 256 else "no"))
    print("\nstore: %.0f bytes a call" % (os.path.getsize(os.path.join(store, "data.mdb")) / a.calls))
    if not a.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
