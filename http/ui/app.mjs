// weft ui: the frame. It reads the store through weft serve's own HTTP API
// (calls/stream_query, calls/query_stats, obj/read, objs/query,
// table/query, feedback/query, call/read), so whatever it shows, a script
// can get the same way. The URL holds the view and its filters; each view
// is a module with load(project, params) -> data and view(data) -> element
// (docs/ui.md).
import { postJson, serverInfo } from "./api.mjs";
import { el, go, params } from "./dom.mjs";
import { parseRef } from "./lib.mjs";
import * as calls from "./view_calls.mjs";
import * as charts from "./view_charts.mjs";
import * as compare from "./view_compare.mjs";
import * as evals from "./view_evals.mjs";
import * as objects from "./view_objects.mjs";
import * as table from "./view_table.mjs";
import * as threads from "./view_threads.mjs";
import * as trace from "./view_trace.mjs";

const VIEWS = { calls, trace, compare, charts, evals, eval: evals.evaluation, threads, thread: threads.thread, objects,
                object: objects.object, table };
const NAV = { trace: "calls", compare: "calls", eval: "evals", thread: "threads", object: "objects", table: "objects" };  // the tab a view belongs to
const $ = (sel) => document.querySelector(sel);
const main = () => $("#main");
let poll = null;

function showError(err) {
  main().replaceChildren(el("p", { class: "error" }, String(err.message || err)));
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
  const project = p.get("project");
  if (!project) {
    const { projects } = await serverInfo();
    if (!projects.length) return main().replaceChildren(el("p", {}, "The store holds no project yet."));
    return go({ project: projects[0] }, true);
  }
  const name = VIEWS[p.get("view")] ? p.get("view") : "calls";
  const module = VIEWS[name];
  $("#project").textContent = project;
  document.title = `weft · ${project}`;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.view === (NAV[name] || name));
  try {
    const node = module.view(await module.load(project, p));
    main().replaceChildren(node);
    const selected = node.querySelector(".selected");
    if (selected) selected.focus();
    if (module.live && module.live(p))  // new calls appear
      poll = setInterval(() => module.load(project, p).then((data) => module.refresh(node, data), () => {}), 3000);
  } catch (err) {
    showError(err);
  }
}

document.addEventListener("click", (e) => {
  const a = e.target.closest("a.ref");
  if (a) { e.preventDefault(); openRef(a.dataset.ref).catch(showError); }
});
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
window.addEventListener("weft:navigate", render);
for (const a of document.querySelectorAll("nav a"))
  a.addEventListener("click", (e) => { e.preventDefault(); go({ view: a.dataset.view === "calls" ? null : a.dataset.view,
    trace: null, call: null, thread: null, name: null, digest: null, kind: null, page: null, a: null, b: null, row: null,
    evals: null, vs: null }); });
render();
