// weft ui: one trace as a tree with latency bars, and the selected call's
// detail (inputs, output, usage, summary, attributes, feedback).
import { postJson, serverInfo, stream } from "./api.mjs";
import { el, go, jsonView, statusBadge } from "./dom.mjs";
import { feedbackView } from "./feedback.mjs";
import { buildTree, callName, capturedLogs, flatten, formatLatency, formatTime, latencyMs, opName, parseRef, statusOf, timeBar,
         traceSpan } from "./lib.mjs";

export async function load(project, p) {
  const calls = await stream("/calls/stream_query", { project_id: project, filter: { trace_ids: [p.get("trace")] },
    sort_by: [{ field: "started_at", direction: "asc" }] });
  const roots = buildTree(calls);
  const selected = p.get("call") || (roots[0] && roots[0].call.id);
  const call = calls.find((c) => c.id === selected);
  const feedback = call ? (await postJson("/feedback/query", { project_id: project, query: { $expr: { $eq: [
    { $getField: "weave_ref" }, { $literal: `weave:///${project}/call/${call.id}` }] } } })).result : [];
  const collapsed = new Set((p.get("collapsed") || "").split(",").filter(Boolean));
  const writable = !(await serverInfo()).read_only;
  return { project, calls, roots, selected, call, feedback, collapsed, writable };
}

function node({ call: c, children, depth }, data, span) {
  const { collapsed, selected } = data;
  const bar = timeBar(c, span);
  const toggle = children.length
    ? el("button", { class: "toggle", onclick: (e) => {
        e.stopPropagation();
        collapsed.has(c.id) ? collapsed.delete(c.id) : collapsed.add(c.id);
        go({ collapsed: [...collapsed].join(",") }, true);
      } }, collapsed.has(c.id) ? "▸" : "▾")
    : el("span", { class: "toggle" }, "");
  return el("div", { class: `row node${c.id === selected ? " selected" : ""}`, tabindex: 0, "data-id": c.id,
                     "data-depth": depth, onclick: () => go({ call: c.id }, true) },
    el("span", { class: "indent", style: `width:${depth * 1.2}em` }), toggle, statusBadge(c),
    el("span", { class: "name" }, callName(c)),
    el("span", { class: "lat" }, formatLatency(latencyMs(c))),
    el("span", { class: "axis" }, el("span", { class: `bar ${statusOf(c)}`, style: `left:${bar.left}%;width:${bar.width}%` })));
}

function detail(data) {
  const { call, feedback } = data;
  const section = (title, ...body) => el("section", {}, el("h3", {}, title), ...body);
  const op = parseRef(call.op_name);
  const usage = call.summary && call.summary.usage;
  return el("div", { class: "detail" },
    el("h2", {}, statusBadge(call), " ", callName(call)),
    el("p", { class: "muted" }, "op ", op ? el("a", { href: "#", class: "ref", "data-ref": call.op_name }, opName(call.op_name)) : call.op_name,
      ` · started ${formatTime(call.started_at)} · ${formatLatency(latencyMs(call)) || "running"} · id ${call.id}`),
    /Evaluation\.evaluate/.test(call.op_name) ? el("p", {}, el("a", { href: "#", class: "open-eval", onclick: (e) => {
      e.preventDefault();
      go({ view: "eval", evals: call.id, trace: null, call: null });
    } }, "Open as an evaluation table")) : "",
    call.exception ? section("Exception", el("pre", { class: "exception" }, call.exception)) : "",
    capturedLogs(call.output).map(([name, text]) => section(`Logs: ${name}`, el("pre", { class: "log" }, text))),
    section("Inputs", jsonView(call.inputs)),
    section("Output", jsonView(call.output)),
    usage ? section("Usage", jsonView(usage)) : "",
    section("Summary", jsonView(call.summary)),
    section("Attributes", jsonView(call.attributes)),
    section(`Feedback (${feedback.length})`, feedbackView(data)));
}

export function view(data) {
  const span = traceSpan(data.calls);
  const tree = el("div", { class: "tree" }, flatten(data.roots, data.collapsed).map((n) => node(n, data, span)));
  return el("div", { class: "trace" }, tree, data.call ? detail(data) : el("div", { class: "detail" }));
}
