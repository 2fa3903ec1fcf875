// weft ui: evaluations as Weave's SDK records them. The list (view=evals:
// the Evaluation.evaluate calls, newest first; pick two or more to compare)
// and one evaluation or several (view=eval, evals=ID,ID...): the summary
// scores on top, then a table of dataset rows × each evaluation's output ×
// each scorer, failed rows marked, regressions first
// (weft/evaluations/compare).
import { postJson, stream } from "./api.mjs";
import { PAGE, el, go, jsonView, pager, picker, statusBadge } from "./dom.mjs";
import { callName, callsRequest, formatLatency, formatTime, latencyMs, preview } from "./lib.mjs";

export async function load(project, p) {
  const page = Number(p.get("page") || 0);
  const req = callsRequest(project, { op: "Evaluation.evaluate" }, page, PAGE);
  return { page, evals: await stream("/calls/stream_query", req) };
}

export function view({ page, evals }) {
  if (!evals.length && !page) return el("p", { class: "muted" }, "No evaluations yet: weave's Evaluation.evaluate records one.");
  const compare = picker(1, "Open the picked evaluations", (ids) => go({ view: "eval", evals: ids.join(","), page: null }));
  return el("div", {}, el("div", { class: "filters" }, compare.button),
    el("table", { class: "evals" },
      el("thead", {}, el("tr", {}, ["", "", "evaluation", "started", "latency", "summary"].map((h) => el("th", {}, h)))),
      el("tbody", {}, evals.map((c) => el("tr", { class: "row", tabindex: 0, onclick: () => go({ view: "eval", evals: c.id, page: null }) },
        el("td", {}, compare.box(c.id)), el("td", {}, statusBadge(c)), el("td", {}, callName(c)),
        el("td", {}, formatTime(c.started_at)), el("td", { class: "num" }, formatLatency(latencyMs(c))),
        el("td", { class: "preview" }, preview(c.output, 160)))))),
    pager({ page, shown: evals.length }));
}

const number = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : "–");

// One evaluation, or several of one dataset compared (the first is the baseline).
export const evaluation = {
  async load(project, p) {
    const ids = (p.get("evals") || "").split(",").filter(Boolean);
    return { ids, report: await postJson("/weft/evaluations/compare", { project_id: project, evaluation_call_ids: ids }) };
  },
  view({ report }) {
    const { evaluations, metrics, rows } = report;
    const names = Object.keys(metrics);
    const several = evaluations.length > 1;
    const scores = el("table", { class: "scores" },
      el("thead", {}, el("tr", {}, el("th", {}, "scorer"), evaluations.map((e, i) => el("th", {}, `${String.fromCharCode(65 + i)} ${e.name}`)))),
      el("tbody", {}, names.map((m) => el("tr", { class: metrics[m].regressed ? "regressed" : "" }, el("td", {}, m),
        metrics[m].means.map((v, i) => el("td", { class: "num" }, number(v), i && metrics[m].regressed && v < metrics[m].means[0] ? " worse" : ""))))));
    const head = el("tr", {}, el("th", {}, "row"), evaluations.map((e, i) => el("th", {}, `output ${several ? String.fromCharCode(65 + i) : ""}`)),
      names.map((m) => el("th", { class: "num" }, m)));
    const body = rows.map((r) => el("tr", { class: `${r.regressed.length ? "regressed" : r.improved.length ? "improved" : ""}${r.failed.some(Boolean) ? " failed" : ""}` },
      el("td", { class: "preview" }, preview(r.example, 80)),
      r.outputs.map((o, i) => el("td", { class: "preview" }, r.failed[i] ? "✗ " : "", preview(o, 80))),
      names.map((m) => el("td", { class: "num" }, (r.scores[m] || []).map(number).join(" → ")))));
    return el("div", { class: "evaluation" },
      el("h2", {}, several ? `${evaluations.length} evaluations compared` : evaluations[0].name,
        el("span", { class: "muted" }, ` · ${evaluations.map((e) => `${e.id} (${e.rows} rows)`).join(", ")}`)),
      scores,
      several ? "" : el("details", {}, el("summary", {}, "summary as recorded"), jsonView(evaluations[0].summary)),
      el("h3", {}, several ? "Rows, regressions first" : "Rows"),
      el("table", { class: "eval-rows" }, el("thead", {}, head), el("tbody", {}, body)));
  },
};
