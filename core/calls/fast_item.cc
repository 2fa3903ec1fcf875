// Reading well-formed start and end items with the JSON cursor, straight
// into a CallPart.
#include "core/calls/fast_item.h"

#include "base/ids.h"
#include "base/json_cursor.h"
#include "core/refs.h"

namespace weft {
namespace {

// The next value, an object when `object`, as compact JSON text in into;
// false when it is something else or holds a ref (the general reader
// collects those).
bool Compact(JsonCursor& in, std::string& into, bool object) {
  std::string_view raw;
  into.clear();
  return (!object || in.Peek() == '{') && in.Raw(raw, &into) && !MayHoldRef(raw);
}

// Reads the members of a start object into p; false on anything the fast
// path does not handle.
bool ReadStartFields(JsonCursor& in, CallPart& p, const Context& ctx) {
  CallRecord& c = p.call;
  bool has_attributes = false, has_inputs = false, has_op = false;
  std::optional<std::string> user;
  std::string_view key, s;
  std::string scratch;
  while (in.Member(key)) {
    if (key == "attributes" || key == "inputs") {
      if (!Compact(in, key == "inputs" ? c.inputs : c.attributes, true)) return false;
      (key == "inputs" ? has_inputs : has_attributes) = true;
      continue;
    }
    if (!in.String(s, scratch)) return false;  // only strings from here on
    if (key == "project_id") p.project = s;
    else if (key == "id") c.id = s;
    else if (key == "trace_id") c.trace_id = s;
    else if (key == "op_name") c.op_name = s, has_op = true;
    else if (key == "parent_id") c.parent_id = std::string(s);
    else if (key == "display_name") c.display_name = std::string(s);
    else if (key == "wb_user_id") user = std::string(s);
    else if (key == "wb_run_id") c.wb_run_id = std::string(s);
    else if (key == "started_at") c.started_at = ParseTime(s);
    else return false;
  }
  if (!in.ok() || p.project.empty() || !has_op || !has_inputs || !has_attributes || !c.started_at) return false;
  if (c.id.empty()) c.id = NewId();
  if (c.trace_id.empty()) c.trace_id = NewId();
  c.wb_user_id = UserOf(user, ctx);
  return CheckStart(p, "start").ok();
}

bool ReadEndFields(JsonCursor& in, CallPart& p) {
  CallRecord& c = p.call;
  bool has_summary = false;
  c.output = "null";
  std::string_view key, s;
  std::string scratch;
  while (in.Member(key)) {
    if (key == "output" || key == "summary") {
      if (!Compact(in, key == "output" ? c.output : c.summary, key == "summary")) return false;
      has_summary |= key == "summary";
      continue;
    }
    if (key == "exception" && in.Null()) continue;
    if (!in.String(s, scratch)) return false;
    if (key == "project_id") p.project = s;
    else if (key == "id") c.id = s;
    else if (key == "exception") c.exception = std::string(s);
    else if (key == "ended_at") c.ended_at = ParseTime(s);
    else return false;
  }
  if (!in.ok() || p.project.empty() || c.id.empty() || !c.ended_at || !has_summary) return false;
  return CheckEnd(p, "end").ok();
}

}  // namespace

std::optional<CallPart> ReadItemFast(std::string_view line, const Context& ctx) {
  // {"mode": m, "req": {m: {...}}}, the two members in either order.
  JsonCursor in(line);
  CallPart p;
  std::string_view key, mode, body_key;
  std::string scratch;
  int members = 0;
  if (!in.Object()) return std::nullopt;
  while (in.Member(key)) {
    ++members;
    if (key == "mode" && mode.empty()) {
      if (!in.String(mode, scratch) || mode.empty()) return std::nullopt;
      mode = mode == "start" ? "start" : mode == "end" ? "end" : "";  // scratch may be reused below
      if (mode.empty()) return std::nullopt;
    } else if (key == "req" && body_key.empty()) {
      if (!in.Object() || !in.Member(body_key) || (body_key != "start" && body_key != "end")) return std::nullopt;
      p.start = body_key == "start";
      if (!in.Object() || !(p.start ? ReadStartFields(in, p, ctx) : ReadEndFields(in, p))) return std::nullopt;
      if (in.Member(key) || !in.ok()) return std::nullopt;  // req holds one member
    } else {
      return std::nullopt;
    }
  }
  if (members != 2 || mode != body_key || !in.AtEnd()) return std::nullopt;
  return p;
}

}  // namespace weft
