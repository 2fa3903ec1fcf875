// weft ui: the calls list, newest first, with filters in the URL; live on
// its first page (new calls appear).
import { postJson, stream } from "./api.mjs";
import { PAGE, el, go, pager, statusBadge } from "./dom.mjs";
import { callName, callsRequest, formatLatency, formatTime, latencyMs, opName, preview, textFields } from "./lib.mjs";

export async function load(project, p) {
  const filters = { op: p.get("op") || "", status: p.get("status") || "", since: p.get("since") || "",
                    roots: p.get("roots") === "1", q: p.get("q") || "" };
  const page = Number(p.get("page") || 0);
  // Free text looks in the top-level input and output fields of recent calls.
  const sample = filters.q ? await stream("/calls/stream_query", { project_id: project, limit: 200,
    sort_by: [{ field: "started_at", direction: "desc" }] }) : [];
  const req = callsRequest(project, filters, page, PAGE, textFields(sample));
  return { project, filters, page, req, calls: await stream("/calls/stream_query", req) };
}

function filterForm(filters) {
  const input = (name, attrs) => el("input", { name, value: filters[name], ...attrs });
  return el("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      go({ op: f.get("op"), status: f.get("status"), since: f.get("since"), roots: f.get("roots") ? "1" : null,
           q: f.get("q"), page: null });
    } },
    input("op", { placeholder: "op name" }),
    el("select", { name: "status" }, ["", "success", "error", "running"].map((s) =>
      el("option", { value: s, selected: s === filters.status }, s || "any status"))),
    el("select", { name: "since" }, ["", "15m", "1h", "1d", "7d", "30d"].map((s) =>
      el("option", { value: s, selected: s === filters.since }, s ? `last ${s}` : "any time"))),
    el("label", {}, el("input", { type: "checkbox", name: "roots", checked: filters.roots }), " roots only"),
    input("q", { placeholder: "search inputs and outputs", class: "search" }),
    el("button", { type: "submit" }, "Filter"));
}

function row(c) {
  return el("tr", { class: "row", tabindex: 0, "data-id": c.id, onclick: () => go({ view: "trace", trace: c.trace_id, call: c.id }) },
    el("td", {}, statusBadge(c)), el("td", {}, callName(c)), el("td", { class: "muted" }, opName(c.op_name)),
    el("td", {}, formatTime(c.started_at)), el("td", { class: "num" }, formatLatency(latencyMs(c))),
    el("td", { class: "preview" }, preview(c.inputs)), el("td", { class: "preview" }, preview(c.output)));
}

export function view(data) {
  const table = el("table", { class: "calls" },
    el("thead", {}, el("tr", {}, ["", "name", "op", "started", "latency", "inputs", "output"].map((h) => el("th", {}, h)))),
    el("tbody", {}));
  const node = el("div", {}, filterForm(data.filters), table, el("div", { class: "pager" }));
  refresh(node, data);
  return node;
}

// The rows and pager of a shown list, from newly loaded data (the form the
// user may be typing in stays). The rows first; the count (a walk over every
// matching call) fills the pager after.
export function refresh(node, data) {
  const { project, page, req, calls } = data;
  node.querySelector("tbody").replaceChildren(...calls.map(row));
  const labels = { page, shown: calls.length, noun: "calls", prev: "‹ newer", next: "older ›" };
  node.querySelector(".pager").replaceWith(pager(labels));
  postJson("/calls/query_stats", { project_id: project, filter: req.filter, query: req.query })
    .then((stats) => node.querySelector(".pager").replaceWith(pager({ ...labels, count: stats.count })))
    .catch(() => {});
}

export const live = (p) => !p.get("page");
