#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into DIR/<target>/: requests,
queries, JSON values and refs from the shared conformance examples (when
../shared/conformance is beside the repository), a few of weft's own, and
every input that once crashed a target (tests/fuzz/regressions/<target>/),
so that each run replays them first."""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "..", "shared", "conformance", "examples.json")


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


def main():
    out = sys.argv[1]
    seeds = {t: set() for t in ("json", "refs", "record", "query", "request")}
    steps = []
    if os.path.exists(EXAMPLES):
        for scenario in json.load(open(EXAMPLES)):
            steps += [(s["method"], s["req"]) for s in scenario["steps"] if "req" in s]
    steps += [("calls_query", {"project_id": "f/z", "query": {"$expr": {"$and": [
        {"$contains": {"input": {"$getField": "inputs.x"}, "substr": {"$literal": "y"}, "case_insensitive": True}},
        {"$gt": [{"$convert": {"input": {"$getField": "summary.weave.latency_ms"}, "to": "double"}}, {"$literal": 1}]}]}}})]
    for method, req in steps:
        text = json.dumps(req).encode()
        seeds["json"].add(text)
        seeds["request"].add(method.encode() + b"\n" + text)
        if isinstance(req, dict) and "query" in req:
            seeds["query"].add(json.dumps(req["query"]).encode())
        for s in strings(req):
            if s.startswith("weave:///"):
                seeds["refs"].add(s.encode())
    seeds["refs"].add(b"weave:///e/p/object/o:abc/attr/rows/index/0/key/x")
    seeds["record"].add(b"\x01\x00" + b"\x00" * 24)
    for target in seeds:
        folder = os.path.join(HERE, "regressions", target)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            seeds[target].add(open(os.path.join(folder, name), "rb").read())
    for target, items in seeds.items():
        os.makedirs(os.path.join(out, target), exist_ok=True)
        for item in items:
            with open(os.path.join(out, target, hashlib.sha1(item).hexdigest()), "wb") as f:
                f.write(item)


if __name__ == "__main__":
    main()
