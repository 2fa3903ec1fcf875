// weft ui: the pure functions of the viewer (formatting, trees, queries),
// kept apart from the page so that node's test runner can test them
// (tests/ui/lib.test.mjs).

// "1.2 s", "340 ms", "2 min 5 s"; "" for null.
export function formatLatency(ms) {
  if (ms === null || ms === undefined) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const min = Math.floor(ms / 60000);
  return `${min} min ${Math.round((ms % 60000) / 1000)} s`;
}

// A call's status: success, error or running, and how to show it.
export function statusOf(call) {
  const s = call.summary && call.summary.weave && call.summary.weave.status;
  if (s) return s;
  if (call.exception) return "error";
  return call.ended_at ? "success" : "running";
}
export const STATUS_SYMBOL = { success: "✓", error: "✗", running: "…", descendant_error: "!" };

// The name a call is shown by: its display name, else the op's name
// (weave:///e/p/op/NAME:digest -> NAME).
export function callName(call) {
  if (call.display_name) return call.display_name;
  return opName(call.op_name);
}
export function opName(op) {
  const m = /^weave:\/\/\/[^/]+\/[^/]+\/op\/([^:/]+)/.exec(op || "");
  return m ? safeDecode(m[1]) : op || "";
}

// decodeURIComponent, or the text as it is where its escapes are broken:
// one bad record must never blank a page.
export function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch (e) {
    return text;
  }
}

// A short one-line view of a JSON value, at most max characters.
export function preview(value, max = 80) {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : JSON.stringify(value);
  text = text.replace(/\s+/g, " ");
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

// Token counts as "1,234" and money as "$0.0123" ("" when there is none).
export const formatTokens = (n) => (n ? n.toLocaleString("en-US") : "");
export function formatCost(usd) {
  if (!usd) return "";
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(3)}`;
}

// "2026-01-02 03:04:05" in local time from an RFC 3339 string.
export function formatTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// The milliseconds between a call's start and end (null while running).
export function latencyMs(call) {
  if (!call.ended_at || !call.started_at) return null;
  return new Date(call.ended_at) - new Date(call.started_at);
}

// The calls of a trace as a forest: [{call, children, depth}], children in
// start order; calls whose parent is not among them are roots.
export function buildTree(calls) {
  const byId = new Map(calls.map((c) => [c.id, { call: c, children: [], depth: 0 }]));
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.call.parent_id && byId.get(node.call.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  const byStart = (a, b) => (a.call.started_at < b.call.started_at ? -1 : a.call.started_at > b.call.started_at ? 1 : 0);
  const stack = roots.map((n) => [n, 0]);
  while (stack.length) {
    const [node, depth] = stack.pop();
    node.depth = depth;
    node.children.sort(byStart);
    for (const child of node.children) stack.push([child, depth + 1]);
  }
  return roots.sort(byStart);
}

// The nodes of a forest in display order, skipping the children of
// collapsed nodes (a Set of call ids).
export function flatten(roots, collapsed = new Set()) {
  const out = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const node = stack.pop();
    out.push(node);
    if (!collapsed.has(node.call.id)) for (let i = node.children.length - 1; i >= 0; --i) stack.push(node.children[i]);
  }
  return out;
}

// Where a call's bar sits on its trace's time axis: left and width in
// percent of the span from the first start to the last end.
export function timeBar(call, span) {
  const start = new Date(call.started_at) - span.start;
  const end = (call.ended_at ? new Date(call.ended_at) : span.end) - span.start;
  const total = Math.max(1, span.end - span.start);
  return { left: (100 * start) / total, width: Math.max(0.5, (100 * (end - start)) / total) };
}
export function traceSpan(calls) {
  let start = Infinity, end = -Infinity;
  for (const c of calls) {
    start = Math.min(start, new Date(c.started_at));
    end = Math.max(end, new Date(c.ended_at || c.started_at));
  }
  return { start, end: Math.max(end, start) };
}

// The calls/stream_query request of the calls list for the filters in a
// URL's query: op, status, since (e.g. 1h), roots, q (free text; fields:
// the input and output keys seen, searched with $contains).
export function callsRequest(project, filters, page = 0, pageSize = 50, textFields = []) {
  const req = {
    project_id: project,
    sort_by: [{ field: "started_at", direction: "desc" }],
    limit: pageSize,
    offset: page * pageSize,
  };
  const filter = {};
  if (filters.roots) filter.trace_roots_only = true;
  if (filters.op) filter.op_names = [filters.op.startsWith("weave:///") ? filters.op : `weave:///${project}/op/${filters.op}:*`];
  if (Object.keys(filter).length) req.filter = filter;
  const conditions = [];
  if (filters.status) conditions.push({ $eq: [{ $getField: "summary.weave.status" }, { $literal: filters.status }] });
  if (filters.since) {
    const ms = durationMs(filters.since);
    if (ms) conditions.push({ $gte: [{ $getField: "started_at" }, { $literal: new Date(Date.now() - ms).toISOString() }] });
  }
  if (filters.q) {
    const fields = ["op_name", "display_name", "exception", "output", ...textFields];
    conditions.push({
      $or: fields.map((f) => ({ $contains: { input: { $getField: f }, substr: { $literal: filters.q }, case_insensitive: true } })),
    });
  }
  if (conditions.length) req.query = { $expr: conditions.length === 1 ? conditions[0] : { $and: conditions } };
  return req;
}

