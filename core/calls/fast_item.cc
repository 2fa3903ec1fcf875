// Reading well-formed start and end items with the JSON cursor, straight
// into a CallPart.
#include "core/calls/fast_item.h"

#include "base/ids.h"
#include "base/json_cursor.h"
#include "core/api/refs.h"

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

// Sets the text or time field `key` of a start (or end) from s; false for
// a field the fast path leaves to the general reader.
bool SetField(CallPart& p, std::string_view key, std::string_view s) {
  if (key == "project_id") return p.project = s, true;
  int field = FindCallField(key);
  if (field < 0 || !kCallFields[field].in(p.start)) return false;
  bool set = false;
  VisitField(p.call, field, [&](const CallFieldInfo& f, auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      v = std::string(s), set = true;
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (f.kind == FieldKind::kName) v = s, set = true;
    } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
      if (f.kind == FieldKind::kTime) v = ParseTime(s), set = true;
    }
  });
  return set;
}

// Reads the members of a start or end object into p; false on anything the
// fast path does not handle.
bool ReadFields(JsonCursor& in, CallPart& p, const Context& ctx) {
  CallRecord& c = p.call;
  bool has[CallField::kCount] = {};
  std::string_view key, s;
  std::string scratch;
  if (!p.start) c.output = "null";
  while (in.Member(key)) {
    int field = FindCallField(key);
    bool json = field >= 0 && kCallFields[field].json() && kCallFields[field].in(p.start);
    if (json) {
      std::string& text = field == CallField::inputs       ? c.inputs
                          : field == CallField::attributes ? c.attributes
                          : field == CallField::output     ? c.output
                                                           : c.summary;
      if (!Compact(in, text, field != CallField::output)) return false;
    } else if (key == "exception" && !p.start && in.Null()) {
      continue;
    } else if (!in.String(s, scratch) || !SetField(p, key, s)) {
      return false;  // only strings from here on
    }
    if (field >= 0) has[field] = true;
  }
  if (!in.ok() || p.project.empty()) return false;
  if (!p.start)
    return !c.id.empty() && c.ended_at && has[CallField::summary] && CheckEnd(p, "end").ok();
  if (!has[CallField::op_name] || !has[CallField::inputs] || !has[CallField::attributes] ||
      !c.started_at)
    return false;
  if (c.id.empty()) c.id = NewId();
  if (c.trace_id.empty()) c.trace_id = NewId();
  c.wb_user_id = UserOf(c.wb_user_id, ctx);
  return CheckStart(p, "start").ok();
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
      if (!in.Object() || !in.Member(body_key) || (body_key != "start" && body_key != "end"))
        return std::nullopt;
      p.start = body_key == "start";
      if (!in.Object() || !ReadFields(in, p, ctx)) return std::nullopt;
      if (in.Member(key) || !in.ok()) return std::nullopt;  // req holds one member
    } else {
      return std::nullopt;
    }
  }
  if (members != 2 || mode != body_key || !in.AtEnd()) return std::nullopt;
  return p;
}

}  // namespace weft
