// weft ui: the objects and ops of a project (their latest versions), and one
// object: its versions, value, and a dataset's rows.
import { fileText, postJson } from "./api.mjs";
import { el, go, jsonView } from "./dom.mjs";
import { formatTime, parseRef } from "./lib.mjs";
import * as rows from "./view_table.mjs";

export async function load(project) {
  const { objs } = await postJson("/objs/query", { project_id: project, filter: { latest_only: true },
    sort_by: [{ field: "created_at", direction: "desc" }] });
  return { objs };
}

export function view({ objs }) {
  return el("table", { class: "objects" },
    el("thead", {}, el("tr", {}, ["name", "kind", "class", "versions", "created"].map((h) => el("th", {}, h)))),
    el("tbody", {}, objs.map((o) => el("tr", { class: "row", tabindex: 0,
        onclick: () => go({ view: "object", name: o.object_id, digest: o.digest, kind: o.kind }) },
      el("td", {}, o.object_id), el("td", {}, o.kind), el("td", {}, o.base_object_class || ""),
      el("td", { class: "num" }, o.version_index + 1), el("td", {}, formatTime(o.created_at))))));
}

// One object (view=object): the version asked for, every version, and the
// rows of the table its value refers to (a dataset).
export const object = {
  async load(project, p) {
    const name = p.get("name");
    const { obj } = await postJson("/obj/read", { project_id: project, object_id: name, digest: p.get("digest") || "latest" });
    const { objs: versions } = await postJson("/objs/query", { project_id: project, filter: { object_ids: [name] },
      metadata_only: true, sort_by: [{ field: "created_at", direction: "desc" }] });
    const ref = obj.val && typeof obj.val === "object" ? parseRef(obj.val.rows) : null;
    const table = ref && ref.kind === "table" ? await rows.loadRows(ref.project, ref.name, p) : null;
    // An op's source: the files its value names, as the SDK stored them.
    const files = obj.kind === "op" && obj.val && typeof obj.val.files === "object" && obj.val.files
      ? Object.entries(obj.val.files).filter(([, digest]) => typeof digest === "string") : [];
    const code = await Promise.all(files.map(async ([name, digest]) => [name, await fileText(project, digest)]));
    return { obj, versions, table, code };
  },
  view({ obj, versions, table, code }) {
    return el("div", {},
      el("h2", {}, `${obj.object_id}:v${obj.version_index}`, el("span", { class: "muted" }, ` ${obj.kind} · ${obj.base_object_class || ""} · ${obj.digest}`)),
      el("div", { class: "versions" }, "versions: ", versions.map((v) => el("a", { href: "#", class: v.digest === obj.digest ? "current" : "",
        onclick: (e) => { e.preventDefault(); go({ digest: v.digest, page: null }); } }, `v${v.version_index} `))),
      table ? rows.rowsView(table) : "",
      code.length ? el("section", {}, el("h3", {}, "Code"), code.map(([name, text]) =>
        el("div", {}, el("p", { class: "muted" }, name), el("pre", { class: "code" }, text)))) : "",
      jsonView(obj.val));
  },
};
