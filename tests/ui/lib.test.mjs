// Unit tests of the viewer's pure functions (http/ui/lib.mjs), with node's
// own test runner: node --test tests/ui/
import assert from "node:assert/strict";
import test from "node:test";

import {
  buildTree, callName, callsRequest, capturedLogs, durationMs, feedbackGroups, flatten, formatCost, formatLatency, formatTokens, opName, parseRef,
  pickColumns, preview, statusOf, textFields, timeBar, traceSpan, traceTotals, usageTotals,
} from "../../http/ui/lib.mjs";

const call = (id, parent, start, end, extra = {}) => ({
  id, parent_id: parent, trace_id: "t", op_name: "weave:///e/p/op/step:abc", started_at: start, ended_at: end,
  inputs: {}, output: null, summary: {}, ...extra,
});

test("latencies read as a person would say them", () => {
  assert.equal(formatLatency(null), "");
  assert.equal(formatLatency(340.4), "340 ms");
  assert.equal(formatLatency(1234), "1.23 s");
  assert.equal(formatLatency(12345), "12.3 s");
  assert.equal(formatLatency(125000), "2 min 5 s");
});

test("status comes from summary.weave, else from the call", () => {
  assert.equal(statusOf({ summary: { weave: { status: "error" } } }), "error");
  assert.equal(statusOf({ exception: "boom" }), "error");
  assert.equal(statusOf({ ended_at: "x" }), "success");
  assert.equal(statusOf({}), "running");
});

test("names: the display name, else the op's name out of its ref", () => {
  assert.equal(callName({ display_name: "mine", op_name: "x" }), "mine");
  assert.equal(callName({ op_name: "weave:///e/p/op/my%20op:abc" }), "my op");
  assert.equal(opName("plain"), "plain");
  // broken percent-encoding in one record is shown as it is, never thrown
  assert.equal(opName("weave:///e/p/op/bad%E0%A4%A:abc"), "bad%E0%A4%A");
  assert.equal(parseRef("weave:///e/p/object/x%ZZ:D").name, "x%ZZ");
});

test("previews are one line and cut", () => {
  assert.equal(preview("x\n   y"), "x y");
  assert.equal(preview({ a: 1 }), '{"a":1}');
  assert.equal(preview("a".repeat(100), 10), "aaaaaaaaa…");
  assert.equal(preview(null), "");
});

test("trees nest by parent, in start order, and collapse", () => {
  const calls = [
    call("c2", "r", "2024-01-01T00:00:02Z", "2024-01-01T00:00:03Z"),
    call("r", null, "2024-01-01T00:00:00Z", "2024-01-01T00:00:10Z"),
    call("c1", "r", "2024-01-01T00:00:01Z", "2024-01-01T00:00:02Z"),
    call("g", "c1", "2024-01-01T00:00:01.5Z", null),
    call("orphan", "gone", "2024-01-01T00:00:05Z", null),
  ];
  const roots = buildTree(calls);
  assert.deepEqual(roots.map((n) => n.call.id), ["r", "orphan"]);
  assert.deepEqual(flatten(roots).map((n) => [n.call.id, n.depth]), [["r", 0], ["c1", 1], ["g", 2], ["c2", 1], ["orphan", 0]]);
  assert.deepEqual(flatten(roots, new Set(["c1"])).map((n) => n.call.id), ["r", "c1", "c2", "orphan"]);
  const span = traceSpan(calls);
  assert.deepEqual(timeBar(calls[1], span), { left: 0, width: 100 });
  assert.deepEqual(timeBar(calls[2], span), { left: 10, width: 10 });
});

test("deep trees do not recurse", () => {
  const calls = [call("0", null, "2024-01-01T00:00:00Z", null)];
  for (let i = 1; i < 20000; ++i) calls.push(call(String(i), String(i - 1), "2024-01-01T00:00:00Z", null));
  assert.equal(flatten(buildTree(calls)).length, 20000);
});

test("the calls list request carries the URL's filters", () => {
  assert.deepEqual(callsRequest("e/p", {}, 2, 50), {
    project_id: "e/p", sort_by: [{ field: "started_at", direction: "desc" }], limit: 50, offset: 100 });
  const req = callsRequest("e/p", { op: "step", roots: true, status: "error", q: "needle" }, 0, 50, ["inputs.q"]);
  assert.deepEqual(req.filter, { trace_roots_only: true, op_names: ["weave:///e/p/op/step:*"] });
  const [status, text] = req.query.$expr.$and;
  assert.deepEqual(status, { $eq: [{ $getField: "summary.weave.status" }, { $literal: "error" }] });
  assert.deepEqual(text.$or.map((c) => c.$contains.input.$getField), ["op_name", "display_name", "exception", "output", "inputs.q"]);
  assert.equal(durationMs("2h"), 7200000);
  assert.equal(durationMs("soon"), 0);
});

