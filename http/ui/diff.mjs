// weft ui: text compared line by line, for a JSON diff of two calls'
// inputs and outputs and two versions of an object or op side by side.
// Pure functions, checked by node's test runner (tests/ui/diff.test.mjs).

const MAX_CELLS = 4e6;  // past this many line pairs, the changed middle is shown whole

// The lines of two texts aligned: [{kind: "same" | "removed" | "added",
// text}], the longest common subsequence of lines kept as "same".
export function lineDiff(a, b) {
  const x = a.split("\n"), y = b.split("\n");
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) ++start;
  let endX = x.length, endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) --endX, --endY;
  const same = (lines) => lines.map((text) => ({ kind: "same", text }));
  return [...same(x.slice(0, start)), ...middle(x.slice(start, endX), y.slice(start, endY)), ...same(x.slice(endX))];
}

function middle(x, y) {
  const removed = (text) => ({ kind: "removed", text }), added = (text) => ({ kind: "added", text });
  if (x.length * y.length > MAX_CELLS) return [...x.map(removed), ...y.map(added)];
  const w = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * w);  // lcs[i*w+j]: of x[i..] and y[j..]
  for (let i = x.length - 1; i >= 0; --i)
    for (let j = y.length - 1; j >= 0; --j)
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) out.push({ kind: "same", text: x[i++] }), ++j;
    else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) out.push(removed(x[i++]));
    else out.push(added(y[j++]));
  }
  return out;
}

// A line diff as two columns: [{left, right, kind}], a run of removed lines
// beside the added lines that replace it ("changed"); null where a side has
// no line.
export function sideBySide(diff) {
  const rows = [];
  for (let k = 0; k < diff.length;) {
    if (diff[k].kind === "same") { rows.push({ left: diff[k].text, right: diff[k].text, kind: "same" }); ++k; continue; }
    const removed = [], added = [];
    while (k < diff.length && diff[k].kind === "removed") removed.push(diff[k++].text);
    while (k < diff.length && diff[k].kind === "added") added.push(diff[k++].text);
    for (let n = 0; n < Math.max(removed.length, added.length); ++n)
      rows.push({ left: removed[n] ?? null, right: added[n] ?? null,
                  kind: n < removed.length && n < added.length ? "changed" : n < removed.length ? "removed" : "added" });
  }
  return rows;
}

// JSON text with every object's keys sorted, so that two values line up
// whatever order their keys were written in.
export function sortedJson(value) {
  const sort = (v) => (Array.isArray(v) ? v.map(sort) : v && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v);
  return JSON.stringify(sort(value), null, 2) ?? "null";
}
