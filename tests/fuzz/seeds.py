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


def http_seeds():
    """Request heads, multipart bodies (node 18's upload among them), chunked
    and gzip bodies."""
    import gzip
    node18 = (b"multipart/form-data; boundary=----formdata-undici-008356344562\n"
              b"------formdata-undici-008356344562\r\nContent-Disposition: form-data; name=\"project_id\"\r\n\r\n"
              b"acme/node18\r\n------formdata-undici-008356344562\r\n"
              b"Content-Disposition: form-data; name=\"file\"; filename=\"blob\"\r\n"
              b"Content-Type: application/octet-stream\r\n\r\nasync function adder(a, b) { return a + b; }\r\n"
              b"------formdata-undici-008356344562--")
    return {
        node18,
        b'multipart/form-data; boundary="a b"\npreamble\r\n--a b  \r\nContent-Disposition: form-data; name=f; '
        b"filename*=UTF-8''%C3%A9.txt\r\n\r\nx\r\n--a b--\r\nepilogue",
        b"POST /call/upsert_batch HTTP/1.1\r\nHost: 127.0.0.1:6345\r\nContent-Length: 2\r\n\r\n{}",
        b"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nOrigin: http://h\r\n\r\n",
        b"5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n",
        b"3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n",
        gzip.compress(b'{"a": 1}'),
    }


def otlp_seeds():
    """OTLP requests, the same spans as protobuf and as JSON."""
    sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
    import otlp_lib as o
    t = "0af7651916cd43dd8448eb211c80319c"
    req = o.request([
        o.span(t, "b7ad6b7169203331", "chat", attributes=o.attrs(
            gen_ai__system="openai", gen_ai__request__model="gpt-4o", gen_ai__prompt__0__role="user",
            gen_ai__prompt__0__content="hi", gen_ai__usage__input_tokens=3, wandb__thread_id="t",
            wandb__is_turn=True, input__value='{"q": [1, 2]}')),
        o.span(t, "1111111111111111", "child", parent="b7ad6b7169203331", error="boom",
               attributes=o.attrs(a=1, a__b=2))], resource=o.attrs(wandb__entity="e", wandb__project="p"))
    return {o.to_protobuf(req), json.dumps(req).encode()}


def main():
    out = sys.argv[1]
    seeds = {t: set() for t in ("json", "refs", "record", "query", "request", "http", "otlp", "junit")}
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
    seeds["record"].add(bytes.fromhex("0101660201b8170201000201000000000000"))  # a call roll-up
    seeds["http"] |= http_seeds()
    seeds["otlp"] |= otlp_seeds()
    junit = os.path.join(HERE, "..", "e2e", "junit")
    for name in os.listdir(junit):
        if name.endswith(".xml"):
            seeds["junit"].add(open(os.path.join(junit, name), "rb").read())
    golden = os.path.join(HERE, "..", "unit", "golden")
    for name in os.listdir(golden):
        if name.endswith(".hex"):  # call records (store.txt is a whole store's dump)
            seeds["record"].add(bytes.fromhex(open(os.path.join(golden, name)).read().strip()))
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
