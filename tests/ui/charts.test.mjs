// Unit tests of the viewer's charts (http/ui/charts.mjs): scales, buckets
// and the SVG they draw, with node's own test runner.
import assert from "node:assert/strict";
import test from "node:test";

import { bucketFor, bucketMs, fillBuckets, niceMax, rowBars, timeColumns } from "../../http/ui/charts.mjs";

const count = (svg, what) => svg.split(what).length - 1;

test("axes end at 1, 2 or 5 times a power of ten", () => {
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(7), 10);
  assert.equal(niceMax(10), 10);
  assert.equal(niceMax(11), 20);
  assert.equal(niceMax(0.3), 0.5);
  assert.equal(niceMax(4100), 5000);
});

test("buckets keep a range to at most 60 bars", () => {
  assert.equal(bucketFor(30 * 60e3), "1m");
  assert.equal(bucketFor(3 * 3600e3), "5m");
  assert.equal(bucketFor(864e5), "1h");
  assert.equal(bucketFor(7 * 864e5), "6h");
  assert.equal(bucketFor(30 * 864e5), "1d");
  assert.equal(bucketFor(3650 * 864e5), "1w");
  assert.equal(bucketMs("1h"), 36e5);
});

test("empty buckets between the ones with calls are filled in", () => {
  const filled = fillBuckets([{ start: "2026-01-01T02:00:00.000Z", count: 2, errors: 1 },
                              { start: "2026-01-01T00:00:00.000Z", count: 5, errors: 0 }], 36e5);
  assert.deepEqual(filled.map((p) => [p.start, p.count]), [
    ["2026-01-01T00:00:00.000Z", 5], ["2026-01-01T01:00:00.000Z", 0], ["2026-01-01T02:00:00.000Z", 2]]);
  assert.deepEqual(fillBuckets([], 36e5), []);
});

test("calls over time: a column a bucket, errors over it, to scale", () => {
  const svg = timeColumns([{ start: "a", count: 10, errors: 5 }, { start: "b", count: 4, errors: 0 }], { width: 248, height: 120 });
  assert.equal(count(svg, '<rect class="bar"'), 2);
  assert.equal(count(svg, '<rect class="bar error"'), 1);
  assert.match(svg, /<rect class="bar" x="48.0" y="0.0" width="39.0" height="100.0"\/>/);  // 10 of 10 fills the plot
  assert.match(svg, /<rect class="bar error" x="48.0" y="50.0" width="39.0" height="50.0"\/>/);
  assert.match(svg, /<rect class="bar" x="88.0" y="60.0" width="39.0" height="40.0"\/>/);
  assert.match(svg, /<title>a: 10 calls, 5 errors<\/title>/);
});

test("bars by row share one scale, and every text is escaped", () => {
  const svg = rowBars([{ label: "<script>", values: [100, 200] }, { label: "b", values: [50, null] }],
    [{ name: "p50" }, { name: "p99", cls: "p99" }], { width: 540, format: (v) => `${v} ms` });
  assert.ok(!svg.includes("<script>"));
  assert.ok(svg.includes("&lt;script&gt;"));
  assert.equal(count(svg, "<rect "), 3);  // the missing p99 draws nothing
  assert.match(svg, /width="200.0" height="7"><title>&lt;script&gt; p99: 200 ms/);  // the largest fills the plot
  assert.match(svg, /width="100.0" height="7"><title>&lt;script&gt; p50/);
  assert.ok(svg.includes(">50 ms / –<"));
});
