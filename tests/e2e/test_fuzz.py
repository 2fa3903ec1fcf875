#!/usr/bin/env python3
"""End-to-end: requests mutated at random (fields dropped, retyped, nested,
oversized) never crash weft: every answer is exit 0 with one JSON document,
or exit 2/3 with nothing on stdout and one error line."""
import json
import random

from weftlib import WeftTest, main

P = "fuzz/p"
NOW = "2024-01-01T00:00:00Z"
BASES = {
    ("call", "start"): {"start": {"project_id": P, "op_name": "f", "started_at": NOW, "attributes": {}, "inputs": {"a": 1}}},
    ("call", "end"): {"end": {"project_id": P, "id": "c", "ended_at": NOW, "summary": {}, "output": 1}},
    ("call", "read"): {"project_id": P, "id": "c"},
    ("call", "update"): {"project_id": P, "call_id": "c", "display_name": "d"},
    ("calls", "delete"): {"project_id": P, "call_ids": ["c"]},
    ("calls", "query"): {"project_id": P, "filter": {"op_names": ["f"]}, "limit": 5, "sort_by": [{"field": "started_at", "direction": "desc"}],
                         "query": {"$expr": {"$eq": [{"$getField": "inputs.a"}, {"$literal": "1"}]}}},
    ("calls", "query-stats"): {"project_id": P, "query": {"$expr": {"$contains": {"input": {"$getField": "op_name"}, "substr": {"$literal": "f"}}}}},
    ("obj", "create"): {"obj": {"project_id": P, "object_id": "o", "val": {"x": [1, 2.5, "s"]}}},
    ("obj", "read"): {"project_id": P, "object_id": "o", "digest": "latest"},
    ("objs", "query"): {"project_id": P, "filter": {"object_ids": ["o"], "latest_only": True}},
    ("table", "create"): {"table": {"project_id": P, "rows": [{"x": 1}, {"x": 2}]}},
    ("table", "update"): {"project_id": P, "base_digest": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                          "updates": [{"append": {"row": {"x": 3}}}, {"pop": {"index": 0}}]},
    ("table", "query"): {"project_id": P, "digest": "d", "limit": 3, "filter": {"row_digests": ["r"]}},
    ("refs", "read-batch"): {"refs": ["weave:///fuzz/p/object/o:latest/key/x/index/0"]},
    ("feedback", "create"): {"project_id": P, "weave_ref": "weave:///fuzz/p/call/c", "feedback_type": "wandb.reaction.1",
                             "payload": {"emoji": "\U0001F44D"}},
    ("feedback", "query"): {"project_id": P, "fields": ["id", "payload.emoji"], "limit": 2},
    ("feedback", "purge"): {"project_id": P, "query": {"$expr": {"$eq": [{"$getField": "id"}, {"$literal": "x"}]}}},
    ("project", "ensure"): {"entity": "fuzz", "project": "p"},
}
JUNK = [None, True, -1, 2 ** 70, 1.5, "", "x" * 5000, [], {}, [None], {"$literal": 1}, "weave:///", "\u0000", -0.0]


def mutate(rng, value, depth=0):
    """A copy of value with one random change somewhere inside."""
    if isinstance(value, dict) and value and rng.random() < 0.7:
        key = rng.choice(list(value))
        out = dict(value)
        roll = rng.random()
        if roll < 0.25:
            del out[key]
        elif roll < 0.35:
            out["unknown_" + key] = rng.choice(JUNK)
        elif roll < 0.65 or depth > 3:
            out[key] = rng.choice(JUNK)
        else:
            out[key] = mutate(rng, value[key], depth + 1)
        return out
    if isinstance(value, list) and value and rng.random() < 0.7:
        out = list(value)
        i = rng.randrange(len(out))
        out[i] = mutate(rng, out[i], depth + 1) if rng.random() < 0.5 else rng.choice(JUNK)
        return out
    return rng.choice(JUNK)


class FuzzTest(WeftTest):
    def test_mutated_requests_never_crash(self):
        rng = random.Random(20261126)
        for (group, verb), base in BASES.items():
            self.run_weft(group, verb, "--json", json.dumps(base), "--yes") if verb in ("delete", "purge") else \
                self.run_weft(group, verb, "--json", json.dumps(base))
            for _ in range(25):
                req = mutate(rng, base)
                r = self.run_weft(group, verb, "--json", json.dumps(req))
                what = "weft %s %s --json %s" % (group, verb, json.dumps(req)[:300])
                self.assertIn(r.code, (0, 2, 3), what + "\n" + r.err.decode(errors="replace"))
                if r.code == 0:
                    if verb == "query-stream":
                        continue
                    json.loads(r.out)
                else:
                    self.assertEqual(r.out, b"", what)
                    lines = r.err.decode(errors="replace").strip().splitlines()
                    self.assertEqual(len(lines), 1, what)
                    self.assertTrue(lines[0].startswith("weft: error: "), what)


if __name__ == "__main__":
    main()
