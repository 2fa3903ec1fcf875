// weft ui: charts of the calls the URL's filters select (op, status,
// since): calls and errors over time, latency percentiles per op, tokens
// and cost per model: three groupings of one calls_summary request
// (weft/calls/summary), one walk over the calls.
import { postJson, stream } from "./api.mjs";
import { el, go } from "./dom.mjs";
import { bucketFor, bucketMs, fillBuckets, rowBars, timeColumns } from "./charts.mjs";
import { callsRequest, durationMs, formatCost, formatLatency, formatTime, formatTokens } from "./lib.mjs";

// The time the selected calls span: from --since, else from the oldest call.
async function rangeMs(project, filters) {
  if (filters.since) return durationMs(filters.since);
  const [oldest] = await stream("/calls/stream_query", { ...callsRequest(project, filters, 0, 1),
    sort_by: [{ field: "started_at", direction: "asc" }], columns: ["id"] });
  return oldest ? Date.now() - Date.parse(oldest.started_at) : 0;
}

export async function load(project, p) {
  const filters = { op: p.get("op") || "", status: p.get("status") || "", since: p.get("since") || "" };
  const { filter, query } = callsRequest(project, filters);
  const every = bucketFor(await rangeMs(project, filters));
  const { groupings } = await postJson("/weft/calls/summary", { project_id: project, filter, query,
    groupings: [{ every }, { by: "op" }, { by: "model" }] });
  const [time, ops, models] = groupings.map((g) => g.groups);
  return { filters, every, time, ops, models: models.filter((g) => g.group !== null) };
}

function filterForm(filters) {
  return el("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      go({ op: f.get("op"), status: f.get("status"), since: f.get("since") });
    } },
    el("input", { name: "op", value: filters.op, placeholder: "op name" }),
    el("select", { name: "status" }, ["", "success", "error", "running"].map((s) =>
      el("option", { value: s, selected: s === filters.status }, s || "any status"))),
    el("select", { name: "since" }, ["", "1h", "1d", "7d", "30d"].map((s) =>
      el("option", { value: s, selected: s === filters.since }, s ? `last ${s}` : "any time"))),
    el("button", { type: "submit" }, "Show"));
}

function chart(title, svg, empty) {
  const box = el("div", { class: "chart-box" });
  if (svg) box.innerHTML = svg;  // built by charts.mjs, every text escaped
  return el("section", { class: "chart-section" }, el("h3", {}, title), svg ? box : el("p", { class: "muted" }, empty));
}

export function view({ filters, every, time, ops, models }) {
  const points = fillBuckets(time, bucketMs(every));
  const latency = ops.map((g) => ({ label: g.group, values: [g.p50_ms, g.p95_ms, g.p99_ms] }));
  const usage = models.map((g) => ({ label: g.group, values: [g.tokens], note: `${formatTokens(g.tokens)} tokens ${formatCost(g.cost)}` }));
  return el("div", { class: "charts" }, filterForm(filters),
    chart(`Calls and errors, per ${every}`, points.length && timeColumns(points, { label: formatTime }), "no calls"),
    chart("Latency per op: p50 / p95 / p99", latency.length && rowBars(latency,
      [{ name: "p50", cls: "p50" }, { name: "p95", cls: "p95" }, { name: "p99", cls: "p99" }], { format: formatLatency }), "no calls"),
    chart("Tokens and cost per model", usage.length && rowBars(usage, [{ name: "tokens" }], { format: formatTokens }), "no token usage"));
}