// "15m", "2h", "7d" -> milliseconds; 0 when not a duration.
export function durationMs(text) {
  const m = /^(\d+)([smhdw])$/.exec(text || "");
  if (!m) return 0;
  return Number(m[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[2]];
}

// The keys of inputs and output seen in some calls, as query fields
// (inputs.prompt, output.text), for the free-text search.
export function textFields(calls, max = 12) {
  const seen = new Set();
  for (const c of calls) {
    for (const [col, v] of [["inputs", c.inputs], ["output", c.output]])
      if (v && typeof v === "object" && !Array.isArray(v)) for (const k of Object.keys(v)) seen.add(`${col}.${k}`);
  }
  return [...seen].slice(0, max);
}

// A weave:/// ref's parts, or null: {project, kind, name, digest, extra}.
export function parseRef(s) {
  const m = /^weave:\/\/\/([^/]+\/[^/]+)\/(object|op|table|call)\/([^/]+)(\/.*)?$/.exec(s || "");
  if (!m) return null;
  const [name, digest] = m[2] === "object" || m[2] === "op" ? m[3].split(":") : [m[3], ""];
  return { project: m[1], kind: m[2], name: safeDecode(name), digest: digest || "", extra: m[4] || "" };
}

// The output a step captured (weft exec --capture, a test case's system-out
// and system-err): [["stdout", text], ["stderr", text]] for those present,
// terminal colour and cursor codes taken out.
export function capturedLogs(output) {
  if (!output || typeof output !== "object") return [];
  const strip = (text) => text.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, "");
  return [["stdout", output.stdout_tail], ["stderr", output.stderr_tail]]
    .filter(([, text]) => typeof text === "string" && text !== "")
    .map(([name, text]) => [name, strip(text)]);
}

// Per trace, from its calls (in start order, with id, trace_id and
// exception): how many calls it holds, how many failed, and the first
// error's text. {trace_id: {count, errors, error}}
export function traceTotals(calls) {
  const out = {};
  for (const c of calls) {
    const t = (out[c.trace_id] ||= { count: 0, errors: 0, error: null });
    ++t.count;
    if (c.exception) {
      ++t.errors;
      t.error ??= c.exception;
    }
  }
  return out;
}

// A call's usage rolled up over its descendants (one entry of calls/usage's
// call_usage: {model: usage with costs}) as total tokens and total cost.
export function usageTotals(byModel) {
  let tokens = 0, cost = 0;
  for (const u of Object.values(byModel || {})) {
    tokens += u.total_tokens || 0;
    for (const k of ["prompt_tokens_total_cost", "completion_tokens_total_cost",
                     "cache_read_input_tokens_total_cost", "cache_creation_input_tokens_total_cost"]) cost += u[k] || 0;
  }
  return { tokens, cost };
}

// The columns a list shows: those named in the URL (cols=a,b) that exist,
// else the defaults.
export function pickColumns(text, known, defaults) {
  const asked = (text || "").split(",").filter((c) => known.includes(c));
  return asked.length ? asked : defaults;
}

// A call's feedback as people read it: reactions counted by emoji (who gave
// each), notes in order, and any other kind as it is.
export function feedbackGroups(feedback) {
  const reactions = new Map(), notes = [], other = [];
  for (const f of feedback) {
    const p = f.payload || {};
    if (f.feedback_type === "wandb.reaction.1" && typeof p.emoji === "string") {
      const r = reactions.get(p.emoji) || { emoji: p.emoji, count: 0, users: [] };
      ++r.count;
      if (f.wb_user_id && !r.users.includes(f.wb_user_id)) r.users.push(f.wb_user_id);
      reactions.set(p.emoji, r);
    } else if (f.feedback_type === "wandb.note.1" && typeof p.note === "string") {
      notes.push({ note: p.note, user: f.wb_user_id || "", at: f.created_at });
    } else {
      other.push(f);
    }
  }
  return { reactions: [...reactions.values()], notes, other };
}
