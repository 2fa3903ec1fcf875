// weft ui: building the page: elements, the URL that holds the view and its
// filters, JSON with links on its refs, status badges, the one pager, two
// texts side by side with their changed lines marked.
import { lineDiff, sideBySide } from "./diff.mjs";
import { STATUS_SYMBOL, preview, statusOf } from "./lib.mjs";

export const PAGE = 50;  // rows a page, in every list

export function params() { return new URLSearchParams(location.search); }

// Changes the URL's view and filters, and asks for the page to show it.
export function go(changes, replace = false) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) (v === null || v === "" || v === false ? p.delete(k) : p.set(k, v));
  history[replace ? "replaceState" : "pushState"](null, "", "?" + p.toString());
  window.dispatchEvent(new Event("weft:navigate"));
}

export function el(tag, attrs = {}, ...children) {
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
export function jsonView(value) {
  const pre = el("pre", { class: "json" });
  pre.innerHTML = escapeHtml(JSON.stringify(value, null, 2) ?? "null").replace(
    /"(weave:\/\/\/[^"\s]+)"/g, (m, ref) => `"<a href="#" class="ref" data-ref="${ref}">${ref}</a>"`);
  return pre;
}

// A value in a table cell: a ref as a link, anything else previewed.
export function cell(v) {
  return typeof v === "string" && v.startsWith("weave:///") ? el("a", { href: "#", class: "ref", "data-ref": v }, v) : preview(v, 120);
}

// The status the server answered for a call, as a symbol.
export function statusBadge(call) {
  const s = statusOf(call);
  return el("span", { class: `status ${s}`, title: s }, STATUS_SYMBOL[s] || "?");
}

// Previous and next page buttons around where the list is. count is the
// number of rows when known (null: only whether a next page may exist, from
// how many rows this page shows).
export function pager({ page, count = null, shown, noun = "", prev = "‹", next = "›" }) {
  const last = count === null ? (shown < PAGE ? page : page + 1) : Math.max(0, Math.ceil(count / PAGE) - 1);
  const where = count === null ? ` page ${page + 1} ` : ` ${noun ? `${count} ${noun} · ` : ""}page ${page + 1} of ${last + 1} `;
  return el("div", { class: "pager" },
    el("button", { disabled: page === 0, onclick: () => go({ page: page - 1 || null }) }, prev),
    el("span", {}, where),
    el("button", { disabled: page >= last, onclick: () => go({ page: page + 1 }) }, next));
}

// Two texts side by side, line by line, changed lines marked; headings
// name the sides.
export function diffView(left, right, headings = ["a", "b"]) {
  const rows = sideBySide(lineDiff(left, right));
  const side = (text, kind) => el("td", { class: `line ${text === null ? "none" : kind}` }, text ?? "");
  return el("table", { class: "diff" }, el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, side(r.left, r.kind === "same" ? "same" : "old"),
      side(r.right, r.kind === "same" ? "same" : "new")))));
}

// Row checkboxes that pick items to compare, and the button that compares
// them once at least `min` are picked: open(ids) is given them in order.
export function picker(min, label, open) {
  const picked = [];
  const button = el("button", { type: "button", class: "compare", disabled: true, onclick: () => open(picked) }, label);
  const box = (id) => el("input", { type: "checkbox", class: "pick", title: "pick to compare", checked: picked.includes(id),
    onclick: (e) => e.stopPropagation(),
    onchange: (e) => {
      e.target.checked ? picked.push(id) : picked.splice(picked.indexOf(id), 1);
      button.disabled = picked.length < min;
    } });
  return { button, box };
}
