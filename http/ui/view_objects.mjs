// weft ui: the objects and ops of a project (their latest versions), and one
// object: its versions, value, a dataset's rows, an op's code, and another
// version beside it (vs=DIGEST), changed lines marked.
import { fileText, postJson } from "./api.mjs";
import { sortedJson } from "./diff.mjs";
import { diffView, el, go, jsonView } from "./dom.mjs";
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
    const read = async (digest) => {
      const { obj } = await postJson("/obj/read", { project_id: project, object_id: name, digest });
      return { obj, code: await opCode(project, obj) };
    };
    const { obj, code } = await read(p.get("digest") || "latest");
    const { objs: versions } = await postJson("/objs/query", { project_id: project, filter: { object_ids: [name] },
      metadata_only: true, sort_by: [{ field: "created_at", direction: "desc" }] });
    const ref = obj.val && typeof obj.val === "object" ? parseRef(obj.val.rows) : null;
    const table = ref && ref.kind === "table" ? await rows.loadRows(ref.project, ref.name, p) : null;
    const other = p.get("vs") && p.get("vs") !== obj.digest ? await read(p.get("vs")) : null;
    return { obj, versions, table, code, other };
  },
  view({ obj, versions, table, code, other }) {
    const link = (v) => el("a", { href: "#", class: v.digest === obj.digest ? "current" : "",
      onclick: (e) => { e.preventDefault(); go({ digest: v.digest, page: null }); } }, `v${v.version_index}`);
    const vs = (v) => (v.digest === obj.digest ? "" : el("a", { href: "#", class: "vs", title: `v${v.version_index} beside this version`,
      onclick: (e) => { e.preventDefault(); go({ vs: v.digest }); } }, "⇄"));
    return el("div", {},
      el("h2", {}, `${obj.object_id}:v${obj.version_index}`, el("span", { class: "muted" }, ` ${obj.kind} · ${obj.base_object_class || ""} · ${obj.digest}`)),
      el("div", { class: "versions" }, "versions: ", versions.map((v) => el("span", {}, link(v), vs(v), " "))),
      other ? versionsView(other, { obj, code }) : "",
      table ? rows.rowsView(table) : "",
      code.length ? el("section", {}, el("h3", {}, "Code"), code.map(([name, text]) =>
        el("div", {}, el("p", { class: "muted" }, name), el("pre", { class: "code" }, text)))) : "",
      jsonView(obj.val));
  },
};

// An op's source: the files its value names, as the SDK stored them.
async function opCode(project, obj) {
  const files = obj.kind === "op" && obj.val && typeof obj.val.files === "object" && obj.val.files
    ? Object.entries(obj.val.files).filter(([, digest]) => typeof digest === "string") : [];
  return Promise.all(files.map(async ([name, digest]) => [name, await fileText(project, digest)]));
}

// Two versions side by side, the older on the left: each file of an op's
// code, and the value.
function versionsView(a, b) {
  const [left, right] = a.obj.version_index <= b.obj.version_index ? [a, b] : [b, a];
  const heads = [`v${left.obj.version_index}`, `v${right.obj.version_index}`];
  const files = [...new Set([...left.code, ...right.code].map(([name]) => name))];
  const text = (side, name) => (side.code.find(([n]) => n === name) || [null, ""])[1];
  return el("section", { class: "side-by-side" }, el("h3", {}, `${heads[0]} beside ${heads[1]}`),
    files.map((name) => el("div", {}, el("p", { class: "muted" }, name), diffView(text(left, name), text(right, name), heads))),
    el("p", { class: "muted" }, "value"), diffView(sortedJson(left.obj.val), sortedJson(right.obj.val), heads));
}
