#!/usr/bin/env python3
"""weft eval compare: evaluations recorded as Weave's SDK records them
(Evaluation.evaluate with a predict_and_score child per dataset row) lined up
row by row; --fail-on-regression exits 1 when a scorer's mean got worse."""
import json

from weftlib import WeftTest, main

P = "acme/app"
ROW = "weave:///acme/app/object/ds:d1/attr/rows/id/%s"


def evaluation(eval_id, model, rows, t0):
    """Import items of one evaluation: rows are (row digest, correct, sim)."""
    def call(id_, op, parent, inputs, output, t, exception=None):
        start = {"project_id": P, "id": id_, "trace_id": eval_id, "op_name": op,
                 "started_at": "2026-12-01T00:00:%02dZ" % t, "attributes": {}, "inputs": inputs}
        if parent:
            start["parent_id"] = parent
        end = {"project_id": P, "id": id_, "ended_at": "2026-12-01T00:00:%02d.5Z" % t,
               "output": output, "summary": {}}
        if exception:
            end["exception"] = exception
        return [{"mode": "start", "req": {"start": start}}, {"mode": "end", "req": {"end": end}}]
    items = call(eval_id, "weave:///acme/app/op/Evaluation.evaluate:abc", None,
                 {"self": "weave:///acme/app/object/qa:e1", "model": "weave:///acme/app/object/%s:m1" % model},
                 {"exact": {"correct": {"true_fraction": 0.5}}}, t0)
    for i, (row, correct, sim) in enumerate(rows):
        items += call("%s-%d" % (eval_id, i), "weave:///acme/app/op/Evaluation.predict_and_score:def",
                      eval_id, {"example": ROW % row, "model": "weave:///acme/app/object/%s:m1" % model},
                      {"output": "answer %d" % i, "scores": {"exact": {"correct": correct}, "sim": sim}},
                      t0 + i + 1)
    return items


class EvalCompareTest(WeftTest):
    def setUp(self):
        super().setUp()
        items = evaluation("eval-a", "gpt-small", [("r1", True, 0.9), ("r2", True, 0.8), ("r3", False, 0.5)], 0)
        items += evaluation("eval-b", "gpt-large", [("r1", True, 0.9), ("r2", False, 0.6), ("r3", True, 0.6)], 10)
        self.ok("calls", "import", "-", stdin="\n".join(json.dumps(i) for i in items))

    def test_rows_line_up_and_regressions_come_first(self):
        r = self.okj("--format", "json", "eval", "compare", "eval-a", "eval-b")
        self.assertEqual([e["name"] for e in r["evaluations"]], ["gpt-small", "gpt-large"])
        self.assertEqual([e["rows"] for e in r["evaluations"]], [3, 3])
        sim = r["metrics"]["sim"]
        self.assertAlmostEqual(sim["means"][0], 2.2 / 3)
        self.assertAlmostEqual(sim["means"][1], 2.1 / 3)
        self.assertTrue(sim["regressed"])
        self.assertFalse(r["metrics"]["exact.correct"]["regressed"])  # 2 of 3 both times
        self.assertTrue(r["regressed"])
        first = r["rows"][0]
        self.assertEqual(first["key"], "r2")
        self.assertEqual(sorted(first["regressed"]), ["exact.correct", "sim"])
        self.assertEqual(first["scores"]["exact.correct"], [1.0, 0.0])
        improved = [row for row in r["rows"] if row["key"] == "r3"][0]
        self.assertEqual(sorted(improved["improved"]), ["exact.correct", "sim"])

    def test_the_text_report_and_the_gate(self):
        text = self.ok("eval", "compare", "eval-a", "eval-b").out.decode()
        self.assertIn("gpt-small", text)
        self.assertIn("sim", text)
        self.assertIn("1 rows unchanged", text)
        gate = self.run_weft("eval", "compare", "eval-a", "eval-b", "--fail-on-regression")
        self.assertEqual(gate.code, 1)
        self.assertIn("weft: error: the evaluation regressed: sim", gate.err.decode())
        # The other way round nothing got worse on average but exact.correct: equal.
        self.assertEqual(self.run_weft("eval", "compare", "eval-b", "eval-a", "--fail-on-regression").code, 0)

    def test_bad_ids(self):
        self.fails(3, "no call nope", "eval", "compare", "eval-a", "nope")
        self.fails(2, "not an evaluation", "eval", "compare", "eval-a", "eval-a-0")
        self.fails(2, "evaluations", "eval", "compare", "eval-a")


if __name__ == "__main__":
    main()
