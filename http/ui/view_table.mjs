// weft ui: a table's rows (view=table), a page at a time, as columns of
// their keys; the object page shows a dataset's rows the same way.
import { postJson } from "./api.mjs";
import { PAGE, cell, el, pager } from "./dom.mjs";

export async function loadRows(project, digest, p) {
  const page = Number(p.get("page") || 0);
  const [{ rows }, { count }] = await Promise.all([
    postJson("/table/query", { project_id: project, digest, limit: PAGE, offset: page * PAGE }),
    postJson("/table/query_stats", { project_id: project, digest }),
  ]);
  return { digest, page, rows, count };
}

export function rowsView({ page, rows, count }) {
  const value = (r, k) => (r.val && typeof r.val === "object" ? r.val[k] : r.val);
  const keys = [...new Set(rows.flatMap((r) => (r.val && typeof r.val === "object" ? Object.keys(r.val) : ["value"])))];
  return el("div", {}, el("h3", {}, `Rows (${count})`),
    el("table", { class: "rows" }, el("thead", {}, el("tr", {}, el("th", {}, "#"), keys.map((k) => el("th", {}, k)))),
      el("tbody", {}, rows.map((r, i) => el("tr", {}, el("td", { class: "num" }, page * PAGE + i),
        keys.map((k) => el("td", {}, cell(value(r, k)))))))),
    pager({ page, count, shown: rows.length }));
}

export const load = (project, p) => loadRows(project, p.get("digest"), p);

export function view(data) {
  return el("div", {}, el("h2", {}, "table ", el("span", { class: "muted" }, data.digest)), rowsView(data));
}
