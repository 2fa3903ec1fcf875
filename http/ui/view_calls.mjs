// weft ui: the traces list (root calls, each with its trace's call count,
// tokens, cost and first error), or every call with all=1; newest first,
// filters and the columns shown in the URL; live on its first page.
import { postJson, stream } from "./api.mjs";
import { PAGE, el, go, pager, picker, statusBadge } from "./dom.mjs";
import { callName, callsRequest, formatCost, formatLatency, formatTime, formatTokens, latencyMs, opName, pickColumns,
         preview, textFields, traceTotals, usageTotals } from "./lib.mjs";

// Every column a list can show: its heading, its cell from the call and its
// totals ({count, errors, error, tokens, cost}), and its class.
const COLUMNS = {
  status: { head: "", cell: (c) => statusBadge(c) },
  name: { head: "name", cell: (c) => callName(c) },
  op: { head: "op", cell: (c) => opName(c.op_name), cls: "muted" },
  started: { head: "started", cell: (c) => formatTime(c.started_at) },
  latency: { head: "latency", cell: (c) => formatLatency(latencyMs(c)), cls: "num" },
  calls: { head: "calls", cell: (c, t) => (t.count ? String(t.count) : ""), cls: "num" },
  tokens: { head: "tokens", cell: (c, t) => formatTokens(t.tokens), cls: "num" },
  cost: { head: "cost", cell: (c, t) => formatCost(t.cost), cls: "num" },
  error: { head: "error", cell: (c, t) => preview(t.error || c.exception, 100), cls: "preview error" },
  inputs: { head: "inputs", cell: (c) => preview(c.inputs), cls: "preview" },
  output: { head: "output", cell: (c) => preview(c.output), cls: "preview" },
  user: { head: "user", cell: (c) => c.wb_user_id || "", cls: "muted" },
  thread: { head: "thread", cell: (c) => c.thread_id || "", cls: "muted" },
  id: { head: "id", cell: (c) => c.id, cls: "muted" },
};
const TRACE_COLUMNS = ["status", "name", "started", "latency", "calls", "tokens", "cost", "error"];
const CALL_COLUMNS = ["status", "name", "op", "started", "latency", "inputs", "output"];

export async function load(project, p) {
  const all = p.get("all") === "1";
  const filters = { op: p.get("op") || "", status: p.get("status") || "", since: p.get("since") || "",
                    roots: !all, q: p.get("q") || "" };
  const page = Number(p.get("page") || 0);
  const columns = pickColumns(p.get("cols"), Object.keys(COLUMNS), all ? CALL_COLUMNS : TRACE_COLUMNS);
  // Free text looks in the top-level input and output fields of recent calls.
  const sample = filters.q ? await stream("/calls/stream_query", { project_id: project, limit: 200,
    sort_by: [{ field: "started_at", direction: "desc" }] }) : [];
  const req = callsRequest(project, filters, page, PAGE, textFields(sample));
  const calls = await stream("/calls/stream_query", req);
  return { project, filters, all, page, req, calls, columns, totals: await totalsOf(project, calls, all) };
}

// Each listed call's totals: usage and cost rolled up over its descendants
// (calls/usage), and for roots their trace's calls and first error.
async function totalsOf(project, calls, all) {
  if (!calls.length) return {};
  const ids = calls.map((c) => c.id);
  const roots = calls.filter((c) => !c.parent_id).map((c) => c.trace_id);
  const [{ call_usage: usage }, inTraces] = await Promise.all([
    postJson("/calls/usage", { project_id: project, call_ids: ids, include_costs: true }),
    roots.length && !all ? stream("/calls/stream_query", { project_id: project, filter: { trace_ids: roots },
      columns: ["id", "exception"], sort_by: [{ field: "started_at", direction: "asc" }] }) : [],
  ]);
  const traces = traceTotals(inTraces);
  return Object.fromEntries(calls.map((c) => [c.id, {
    ...(c.parent_id ? {} : traces[c.trace_id]), ...usageTotals(usage[c.id]) }]));
}

