// Unit tests of the viewer's line diff (http/ui/diff.mjs), with node's own
// test runner.
import assert from "node:assert/strict";
import test from "node:test";

import { lineDiff, sideBySide, sortedJson } from "../../http/ui/diff.mjs";

const kinds = (d) => d.map((l) => `${l.kind[0]} ${l.text}`);

test("equal texts are all the same", () => {
  assert.deepEqual(kinds(lineDiff("a\nb", "a\nb")), ["s a", "s b"]);
});

test("changed lines are removed then added, common lines kept", () => {
  assert.deepEqual(kinds(lineDiff("a\nb\nc\nd", "a\nx\nc\nd\ne")), ["s a", "r b", "a x", "s c", "s d", "a e"]);
  assert.deepEqual(kinds(lineDiff("x\na\nb", "a\nb")), ["r x", "s a", "s b"]);
  assert.deepEqual(kinds(lineDiff("", "a")), ["r ", "a a"]);
});

test("the longest common run survives a moved block", () => {
  const d = lineDiff("1\n2\n3\n4\n5", "4\n5\n1\n2\n3");
  assert.equal(d.filter((l) => l.kind === "same").length, 3);
});

test("two columns pair removed lines with the added ones that replace them", () => {
  assert.deepEqual(sideBySide(lineDiff("a\nb\nc", "a\nB\nB2\nc")), [
    { left: "a", right: "a", kind: "same" },
    { left: "b", right: "B", kind: "changed" },
    { left: null, right: "B2", kind: "added" },
    { left: "c", right: "c", kind: "same" },
  ]);
});

test("JSON lines up whatever the key order", () => {
  assert.equal(sortedJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }), sortedJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
  assert.equal(sortedJson(undefined), "null");
  assert.deepEqual(kinds(lineDiff(sortedJson({ q: "2+2", a: 4 }), sortedJson({ a: 5, q: "2+2" }))),
    ["s {", "r   \"a\": 4,", "a   \"a\": 5,", "s   \"q\": \"2+2\"", "s }"]);
});

test("huge changes fall back to the whole middle, without a quadratic table", () => {
  const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join("\n");
  const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join("\n");
  const d = lineDiff(a, b);
  assert.equal(d.length, 6000);
  assert.equal(d[0].kind, "removed");
  assert.equal(d[5999].kind, "added");
});
