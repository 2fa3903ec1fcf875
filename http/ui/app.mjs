// weft ui: the page. It reads the store through weft serve's own HTTP API
// (calls/stream_query, calls/query_stats, obj/read, objs/query,
// table/query, feedback/query, call/read), so whatever it shows, a script
// can get the same way. The URL holds the view and its filters.
import {
  STATUS_SYMBOL, buildTree, callName, callsRequest, flatten, formatLatency, formatTime, latencyMs, opName,
  parseRef, preview, safeDecode, statusOf, textFields, timeBar, traceSpan,
} from "./lib.mjs";

const PAGE = 50;
const $ = (sel) => document.querySelector(sel);
const main = () => $("#main");
let poll = null;

// The API key, when weft ui was started with one: taken from the #key= of
// the URL it printed (kept for this tab only, and dropped from the address
// bar), or asked for when the server answers 401 (docs/ui.md#the-api-key).
const KEY_SLOT = "weft-api-key";
const keyInUrl = /(?:^#|&)key=([^&]*)/.exec(location.hash);
if (keyInUrl) {
  sessionStorage.setItem(KEY_SLOT, safeDecode(keyInUrl[1]));
  history.replaceState(null, "", location.pathname + location.search);
}
function authorization() {
  const key = sessionStorage.getItem(KEY_SLOT);
  if (!key) return {};
  const bytes = new TextEncoder().encode(`api:${key}`);
  return { Authorization: "Basic " + btoa(String.fromCharCode(...bytes)) };
}
async function api(path, init = {}) {
  const send = () => fetch(path, { ...init, headers: { ...init.headers, ...authorization() } });
  // A keep-alive connection the server closed as it was reused fails the
  // fetch: every request of the viewer reads, so it is sent once more.
  const res = await send().catch(send);
  if (res.status !== 401) return res;
  const key = prompt("This weft ui was started with an API key. Enter it:");
  if (!key) return res;
  sessionStorage.setItem(KEY_SLOT, key);
  return api(path, init);
}

async function post(path, body) {
  const res = await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) {
    let reason = res.statusText;
    try { reason = (await res.json()).reason || reason; } catch (e) { /* not JSON */ }
    throw new Error(`${path}: ${reason}`);
  }
  return res;
}
const postJson = async (path, body) => (await post(path, body)).json();
async function stream(path, body) {
  const text = await (await post(path, body)).text();
  return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

function params() { return new URLSearchParams(location.search); }
function go(changes, replace = false) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) (v === null || v === "" || v === false ? p.delete(k) : p.set(k, v));
  history[replace ? "replaceState" : "pushState"](null, "", "?" + p.toString());
  render();
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return e;
}
const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// JSON, indented, with every weave:/// ref a link that opens what it names.
function jsonView(value) {
  const pre = el("pre", { class: "json" });
  pre.innerHTML = escapeHtml(JSON.stringify(value, null, 2) ?? "null").replace(
    /"(weave:\/\/\/[^"\s]+)"/g, (m, ref) => `"<a href="#" class="ref" data-ref="${ref}">${ref}</a>"`);
  return pre;
}

async function openRef(ref) {
  const r = parseRef(ref);
  if (!r) return;
  if (r.kind === "call") {
    const { call } = await postJson("/call/read", { project_id: r.project, id: r.name });
    if (call) go({ project: r.project, view: "trace", trace: call.trace_id, call: call.id });
  } else if (r.kind === "table") {
    go({ project: r.project, view: "table", digest: r.name, page: null });
  } else {
    go({ project: r.project, view: "object", name: r.name, digest: r.digest, kind: r.kind, page: null });
  }
}
document.addEventListener("click", (e) => {
  const a = e.target.closest("a.ref");
  if (a) { e.preventDefault(); openRef(a.dataset.ref).catch(showError); }
});

function statusBadge(call) {
  const s = statusOf(call);
  return el("span", { class: `status ${s}`, title: s }, STATUS_SYMBOL[s] || "?");
}

function showError(err) {
  main().replaceChildren(el("p", { class: "error" }, String(err.message || err)));
}

