// weft ui: two traces, or two calls' subtrees, compared (view=compare, a=,
// b=): calls_diff's rows (weft/calls/diff), steps aligned by op path, with
// status flips and latency, token and cost deltas; a row opens the two
// calls' inputs, output and exception side by side, changed lines marked.
import { postJson } from "./api.mjs";
import { diffView, el, go } from "./dom.mjs";
import { sortedJson } from "./diff.mjs";
import { STATUS_SYMBOL, formatCost, formatLatency, formatTokens } from "./lib.mjs";

export async function load(project, p) {
  const diff = await postJson("/weft/calls/diff", { project_id: project, a: p.get("a"), b: p.get("b") });
  const at = Number(p.get("row") ?? -1);
  const row = diff.rows[at];
  const read = async (side) => (side ? (await postJson("/call/read", { project_id: project, id: side.id })).call : null);
  const pair = row ? await Promise.all([read(row.a), read(row.b)]) : null;
  return { diff, at, pair };
}

const TAG = { added: "+", missing: "−", status: "!", same: "" };

// "a → b", and the change when both are numbers.
function change(a, b, format) {
  if (!a) return format(b && b.value);
  if (!b) return format(a.value);
  if (!format(a.value) && !format(b.value)) return "";
  const d = typeof a.value === "number" && typeof b.value === "number" ? b.value - a.value : 0;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "";
  return `${format(a.value) || "–"} → ${format(b.value) || "–"}${d ? ` (${sign}${format(Math.abs(d))})` : ""}`;
}

function stepRow(r, i, selected) {
  const side = (s, key) => s && { value: s[key] };
  const mark = (s) => (s ? el("span", { class: `status ${s.status}`, title: s.status }, STATUS_SYMBOL[s.status] || "?") : "");
  return el("tr", { class: `row change-${r.change}${i === selected ? " selected" : ""}`, tabindex: 0, onclick: () => go({ row: i }, true) },
    el("td", { class: "tag" }, TAG[r.change]),
    el("td", {}, el("span", { style: `padding-left:${r.depth * 1.2}em` }, r.path.slice(r.path.lastIndexOf("/") + 1))),
    el("td", {}, mark(r.a), " → ", mark(r.b)),
    el("td", { class: "num" }, change(side(r.a, "latency_ms"), side(r.b, "latency_ms"), formatLatency)),
    el("td", { class: "num" }, change(side(r.a, "tokens"), side(r.b, "tokens"), formatTokens)),
    el("td", { class: "num" }, change(side(r.a, "cost"), side(r.b, "cost"), formatCost)),
    el("td", { class: "preview error" }, (r.change !== "same" && (r.b || r.a).exception) || ""));
}

function pairView([a, b], path) {
  const part = (name, key) => el("section", {}, el("h3", {}, name),
    diffView(sortedJson(a ? a[key] : null), sortedJson(b ? b[key] : null), [a ? `a ${a.id}` : "a (none)", b ? `b ${b.id}` : "b (none)"]));
  return el("div", { class: "pair" }, el("h2", {}, path), part("Inputs", "inputs"), part("Output", "output"),
    part("Exception", "exception"));
}

export function view({ diff, at, pair }) {
  return el("div", { class: "compare" },
    el("h2", {}, "compare ", el("span", { class: "muted" }, `a ${diff.a} · b ${diff.b} · ${diff.changed} of ${diff.rows.length} steps differ`)),
    el("table", { class: "steps" },
      el("thead", {}, el("tr", {}, ["", "step", "status", "latency", "tokens", "cost", "error"].map((h) => el("th", {}, h)))),
      el("tbody", {}, diff.rows.map((r, i) => stepRow(r, i, at)))),
    pair ? pairView(pair, diff.rows[at].path) : el("p", { class: "muted" }, "Pick a step to see both calls side by side."));
}