function filterForm(data, compare) {
  const { filters } = data;
  const input = (name, attrs) => el("input", { name, value: filters[name], ...attrs });
  return el("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      go({ op: f.get("op"), status: f.get("status"), since: f.get("since"), all: f.get("all") ? "1" : null,
           q: f.get("q"), page: null });
    } },
    input("op", { placeholder: "op name" }),
    el("select", { name: "status" }, ["", "success", "error", "running"].map((s) =>
      el("option", { value: s, selected: s === filters.status }, s || "any status"))),
    el("select", { name: "since" }, ["", "15m", "1h", "1d", "7d", "30d"].map((s) =>
      el("option", { value: s, selected: s === filters.since }, s ? `last ${s}` : "any time"))),
    el("label", {}, el("input", { type: "checkbox", name: "all", checked: data.all }), " every call, not only traces"),
    input("q", { placeholder: "search inputs and outputs", class: "search" }),
    el("button", { type: "submit" }, "Filter"),
    compare.button,
    columnPicker(data.columns));
}

// Which columns show, kept in the URL (cols=).
function columnPicker(shown) {
  const toggle = (name) => {
    const next = shown.includes(name) ? shown.filter((c) => c !== name) : Object.keys(COLUMNS).filter((c) => c === name || shown.includes(c));
    go({ cols: next.join(",") }, true);
  };
  return el("details", { class: "columns" }, el("summary", {}, "Columns"),
    el("div", { class: "menu" }, Object.keys(COLUMNS).filter((c) => c !== "status").map((c) => el("label", {},
      el("input", { type: "checkbox", name: `col-${c}`, checked: shown.includes(c), onchange: () => toggle(c) }), ` ${c}`))));
}

function row(c, data, compare) {
  const totals = data.totals[c.id] || {};
  return el("tr", { class: "row", tabindex: 0, "data-id": c.id, onclick: () => go({ view: "trace", trace: c.trace_id, call: c.id }) },
    el("td", {}, compare.box(c.id)), data.columns.map((name) => el("td", { class: COLUMNS[name].cls || null }, COLUMNS[name].cell(c, totals))));
}

export function view(data) {
  // Two picked calls (or traces) open the compare page, the older as a.
  const byStart = (id) => data.calls.find((c) => c.id === id)?.started_at || "";
  const compare = picker(2, data.all ? "Compare 2 calls" : "Compare 2 traces", (ids) => {
    const [a, b] = ids.slice(-2).sort((x, y) => (byStart(x) < byStart(y) ? -1 : 1));
    go({ view: "compare", a, b, row: null, page: null });
  });
  const table = el("table", { class: "calls" },
    el("thead", {}, el("tr", {}, el("th", {}), data.columns.map((name) => el("th", { class: COLUMNS[name].cls || null }, COLUMNS[name].head)))),
    el("tbody", {}));
  const node = el("div", {}, filterForm(data, compare), table, el("div", { class: "pager" }));
  node.compare = compare;
  refresh(node, data);
  return node;
}

// The rows and pager of a shown list, from newly loaded data (the form the
// user may be typing in stays). The rows first; the count (a walk over every
// matching call) fills the pager after.
export function refresh(node, data) {
  const { project, page, req, calls, all } = data;
  node.querySelector("tbody").replaceChildren(...calls.map((c) => row(c, data, node.compare)));
  const labels = { page, shown: calls.length, noun: all ? "calls" : "traces", prev: "‹ newer", next: "older ›" };
  node.querySelector(".pager").replaceWith(pager(labels));
  postJson("/calls/query_stats", { project_id: project, filter: req.filter, query: req.query })
    .then((stats) => node.querySelector(".pager").replaceWith(pager({ ...labels, count: stats.count })))
    .catch(() => {});
}

export const live = (p) => !p.get("page");