// ---- calls list -------------------------------------------------------

async function renderCalls(project) {
  const p = params();
  const filters = { op: p.get("op") || "", status: p.get("status") || "", since: p.get("since") || "",
                    roots: p.get("roots") === "1", q: p.get("q") || "" };
  const page = Number(p.get("page") || 0);
  const input = (name, attrs) => el("input", { name, value: filters[name], ...attrs });
  const form = el("form", { class: "filters", onsubmit: (e) => {
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
  const table = el("table", { class: "calls" },
    el("thead", {}, el("tr", {}, ["", "name", "op", "started", "latency", "inputs", "output"].map((h) => el("th", {}, h)))),
    el("tbody", {}));
  const pager = el("div", { class: "pager" });
  main().replaceChildren(form, table, pager);

  const load = async () => {
    // Free text looks in the top-level input and output fields of recent calls.
    const sample = filters.q ? await stream("/calls/stream_query", { project_id: project, limit: 200,
      sort_by: [{ field: "started_at", direction: "desc" }] }) : [];
    const req = callsRequest(project, filters, page, PAGE, textFields(sample));
    const calls = await stream("/calls/stream_query", req);
    table.tBodies[0].replaceChildren(...calls.map((c) => el("tr", {
        class: "row", tabindex: 0, "data-id": c.id,
        onclick: () => go({ view: "trace", trace: c.trace_id, call: c.id }) },
      el("td", {}, statusBadge(c)), el("td", {}, callName(c)), el("td", { class: "muted" }, opName(c.op_name)),
      el("td", {}, formatTime(c.started_at)), el("td", { class: "num" }, formatLatency(latencyMs(c))),
      el("td", { class: "preview" }, preview(c.inputs)), el("td", { class: "preview" }, preview(c.output)))));
    // The rows first; the count (a walk over every matching call) fills the pager after.
    const pagerWith = (count) => {
      const last = count === null ? (calls.length < PAGE ? page : page + 1) : Math.max(0, Math.ceil(count / PAGE) - 1);
      pager.replaceChildren(
        el("button", { disabled: page === 0, onclick: () => go({ page: page - 1 || null }) }, "‹ newer"),
        el("span", {}, count === null ? ` page ${page + 1} ` : ` ${count} calls · page ${page + 1} of ${last + 1} `),
        el("button", { disabled: page >= last, onclick: () => go({ page: page + 1 }) }, "older ›"));
    };
    pagerWith(null);
    const stats = await postJson("/calls/query_stats", { project_id: project, filter: req.filter, query: req.query });
    pagerWith(stats.count);
  };
  await load();
  if (page === 0) poll = setInterval(() => load().catch(() => {}), 3000);  // live: new calls appear
}

// ---- a trace: tree and detail ----------------------------------------

async function renderTrace(project) {
  const p = params();
  const traceId = p.get("trace");
  const calls = await stream("/calls/stream_query", { project_id: project, filter: { trace_ids: [traceId] },
    sort_by: [{ field: "started_at", direction: "asc" }] });
  const collapsed = new Set((p.get("collapsed") || "").split(",").filter(Boolean));
  const roots = buildTree(calls);
  const span = traceSpan(calls);
  const selected = p.get("call") || (roots[0] && roots[0].call.id);
  const tree = el("div", { class: "tree" }, flatten(roots, collapsed).map((node) => {
    const c = node.call;
    const bar = timeBar(c, span);
    const toggle = node.children.length
      ? el("button", { class: "toggle", onclick: (e) => {
          e.stopPropagation();
          collapsed.has(c.id) ? collapsed.delete(c.id) : collapsed.add(c.id);
          go({ collapsed: [...collapsed].join(",") }, true);
        } }, collapsed.has(c.id) ? "▸" : "▾")
      : el("span", { class: "toggle" }, "");
    return el("div", { class: `row node${c.id === selected ? " selected" : ""}`, tabindex: 0, "data-id": c.id,
                       "data-depth": node.depth, onclick: () => go({ call: c.id }, true) },
      el("span", { class: "indent", style: `width:${node.depth * 1.2}em` }), toggle, statusBadge(c),
      el("span", { class: "name" }, callName(c)),
      el("span", { class: "lat" }, formatLatency(latencyMs(c))),
      el("span", { class: "axis" }, el("span", { class: `bar ${statusOf(c)}`, style: `left:${bar.left}%;width:${bar.width}%` })));
  }));
  const call = calls.find((c) => c.id === selected);
  const detail = el("div", { class: "detail" });
  main().replaceChildren(el("div", { class: "trace" }, tree, detail));
  if (call) await renderDetail(project, call, detail);
  const sel = tree.querySelector(".selected");
  if (sel) sel.focus();
}

async function renderDetail(project, call, into) {
  const { result: feedback } = await postJson("/feedback/query", { project_id: project, query: { $expr: { $eq: [
    { $getField: "weave_ref" }, { $literal: `weave:///${project}/call/${call.id}` }] } } });
  const section = (title, ...body) => el("section", {}, el("h3", {}, title), ...body);
  const op = parseRef(call.op_name);
  const usage = call.summary && call.summary.usage;
  into.replaceChildren(
    el("h2", {}, statusBadge(call), " ", callName(call)),
    el("p", { class: "muted" }, "op ", op ? el("a", { href: "#", class: "ref", "data-ref": call.op_name }, opName(call.op_name)) : call.op_name,
      ` · started ${formatTime(call.started_at)} · ${formatLatency(latencyMs(call)) || "running"} · id ${call.id}`),
    call.exception ? section("Exception", el("pre", { class: "exception" }, call.exception)) : "",
    section("Inputs", jsonView(call.inputs)),
    section("Output", jsonView(call.output)),
    usage ? section("Usage", jsonView(usage)) : "",
    section("Summary", jsonView(call.summary)),
    section("Attributes", jsonView(call.attributes)),
    section(`Feedback (${feedback.length})`, feedback.length ? el("ul", { class: "feedback" }, feedback.map((f) =>
      el("li", {}, el("b", {}, f.feedback_type), " ", preview(f.payload, 200), el("span", { class: "muted" }, ` · ${f.wb_user_id || ""} ${formatTime(f.created_at)}`)))) : el("p", { class: "muted" }, "none")));
}

// ---- objects and datasets ---------------------------------------------

async function renderObjects(project) {
  const { objs } = await postJson("/objs/query", { project_id: project, filter: { latest_only: true },
    sort_by: [{ field: "created_at", direction: "desc" }] });
  main().replaceChildren(el("table", { class: "objects" },
    el("thead", {}, el("tr", {}, ["name", "kind", "class", "versions", "created"].map((h) => el("th", {}, h)))),
    el("tbody", {}, objs.map((o) => el("tr", { class: "row", tabindex: 0,
        onclick: () => go({ view: "object", name: o.object_id, digest: o.digest, kind: o.kind }) },
      el("td", {}, o.object_id), el("td", {}, o.kind), el("td", {}, o.base_object_class || ""),
      el("td", { class: "num" }, o.version_index + 1), el("td", {}, formatTime(o.created_at)))))));
}

async function renderObject(project) {
  const p = params();
  const name = p.get("name");
  const { obj } = await postJson("/obj/read", { project_id: project, object_id: name, digest: p.get("digest") || "latest" });
  const { objs: versions } = await postJson("/objs/query", { project_id: project, filter: { object_ids: [name] },
    metadata_only: true, sort_by: [{ field: "created_at", direction: "desc" }] });
  const rowsRef = obj.val && typeof obj.val === "object" ? parseRef(obj.val.rows) : null;
  const rows = el("div", {});
  main().replaceChildren(
    el("h2", {}, `${obj.object_id}:v${obj.version_index}`, el("span", { class: "muted" }, ` ${obj.kind} · ${obj.base_object_class || ""} · ${obj.digest}`)),
    el("div", { class: "versions" }, "versions: ", versions.map((v) => el("a", { href: "#", class: v.digest === obj.digest ? "current" : "",
      onclick: (e) => { e.preventDefault(); go({ digest: v.digest, page: null }); } }, `v${v.version_index} `))),
    rowsRef && rowsRef.kind === "table" ? rows : "",
    jsonView(obj.val));
  if (rowsRef && rowsRef.kind === "table") await renderRows(rowsRef.project, rowsRef.name, rows);
}

// A table's rows, a page at a time, as columns of their keys.
async function renderRows(project, digest, into) {
  const page = Number(params().get("page") || 0);
  const [{ rows }, { count }] = await Promise.all([
    postJson("/table/query", { project_id: project, digest, limit: PAGE, offset: page * PAGE }),
    postJson("/table/query_stats", { project_id: project, digest }),
  ]);
  const keys = [...new Set(rows.flatMap((r) => (r.val && typeof r.val === "object" ? Object.keys(r.val) : ["value"])))];
  const cell = (v) => (typeof v === "string" && v.startsWith("weave:///") ? el("a", { href: "#", class: "ref", "data-ref": v }, v) : preview(v, 120));
  const last = Math.max(0, Math.ceil(count / PAGE) - 1);
  into.replaceChildren(el("h3", {}, `Rows (${count})`),
    el("table", { class: "rows" }, el("thead", {}, el("tr", {}, el("th", {}, "#"), keys.map((k) => el("th", {}, k)))),
      el("tbody", {}, rows.map((r, i) => el("tr", {}, el("td", { class: "num" }, page * PAGE + i),
        keys.map((k) => el("td", {}, cell(r.val && typeof r.val === "object" ? r.val[k] : r.val))))))),
    el("div", { class: "pager" },
      el("button", { disabled: page === 0, onclick: () => go({ page: page - 1 || null }) }, "‹"),
      el("span", {}, ` page ${page + 1} of ${last + 1} `),
      el("button", { disabled: page >= last, onclick: () => go({ page: page + 1 }) }, "›")));
}

async function renderTable(project) {
  const into = el("div", {});
  main().replaceChildren(el("h2", {}, "table ", el("span", { class: "muted" }, params().get("digest"))), into);
  await renderRows(project, params().get("digest"), into);
}

// ---- frame ------------------------------------------------------------

// Renders run one after another, in the order they were asked for, so that a
// slow one (a big trace on a busy machine) never paints over a newer view.
let rendering = Promise.resolve();
function render() {
  rendering = rendering.then(renderView, renderView);
  return rendering;
}

async function renderView() {
  clearInterval(poll);
  const p = params();
  let project = p.get("project");
  if (!project) {
    const { projects } = await (await api("/weft/projects")).json();
    if (!projects.length) return main().replaceChildren(el("p", {}, "The store holds no project yet."));
    return go({ project: projects[0] }, true);
  }
  const view = p.get("view") || "calls";
  $("#project").textContent = project;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.view === (view === "trace" ? "calls" : view === "object" || view === "table" ? "objects" : view));
  const views = { calls: renderCalls, trace: renderTrace, objects: renderObjects, object: renderObject, table: renderTable };
  document.title = `weft · ${project}`;
  try {
    await (views[view] || renderCalls)(project);
  } catch (err) {
    showError(err);
  }
}

// j/k move between rows, Enter opens one, Escape goes back.
document.addEventListener("keydown", (e) => {
  if (e.target.matches("input, select, textarea")) return;
  const rows = [...document.querySelectorAll(".row")];
  const at = rows.indexOf(document.activeElement);
  if (e.key === "j" || e.key === "k") {
    const next = rows[Math.min(rows.length - 1, Math.max(0, at + (e.key === "j" ? 1 : -1)))];
    if (next) next.focus();
  } else if (e.key === "Enter" && at >= 0) {
    rows[at].click();
  } else if (e.key === "Escape") {
    history.length > 1 ? history.back() : go({ view: null, trace: null, call: null });
  }
});
window.addEventListener("popstate", render);
for (const a of document.querySelectorAll("nav a"))
  a.addEventListener("click", (e) => { e.preventDefault(); go({ view: a.dataset.view === "calls" ? null : a.dataset.view,
    trace: null, call: null, name: null, digest: null, kind: null, page: null }); });
render();