test("free text looks in the input and output keys seen", () => {
  assert.deepEqual(textFields([{ inputs: { a: 1, b: 2 }, output: { c: 3 } }, { inputs: { a: 4 }, output: "text" }]),
    ["inputs.a", "inputs.b", "output.c"]);
});

test("refs parse into what they name", () => {
  assert.deepEqual(parseRef("weave:///e/p/object/qa:D1/attr/rows"), { project: "e/p", kind: "object", name: "qa", digest: "D1", extra: "/attr/rows" });
  assert.deepEqual(parseRef("weave:///e/p/table/T1"), { project: "e/p", kind: "table", name: "T1", digest: "", extra: "" });
  assert.equal(parseRef("http://x"), null);
});

test("captured output reads as logs, without terminal codes", () => {
  assert.deepEqual(capturedLogs({ stdout_tail: "\x1b[32mok\x1b[0m 3 targets\n", stderr_tail: "", exit_code: 0 }),
                   [["stdout", "ok 3 targets\n"]]);
  assert.deepEqual(capturedLogs({ stderr_tail: "\x1b[1;31merror\x1b[0m: x\x1b[2K" }), [["stderr", "error: x"]]);
  assert.deepEqual(capturedLogs("text"), []);
  assert.deepEqual(capturedLogs(null), []);
});

test("a trace's totals: its calls, its failures and the first error", () => {
  const calls = [call("r", null, "1", "2"), call("a", "r", "2", "3", { exception: "ValueError: first" }),
                 call("b", "r", "3", "4", { exception: "second" }), { ...call("x", null, "1", "2"), trace_id: "u" }];
  assert.deepEqual(traceTotals(calls), { t: { count: 3, errors: 2, error: "ValueError: first" },
                                         u: { count: 1, errors: 0, error: null } });
});

test("usage reads as tokens and cost over every model", () => {
  assert.deepEqual(usageTotals({ "gpt-4o": { total_tokens: 120, prompt_tokens_total_cost: 0.001, completion_tokens_total_cost: 0.002 },
                                 "claude": { total_tokens: 30, prompt_tokens_total_cost: null } }).tokens, 150);
  assert.ok(Math.abs(usageTotals({ m: { prompt_tokens_total_cost: 0.001, completion_tokens_total_cost: 0.002 } }).cost - 0.003) < 1e-12);
  assert.deepEqual(usageTotals(undefined), { tokens: 0, cost: 0 });
  assert.equal(formatTokens(12345), "12,345");
  assert.equal(formatTokens(0), "");
  assert.equal(formatCost(0.0123456), "$0.0123");
  assert.equal(formatCost(12.5), "$12.50");
  assert.equal(formatCost(0), "");
});

test("columns come from the URL when it names known ones", () => {
  assert.deepEqual(pickColumns("cost,nope,name", ["name", "cost", "op"], ["name"]), ["cost", "name"]);
  assert.deepEqual(pickColumns("", ["name"], ["name"]), ["name"]);
  assert.deepEqual(pickColumns("nope", ["name"], ["name"]), ["name"]);
});

test("feedback reads as reactions and notes", () => {
  const fb = [
    { feedback_type: "wandb.reaction.1", payload: { emoji: "👍" }, wb_user_id: "ann" },
    { feedback_type: "wandb.note.1", payload: { note: "flaky" }, wb_user_id: "bob", created_at: "t1" },
    { feedback_type: "wandb.reaction.1", payload: { emoji: "👍" }, wb_user_id: "bob" },
    { feedback_type: "wandb.reaction.1", payload: { emoji: "👀" }, wb_user_id: "ann" },
    { feedback_type: "custom", payload: { score: 1 } },
  ];
  const g = feedbackGroups(fb);
  assert.deepEqual(g.reactions, [{ emoji: "👍", count: 2, users: ["ann", "bob"] }, { emoji: "👀", count: 1, users: ["ann"] }]);
  assert.deepEqual(g.notes, [{ note: "flaky", user: "bob", at: "t1" }]);
  assert.equal(g.other.length, 1);
});
