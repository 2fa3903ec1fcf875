// Reading well-formed start and end items with the JSON cursor, straight
// into a CallPart.
#include "core/calls/fast_item.h"

#include "base/ids.h"
#include "base/json_cursor.h"
#include "core/api/refs.h"

namespace weft {
namespace {

// The next value, an object when `object`, as CompactDumps writes it (so
// that reads and exports pass it on as it is) in into; false when it is
// something else or holds a ref (the general reader collects those).
bool Compact(JsonCursor& in, std::string& into, bool object) {
  into.clear();
  return (!object || in.Peek() == '{') && WriteCanonical(in, into) && !MayHoldRef(into);
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

// Reads the member `key` of a start or end object into p (has marks it);
// false on anything the fast path does not handle.
bool ReadMember(JsonCursor& in, std::string_view key, CallPart& p, bool has[]) {
  CallRecord& c = p.call;
  std::string_view s;
  std::string scratch;
  int field = FindCallField(key);
  bool json = field >= 0 && kCallFields[field].json() && kCallFields[field].in(p.start);
  if (json) {
    std::string& text = field == CallField::inputs       ? c.inputs
                        : field == CallField::attributes ? c.attributes
                        : field == CallField::output     ? c.output
                                                         : c.summary;
    if (!Compact(in, text, field != CallField::output)) return false;
  } else if (!in.String(s, scratch) || !SetField(p, key, s)) {
    return false;  // only strings from here on
  }
  if (field >= 0) has[field] = true;
  return true;
}

// Whether a part read member by member is whole and valid, as the general
// reader would find it; fills in a start's ids.
bool Complete(CallPart& p, const bool has[], const Context& ctx) {
  CallRecord& c = p.call;
  if (p.project.empty()) return false;
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

// Whether the general reader takes a null `field` of a start (or end) as
// absent: an optional field of that part, or a start's id or trace id,
// which are then made up. The SDKs send nulls for what a call lacks.
bool AbsentWhenNull(int field, bool start) {
  if (field < 0 || !kCallFields[field].in(start)) return false;
  return kCallFields[field].optional() ||
         (start && (field == CallField::id || field == CallField::trace_id));
}

// Reads the members of a start or end object into p; false on anything the
// fast path does not handle.
bool ReadFields(JsonCursor& in, CallPart& p, const Context& ctx) {
  bool has[CallField::kCount] = {};
  std::string_view key;
  if (!p.start) p.call.output = "null";
  while (in.Member(key)) {
    if (int field = FindCallField(key); AbsentWhenNull(field, p.start) && in.Null()) {
      // as absent, also after an earlier member of the same name (the last one counts)
      VisitField(p.call, field, [](const CallFieldInfo&, auto& v) { v = {}; });
      has[field] = false;
      continue;
    }
    if (!ReadMember(in, key, p, has)) return false;
  }
  return in.ok() && Complete(p, has, ctx);
}

// A stored summary from CallSchema's: without the keys of summary.weave
// that the store derives (DropDerived), into out; false on anything else.
bool StoredSummary(JsonCursor& in, std::string& out) {
  std::string_view key;
  out = "{";
  if (!in.Object()) return false;
  while (in.Member(key)) {
    std::string name(key), text, weave = "{";
    if (name != "weave") {
      if (!Compact(in, text, false)) return false;
      AppendMember(out, name, text);
      continue;
    }
    if (!in.Object()) return false;
    while (in.Member(key)) {
      std::string inner(key);
      text.clear();
      if (!Compact(in, text, false)) return false;
      if (!IsDerivedKey(inner)) AppendMember(weave, inner, text);
    }
    if (weave.size() > 1) AppendMember(out, "weave", weave + '}');
  }
  out += '}';
  return in.ok();
}

// Reads a CallSchema's members into the parts of a call; false on anything
// the fast path does not handle.
bool ReadSchema(JsonCursor& in, CallPart& start, CallPart& end, const Context& ctx) {
  bool has_start[CallField::kCount] = {}, has_end[CallField::kCount] = {};
  std::string_view key, s;
  std::string scratch;
  end.call.output = "null";
  while (in.Member(key)) {
    int field = FindCallField(key);
    if (key == "project_id") {
      if (!in.String(s, scratch)) return false;
      start.project = end.project = s;
    } else if (field == CallField::summary) {
      if (!StoredSummary(in, end.call.summary)) return false;
      has_end[field] = true;
    } else if (field == CallField::id) {
      if (!ReadMember(in, key, start, has_start)) return false;
      end.call.id = start.call.id;
    } else if (field < 0 || kCallFields[field].part == FieldPart::kStore) {
      if (field < 0 || !in.Null()) return false;  // deleted calls are not exported
    } else if (!(kCallFields[field].optional() || field == CallField::ended_at) || !in.Null()) {
      CallPart& p = kCallFields[field].in(true) ? start : end;
      if (!ReadMember(in, key, p, p.start ? has_start : has_end)) return false;
    }
  }
  return in.ok() && Complete(start, has_start, ctx) &&
         (!end.call.ended_at || Complete(end, has_end, ctx));
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

std::optional<std::vector<CallPart>> ReadCallRecordFast(std::string_view line, const Context& ctx) {
  JsonCursor in(line);  // {"call": {...}}
  std::string_view key;
  CallPart start{true, "", {}}, end{false, "", {}};
  if (!in.Object() || !in.Member(key) || key != "call" || !in.Object() ||
      !ReadSchema(in, start, end, ctx) || in.Member(key) || !in.ok() || !in.AtEnd())
    return std::nullopt;
  std::vector<CallPart> parts;
  parts.push_back(std::move(start));
  if (end.call.ended_at) parts.push_back(std::move(end));
  return parts;
}

}  // namespace weft
