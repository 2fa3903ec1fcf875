#!/usr/bin/env python3
"""What the pages of `weft ui` cost on a big store, timed from a client on
this machine as the page sends its requests (in parallel where the page
does), medians of --runs:
  traces  the start page: the 50 newest root calls (calls/stream_query),
          then together their usage and cost (calls/usage) and the calls
          of their traces (calls/stream_query), docs/ui.md
  charts  the oldest call (the time range), then one weft/calls/summary
          request with three groupings (per time bucket, per op, per model)
with, measured in the same run, the old start page (the 50 newest calls),
the pager's count of every call (calls/query_stats) and the charts with
buckets shorter than an hour, which read every call, as baselines.
Give it a store and its project, or --calls N to build one of N SDK-shaped
calls (bench/gen_calls.py) in a temporary folder.

usage: bench/ui_pages.py (STORE PROJECT | --calls N) [--runs 11] [--weft build/weft]
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


class Client:
    """One keep-alive connection to the viewer's server."""

    def __init__(self, url):
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)

    def post(self, path, body):
        self.conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        r = self.conn.getresponse()
        data = r.read()
        assert r.status == 200, (path, data[:300])
        return data


def lines(data):
    return [json.loads(l) for l in data.splitlines() if l.strip()]


def traces_page(clients, project):
    newest = {"project_id": project, "filter": {"trace_roots_only": True}, "limit": 50, "offset": 0,
              "sort_by": [{"field": "started_at", "direction": "desc"}]}
    roots = lines(clients[0].post("/calls/stream_query", newest))
    usage = {"project_id": project, "call_ids": [c["id"] for c in roots], "include_costs": True}
    traces = {"project_id": project, "filter": {"trace_ids": [c["trace_id"] for c in roots]},
              "columns": ["id", "exception"], "sort_by": [{"field": "started_at", "direction": "asc"}]}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda job: job[0].post(*job[1:]),
                      [(clients[0], "/calls/usage", usage), (clients[1], "/calls/stream_query", traces)]))
    return len(roots)


def charts_page(clients, project, every="1w"):
    oldest = {"project_id": project, "limit": 1, "columns": ["id"], "sort_by": [{"field": "started_at", "direction": "asc"}]}
    clients[0].post("/calls/stream_query", oldest)
    clients[0].post("/weft/calls/summary", {"project_id": project,
                                            "groupings": [{"every": every}, {"by": "op"}, {"by": "model"}]})


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def build_store(weft, n, folder):
    prefix = os.path.join(folder, "calls")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_calls.py"), str(n), prefix], check=True)
    store = os.path.join(folder, "store")
    subprocess.run([weft, "--store", store, "calls", "import", prefix + ".ndjson"], check=True,
                   stdout=subprocess.DEVNULL)
    return store, "bench/p"


def measure(weft, store, project, runs):
    server = subprocess.Popen([weft, "--store", store, "ui", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        url = urllib.parse.urlparse(server.stdout.readline().decode().strip())
        clients = [Client(url) for _ in range(3)]
        count = json.loads(clients[0].post("/calls/query_stats", {"project_id": project}))["count"]
        old = {"project_id": project, "limit": 50, "sort_by": [{"field": "started_at", "direction": "desc"}]}
        rows = [
            ("the old start page: the 50 newest calls (baseline)", timed(lambda: clients[0].post("/calls/stream_query", old), runs), ""),
            ("the traces page: 50 newest traces with calls, tokens, cost, first error", timed(lambda: traces_page(clients, project), runs), "< 50 ms"),
            ("the pager's count of every call (calls/query_stats; baseline)", timed(lambda: clients[0].post("/calls/query_stats", {"project_id": project}), runs), ""),
            ("the charts page: 3 groupings of every call (whole hours from the per-hour roll-ups)", timed(lambda: charts_page(clients, project), max(3, runs // 3)), "< 500 ms"),
            ("the same with 30-minute buckets, read from every call (baseline)", timed(lambda: charts_page(clients, project, "30m"), 3), ""),
        ]
        print("weft ui on %s calls, medians" % format(count, ","))
        print("| page | median | target |\n|---|---|---|")
        for name, ms, target in rows:
            print("| %s | %.1f ms | %s |" % (name, ms, target))
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store", nargs="?")
    ap.add_argument("project", nargs="?")
    ap.add_argument("--calls", type=int)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    if a.calls:
        with tempfile.TemporaryDirectory() as folder:
            measure(weft, *build_store(weft, a.calls, folder), a.runs)
    else:
        measure(weft, a.store, a.project, a.runs)


if __name__ == "__main__":
    main()
