// weft ui: conversations. The threads list (threads/stream_query: turns,
// first start, last update, turn latency), and one thread (view=thread) as
// its turns in order, each opening its trace.
import { stream } from "./api.mjs";
import { PAGE, el, go, pager, statusBadge } from "./dom.mjs";
import { callName, formatLatency, formatTime, latencyMs, preview } from "./lib.mjs";

export async function load(project, p) {
  const page = Number(p.get("page") || 0);
  const threads = await stream("/threads/stream_query", { project_id: project, limit: PAGE, offset: page * PAGE });
  return { page, threads };
}

export function view({ page, threads }) {
  if (!threads.length && !page) return el("p", { class: "muted" }, "No call carries a thread_id yet: threads are the conversations SDKs record with weave.thread().");
  return el("div", {}, el("table", { class: "threads" },
    el("thead", {}, el("tr", {}, ["thread", "turns", "started", "last update", "turn p50", "turn p99"].map((h) => el("th", {}, h)))),
    el("tbody", {}, threads.map((t) => el("tr", { class: "row", tabindex: 0, onclick: () => go({ view: "thread", thread: t.thread_id, page: null }) },
      el("td", {}, t.thread_id), el("td", { class: "num" }, String(t.turn_count)), el("td", {}, formatTime(t.start_time)),
      el("td", {}, formatTime(t.last_updated)), el("td", { class: "num" }, formatLatency(t.p50_turn_duration_ms)),
      el("td", { class: "num" }, formatLatency(t.p99_turn_duration_ms)))))),
    pager({ page, shown: threads.length }));
}

// One thread: its turns (calls whose turn_id is their own id), oldest first.
export const thread = {
  async load(project, p) {
    const id = p.get("thread");
    const calls = await stream("/calls/stream_query", { project_id: project, filter: { thread_ids: [id] },
      sort_by: [{ field: "started_at", direction: "asc" }] });
    return { id, turns: calls.filter((c) => c.turn_id === c.id) };
  },
  view({ id, turns }) {
    return el("div", { class: "conversation" }, el("h2", {}, "thread ", el("span", { class: "muted" }, id)),
      turns.map((c) => el("div", { class: "row turn", tabindex: 0, onclick: () => go({ view: "trace", trace: c.trace_id, call: c.id }) },
        el("div", { class: "muted" }, statusBadge(c), ` ${callName(c)} · ${formatTime(c.started_at)} · ${formatLatency(latencyMs(c))}`),
        el("div", { class: "said in" }, preview(c.inputs, 400)),
        el("div", { class: "said out" }, preview(c.output, 400)))));
  },
};
