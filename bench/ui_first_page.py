#!/usr/bin/env python3
"""What the first page of `weft ui` costs on a big store: the request the
calls list renders from (calls/stream_query of the newest 50 calls), and
the count it fills the pager with afterwards (calls/query_stats), timed
from a client on this machine, medians of --runs. Give it a store (bench/transfer.py --dir DIR leaves one
of 1M calls in DIR/src) and its project.

usage: bench/ui_first_page.py STORE PROJECT [--runs 21] [--weft build/weft]
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("project")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    a = ap.parse_args()
    server = subprocess.Popen([os.path.abspath(a.weft), "--store", a.store, "ui", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        url = urllib.parse.urlparse(server.stdout.readline().decode().strip())
        conn = http.client.HTTPConnection(url.hostname, url.port)
        page = {"project_id": a.project, "sort_by": [{"field": "started_at", "direction": "desc"}], "limit": 50, "offset": 0}
        times = {"/calls/stream_query": [], "/calls/query_stats": []}
        count = 0
        for _ in range(a.runs):
            for path, body in (("/calls/stream_query", page), ("/calls/query_stats", {"project_id": a.project})):
                t = time.perf_counter()
                conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                times[path].append((time.perf_counter() - t) * 1000)
                assert r.status == 200, data[:200]
                if path.endswith("stats"):
                    count = json.loads(data)["count"]
        first, stats = times["/calls/stream_query"], times["/calls/query_stats"]
        p95 = lambda xs: sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]
        print("| weft ui first page: the 50 newest of %s calls (calls/stream_query) | %.1f ms median, %.1f ms p95 | < 200 ms |" % (
            format(count, ","), statistics.median(first), p95(first)))
        print("| then the pager's count (calls/query_stats, all calls) | %.1f ms median, %.1f ms p95 | |" % (
            statistics.median(stats), p95(stats)))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
