#!/usr/bin/env python3
"""OTLP ingest into weft serve, beside `weft calls import` of the same calls
in the same run: SPANS spans in traces of 10 with GenAI attributes
(gen_ai.* prompt, completion, model and usage), posted as OTLP/HTTP
protobuf requests of BATCH spans over 8 keep-alive connections into a
durable store. The baseline: the calls the server stored, exported and
imported again with `weft calls import` as upsert items. Then the latency
of single BATCH-span requests into that store.

usage: bench/otlp_load.py [--spans N] [--batch 500] [--connections 8] [--weft build/weft]
Prints a markdown report on stdout.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
import otlp_lib as o  # noqa: E402
from serve_load import Server, latencies_ms, load  # noqa: E402

MODELS = ["gpt-4o", "gpt-4o-mini", "claude-sonnet", "llama-3"]


def spans(n, rng, t0=1_700_000_000_000_000_000):
    out, trace, root = [], None, None
    for i in range(n):
        sid = "%016x" % rng.getrandbits(64)
        if i % 10 == 0:
            trace, root = "%032x" % rng.getrandbits(128), sid
        attrs = o.attrs(gen_ai__system="openai", gen_ai__request__model=MODELS[i % 4], gen_ai__operation__name="chat",
                        gen_ai__prompt__0__role="user", gen_ai__prompt__0__content="question %d about the data" % i,
                        gen_ai__completion__0__role="assistant", gen_ai__completion__0__content="a" * 64,
                        gen_ai__usage__input_tokens=12 + i % 50, gen_ai__usage__output_tokens=30 + i % 20)
        out.append(o.span(trace, sid, "chat %s" % MODELS[i % 4] if sid != root else "agent.run",
                          parent=None if sid == root else root, attributes=attrs, start=t0 + i * 1_000_000, ms=5))
    return out


def upsert_items(export_path, ndjson_path):
    """The calls of a weft export as call_upsert_batch items: a start and an end each."""
    start_keys = ("project_id", "id", "op_name", "trace_id", "parent_id", "started_at", "attributes", "inputs",
                  "display_name", "wb_user_id", "wb_run_id", "thread_id", "turn_id", "otel_dump")
    with open(export_path) as f, open(ndjson_path, "w") as out:
        for line in f:
            rec = json.loads(line)
            if "call" not in rec:
                continue
            c = rec["call"]
            start = {k: c[k] for k in start_keys if c.get(k) is not None}
            summary = {k: v for k, v in c["summary"].items() if k != "weave"}
            end = {"project_id": c["project_id"], "id": c["id"], "ended_at": c["ended_at"], "output": c["output"],
                   "summary": summary, "exception": c["exception"]}
            out.write(json.dumps({"mode": "start", "req": {"start": start}}) + "\n")
            out.write(json.dumps({"mode": "end", "req": {"end": end}}) + "\n")


def ceiling(layouts, work, spans, batch, record, flags):
    """bench/span_layouts' spans/s over all spans and over the last tenth."""
    store = os.path.join(work, "layout")
    shutil.rmtree(store, ignore_errors=True)
    os.makedirs(store)
    out = subprocess.run([layouts, flags[0], str(spans), str(batch), str(record), store] + flags[1:],
                         capture_output=True, text=True, check=True).stdout
    shutil.rmtree(store)
    return tuple(float(x) for x in out.split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spans", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--weft", default=os.path.join(HERE, "..", "build", "weft"))
    a = ap.parse_args()
    weft = os.path.abspath(a.weft)
    layouts = os.path.join(os.path.dirname(weft), "span_layouts")
    work = tempfile.mkdtemp(prefix="weft-otlp-bench-")
    rng = random.Random(11)
    all_spans = spans(a.spans, rng)
    resource = o.attrs(**{"service.name": "bench", "wandb.entity": "bench", "wandb.project": "otlp"})
    bodies = [o.to_protobuf(o.request(all_spans[i:i + a.batch], resource=resource))
              for i in range(0, len(all_spans), a.batch)]
    mb = sum(len(b) for b in bodies) / 1e6
    headers = {"Content-Type": "application/x-protobuf"}

    store = os.path.join(work, "serve")
    server = Server(weft, store)
    serve_s = load(server, bodies, a.connections, "/otel/v1/traces", headers)
    rss = server.peak_rss_mib()
    server.stop()
    count = json.loads(subprocess.run([weft, "--store", store, "--project", "bench/otlp", "calls", "query-stats"],
                                      capture_output=True, check=True).stdout)["count"]
    if count != a.spans:
        raise SystemExit("the server stored %d calls, not %d" % (count, a.spans))

    export, ndjson = os.path.join(work, "export.ndjson"), os.path.join(work, "items.ndjson")
    subprocess.run([weft, "--store", store, "--project", "bench/otlp", "export", "-o", export], check=True)
    upsert_items(export, ndjson)
    t = time.perf_counter()
    subprocess.run([weft, "--store", os.path.join(work, "import"), "calls", "import", ndjson], check=True,
                   stdout=subprocess.DEVNULL)
    import_s = time.perf_counter() - t

    # One request at a time into the full store (new spans each time).
    extra = spans(100 * a.batch, random.Random(12), t0=1_800_000_000_000_000_000)
    single = [o.to_protobuf(o.request(extra[i:i + a.batch], resource=resource)) for i in range(0, len(extra), a.batch)]
    server = Server(weft, store)
    p50, p99 = latencies_ms(server, "/otel/v1/traces", single, headers)
    server.stop()

    record = os.path.getsize(export) // a.spans
    # A durable commit every 8 x 500 spans: the most one group commit holds
    # with 8 requests in flight.
    ceilings = [(what, ceiling(layouts, work, a.spans, a.connections * a.batch, record, flags))
                for what, flags in (("keyed by id, as weft stores them", ["id"]),
                                    ("keyed by start time, found through an id index", ["time"]),
                                    ("keyed by start time, no query indexes", ["time", "--no-index"]))]

    serve_rate, import_rate = a.spans / serve_s, a.spans / import_s
    print("| what | figure |\n|---|---|")
    print("| spans | %d (10-span traces, GenAI attributes, %d-span protobuf requests, %.0f MB) |" % (a.spans, a.batch, mb))
    print("| OTLP into weft serve, %d connections | %.0f spans/s (%.1f s) |" % (a.connections, serve_rate, serve_s))
    print("| weft calls import, the same calls | %.0f calls/s (%.1f s) |" % (import_rate, import_s))
    print("| OTLP / import | %.2fx |" % (serve_rate / import_rate))
    print("| one %d-span request, p50 / p99 | %.1f / %.1f ms |" % (a.batch, p50, p99))
    print("| server peak RSS during ingest | %.0f MiB |" % rss)
    for what, (rate, last) in ceilings:
        print("| raw LMDB, %d-byte records %s: all / last tenth | %.0f / %.0f spans/s |" % (record, what, rate, last))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
