// A parent's trace for a start given without one (nesting.h).
#include "cli/nesting.h"

#include <cstdlib>

#include "base/ids.h"
#include "core/api/trace_server.h"

namespace weft::cli {
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool IsHex(std::string_view s, size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string_view::npos &&
         s.find_first_not_of('0') != std::string_view::npos;
}

}  // namespace

std::optional<TraceParent> ReadTraceparent(const char* value) {
  std::string_view v = value ? value : "";
  // 00-<32 hex>-<16 hex>-<2 hex>; later versions may append fields after a '-'.
  if (v.size() < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-' || v.substr(0, 2) == "ff" ||
      v.substr(0, 2).find_first_not_of("0123456789abcdef") != std::string_view::npos ||
      v.substr(53, 2).find_first_not_of("0123456789abcdef") != std::string_view::npos ||
      (v.size() > 55 && (v.substr(0, 2) == "00" || v[55] != '-')))
    return std::nullopt;
  std::string_view trace = v.substr(3, 32), span = v.substr(36, 16);
  if (!IsHex(trace, 32) || !IsHex(span, 16)) return std::nullopt;
  return TraceParent{std::string(trace), std::string(span)};
}

std::string TraceparentOf(const std::string& trace_id, const std::string& call_id) {
  std::string trace = trace_id;
  std::erase(trace, '-');
  if (!IsHex(trace, 32) || !IsHex(call_id, 16)) return "";
  return "00-" + trace + "-" + call_id + "-01";
}

void JoinTraceparent(Json& start) {
  auto given = [&](const char* key) { return start.contains(key) && !start[key].is_null(); };
  if (!start.is_object() || given("trace_id") || given("parent_id")) return;
  if (auto tp = ReadTraceparent(std::getenv("TRACEPARENT"))) {
    start["trace_id"] = tp->trace_id;
    start["parent_id"] = tp->span_id;
    if (!given("id"))
      start["id"] = NewSpanId();  // a span of that trace, which TRACEPARENT can name in turn
  }
}

Status TraceFromParent(Json& start, Context& ctx) {
  if (!start.is_object() || !start.contains("parent_id") || !start["parent_id"].is_string())
    return Status::OK();
  if (start.contains("trace_id") && !start["trace_id"].is_null()) return Status::OK();
  const Json project = start.value("project_id", Json(nullptr));
  std::string parent = start["parent_id"].get<std::string>();
  WEFT_ASSIGN(Json read,
              CallMethod("call_read", Json{{"project_id", project}, {"id", parent}}, ctx));
  if (read["call"].is_null())
    return Invalid("--parent: no call " + parent + " in " +
                   (project.is_string() ? project.get<std::string>() : std::string("the project")) +
                   " to take the trace from (--parent, or WEFT_PARENT_ID): give --trace-id too");
  start["trace_id"] = read["call"]["trace_id"];
  return Status::OK();
}

Result<Json> CallBeingEnded(const Json& end, Context& ctx) {
  if (!end.is_object() || !end.contains("id") || !end["id"].is_string()) return Json(nullptr);
  WEFT_ASSIGN(Json read, CallMethod("call_read",
                                    Json{{"project_id", end.value("project_id", Json(nullptr))},
                                         {"id", end["id"]}},
                                    ctx));
  const Json& call = read["call"];
  if (call.is_object() && !call["ended_at"].is_null())
    ctx.warnings.push_back("call " + call["id"].get<std::string>() + " had ended already (at " +
                           call["ended_at"].get<std::string>() + "): its end is replaced");
  return call;
}

std::string StartLines(const std::string& store, const Json& project, const Json& started) {
  std::string tp =
      TraceparentOf(started["trace_id"].get<std::string>(), started["id"].get<std::string>());
  std::string traceparent = tp.empty() ? "" : "export TRACEPARENT=" + tp + "\n";
  return "export WEFT_STORE=" + ShellQuote(store) +
         "\nexport WEFT_PROJECT=" + ShellQuote(project.get<std::string>()) +
         "\nexport WEFT_TRACE_ID=" + ShellQuote(started["trace_id"].get<std::string>()) +
         "\nexport WEFT_PARENT_ID=" + ShellQuote(started["id"].get<std::string>()) + "\n" +
         traceparent;
}

std::string RestoreLines(const Json& ended) {
  if (!ended.is_object()) return "unset WEFT_PARENT_ID WEFT_TRACE_ID\n";
  std::string trace = ended["trace_id"].get<std::string>();
  bool had_traceparent =
      !TraceparentOf(trace, ended["id"].get<std::string>()).empty();  // start --export set it
  if (ended["parent_id"].is_null())
    return had_traceparent ? "unset WEFT_PARENT_ID WEFT_TRACE_ID TRACEPARENT\n"
                           : "unset WEFT_PARENT_ID WEFT_TRACE_ID\n";
  std::string parent = ended["parent_id"].get<std::string>();
  std::string tp = had_traceparent ? TraceparentOf(trace, parent) : "";
  return "export WEFT_PARENT_ID=" + ShellQuote(parent) + "\n" +
         (tp.empty() ? "" : "export TRACEPARENT=" + tp + "\n");
}

}  // namespace weft::cli
