#!/usr/bin/env python3
"""weft serve under load, beside `weft calls import` of the same calls in the
same run: SDK-shaped calls (UUIDv7 ids: time-ordered milliseconds, random
below), posted as call/upsert_batch requests of BATCH calls (a start and an
end each) over 8 keep-alive connections into a durable store. Then, at that
size, the latency of single obj/read and calls/stream_query-by-trace
requests, and the server's peak RSS.

usage: bench/serve_load.py [--calls N] [--batch 500] [--connections 8] [--weft build/weft]
Prints a markdown report on stdout (medians of --runs where repeated).
"""
import argparse
import collections
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
OPS = ["llm.generate", "retrieve", "rerank", "embed", "tool.search", "tool.calc", "judge", "format"]


def uuid7(ms, rng):
    r = rng.getrandbits(74)
    hi = (ms << 16) | (0x7 << 12) | (r >> 62)
    lo = (0b10 << 62) | (r & ((1 << 62) - 1))
    h = "%016x%016x" % (hi, lo)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def make_items(n, rng):
    """Start and end items of n calls in traces of 10 (as the SDKs queue them)."""
    items, t0 = [], 1_700_000_000_000
    trace = root = None
    for i in range(n):
        ms = t0 + i
        cid = uuid7(ms, rng)
        if i % 10 == 0:
            trace, root = uuid7(ms, rng), cid
        at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)
        start = {"project_id": "bench/serve", "id": cid, "trace_id": trace, "parent_id": None if cid == root else root,
                 "op_name": "weave:///bench/serve/op/%s:abc" % OPS[i % len(OPS)], "started_at": at,
                 "attributes": {"weave": {"client_version": "0.11.1"}}, "inputs": {"prompt": "question %d" % i, "n": i},
                 "display_name": None, "wb_user_id": None, "wb_run_id": None}
        end = {"project_id": "bench/serve", "id": cid, "ended_at": at, "output": {"answer": "a" * 64},
               "summary": {"usage": {"m": {"requests": 1, "prompt_tokens": 12}}}, "exception": None}
        items.append({"mode": "start", "req": {"start": start}})
        items.append({"mode": "end", "req": {"end": end}})
    return items


class Server:
    def __init__(self, weft, store):
        self.proc = subprocess.Popen([weft, "--store", store, "serve", "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        url = urllib.parse.urlparse(self.proc.stdout.readline().decode().strip())
        self.host, self.port = url.hostname, url.port

    def conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=600)

    def peak_rss_mib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def post(conn, path, body, headers=None):
    conn.request("POST", path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise RuntimeError("%s answered %d: %s" % (path, r.status, data[:200]))
    return data


def load(server, bodies, connections, path="/call/upsert_batch", headers=None):
    queue = collections.deque(bodies)  # sent oldest first, as SDKs flush their queues
    lock = threading.Lock()

    def worker():
        c = server.conn()
        while True:
            with lock:
                if not queue:
                    break
                body = queue.popleft()
            post(c, path, body, headers)
        c.close()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t


def latencies_ms(server, path, bodies, headers=None):
    c = server.conn()
    out = []
    for body in bodies:
        t = time.perf_counter()
        post(c, path, body, headers)
        out.append((time.perf_counter() - t) * 1000)
    c.close()
    out.sort()
    return out[len(out) // 2], out[min(len(out) - 1, int(len(out) * 0.99))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    ap.add_argument("--dir", default=None)
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    work = a.dir or tempfile.mkdtemp(prefix="weft-serve-bench-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(7)
    items = make_items(a.calls, rng)
    per = 2 * a.batch
    bodies = [json.dumps({"batch": items[i:i + per]}).encode() for i in range(0, len(items), per)]
    ndjson = os.path.join(work, "calls.ndjson")
    with open(ndjson, "w") as f:
        for item in items:
            f.write(json.dumps(item) + "\n")
    mb = sum(len(b) for b in bodies) / 1e6

    store_import, store = os.path.join(work, "import"), os.path.join(work, "serve")
    for old in (store_import, store):  # a --dir used before holds the last run's stores
        shutil.rmtree(old, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run([weft, "--store", store_import, "calls", "import", ndjson], check=True, stdout=subprocess.DEVNULL)
    import_s = time.perf_counter() - t

    server = Server(weft, store)
    serve_s = load(server, bodies, a.connections)
    c = server.conn()
    obj = {"obj": {"project_id": "bench/serve", "object_id": "model", "val": {"lr": 0.1, "layers": list(range(20))}}}
    digest = json.loads(post(c, "/obj/create", json.dumps(obj).encode()))["digest"]
    c.close()
    read = json.dumps({"project_id": "bench/serve", "object_id": "model", "digest": digest}).encode()
    traces = [items[2 * 10 * k]["req"]["start"]["trace_id"] for k in rng.sample(range(a.calls // 10), 200)]
    streams = [json.dumps({"project_id": "bench/serve", "filter": {"trace_ids": [t]}}).encode() for t in traces]
    obj_p50, obj_p99 = latencies_ms(server, "/obj/read", [read] * 500)
    st_p50, st_p99 = latencies_ms(server, "/calls/stream_query", streams)
    rss = server.peak_rss_mib()
    server.stop()
    count = json.loads(subprocess.run([weft, "--store", store, "--project", "bench/serve", "calls", "query-stats"],
                                      capture_output=True, check=True).stdout)["count"]
    if count != a.calls:
        raise SystemExit("the server stored %d calls, not %d" % (count, a.calls))
    serve_rate, import_rate = a.calls / serve_s, a.calls / import_s
    print("| what | figure |\n|---|---|")
    print("| calls | %d (SDK-shaped UUIDv7 ids, %d-call batches, %.0f MB of JSON) |" % (a.calls, a.batch, mb))
    print("| weft serve, %d connections | %.0f calls/s (%.1f s) |" % (a.connections, serve_rate, serve_s))
    print("| weft calls import, same calls | %.0f calls/s (%.1f s) |" % (import_rate, import_s))
    print("| serve / import | %.2fx |" % (serve_rate / import_rate))
    print("| obj/read p50 / p99 | %.2f / %.2f ms |" % (obj_p50, obj_p99))
    print("| calls/stream_query by trace p50 / p99 | %.2f / %.2f ms |" % (st_p50, st_p99))
    print("| server peak RSS after ingest | %.0f MiB |" % rss)
    if not a.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
