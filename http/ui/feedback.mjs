// weft ui: a call's feedback as reactions and notes, and, when the server
// takes writes (weft ui --allow-writes), buttons and a box that give either
// through feedback/create, as an SDK's call.feedback.add_reaction/add_note.
import { postJson } from "./api.mjs";
import { el, go } from "./dom.mjs";
import { feedbackGroups, formatTime, preview } from "./lib.mjs";

const EMOJI = ["👍", "👎", "🎉", "👀", "❤️", "🚀"];

export function feedbackView({ project, call, feedback, writable }) {
  const { reactions, notes, other } = feedbackGroups(feedback);
  const status = el("span", { class: "error" });
  const give = (feedback_type, payload) =>
    postJson("/feedback/create", { project_id: project, weave_ref: `weave:///${project}/call/${call.id}`, feedback_type, payload })
      .then(() => go({}, true), (err) => { status.textContent = err.message; });
  const who = (user, at) => el("span", { class: "muted" }, ` · ${user}${at ? " " + formatTime(at) : ""}`);
  return el("div", { class: "feedback" },
    el("div", { class: "reactions" },
      reactions.map((r) => el("span", { class: "reaction", title: r.users.join(", ") }, `${r.emoji} ${r.count}`)),
      writable ? EMOJI.map((e) => el("button", { class: "react", title: `react with ${e}`, onclick: () => give("wandb.reaction.1", { emoji: e }) }, e)) : "",
      !reactions.length && !writable ? el("span", { class: "muted" }, "no reactions") : ""),
    notes.length ? el("ul", { class: "notes" }, notes.map((n) => el("li", {}, n.note, who(n.user, n.at)))) : "",
    other.length ? el("ul", {}, other.map((f) => el("li", {}, el("b", {}, f.feedback_type), " ", preview(f.payload, 200),
      who(f.wb_user_id || "", f.created_at)))) : "",
    writable ? el("form", { class: "note", onsubmit: (e) => {
        e.preventDefault();
        const note = new FormData(e.target).get("note").trim();
        if (note) give("wandb.note.1", { note });
      } },
      el("textarea", { name: "note", rows: 2, maxlength: 1024, placeholder: "add a note" }),
      el("button", { type: "submit" }, "Add note"), status) : "");
}
