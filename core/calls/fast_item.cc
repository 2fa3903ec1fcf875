// simdjson-based reading of well-formed start and end items.
#include "core/calls/fast_item.h"

#include <simdjson.h>

#include "base/ids.h"
#include "core/refs.h"

namespace weft {
namespace {

namespace dom = simdjson::dom;

// The element as compact JSON text, or nullopt when it holds a ref (the
// general reader collects those) or a number simdjson cannot hold exactly.
std::optional<std::string> Compact(dom::element e) {
  std::string text = simdjson::minify(e);
  if (MayHoldRef(text)) return std::nullopt;
  return text;
}

// Reads the fields of a start or end object into p; false on anything the
// fast path does not handle.
bool ReadStartFields(dom::object o, CallPart& p, const Context& ctx) {
  CallRecord& c = p.call;
  bool has_attributes = false, has_inputs = false, has_op = false;
  std::optional<std::string> user;
  for (auto field : o) {
    std::string_view key = field.key;
    std::string_view s;
    if (key == "attributes" || key == "inputs") {
      if (!field.value.is_object()) return false;
      auto text = Compact(field.value);
      if (!text) return false;
      (key == "inputs" ? c.inputs : c.attributes) = std::move(*text);
      (key == "inputs" ? has_inputs : has_attributes) = true;
      continue;
    }
    if (field.value.get_string().get(s)) return false;  // only strings from here on
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
  if (p.project.empty() || !has_op || !has_inputs || !has_attributes || !c.started_at) return false;
  if (c.id.empty()) c.id = NewId();
  if (c.trace_id.empty()) c.trace_id = NewId();
  c.wb_user_id = UserOf(user, ctx);
  return CheckStart(p, "start").ok();
}

bool ReadEndFields(dom::object o, CallPart& p) {
  CallRecord& c = p.call;
  bool has_summary = false;
  c.output = "null";
  for (auto field : o) {
    std::string_view key = field.key;
    std::string_view s;
    if (key == "output" || key == "summary") {
      if (key == "summary" && !field.value.is_object()) return false;
      auto text = Compact(field.value);
      if (!text) return false;
      (key == "output" ? c.output : c.summary) = std::move(*text);
      has_summary |= key == "summary";
      continue;
    }
    if (key == "exception" && field.value.is_null()) continue;
    if (field.value.get_string().get(s)) return false;
    if (key == "project_id") p.project = s;
    else if (key == "id") c.id = s;
    else if (key == "exception") c.exception = std::string(s);
    else if (key == "ended_at") c.ended_at = ParseTime(s);
    else return false;
  }
  if (p.project.empty() || c.id.empty() || !c.ended_at || !has_summary) return false;
  return CheckEnd(p, "end").ok();
}

}  // namespace

std::optional<CallPart> ReadItemFast(std::string_view line, const Context& ctx) {
  thread_local dom::parser parser;
  dom::object top, req, body;
  if (parser.parse(line.data(), line.size()).get(top) || top.size() != 2) return std::nullopt;
  std::string_view mode;
  if (top["mode"].get_string().get(mode) || top["req"].get_object().get(req) || req.size() != 1)
    return std::nullopt;
  CallPart p;
  p.start = mode == "start";
  if ((!p.start && mode != "end") || req[mode].get_object().get(body)) return std::nullopt;
  bool ok = p.start ? ReadStartFields(body, p, ctx) : ReadEndFields(body, p);
  if (!ok) return std::nullopt;
  return p;
}

}  // namespace weft
