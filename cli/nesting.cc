// A parent's trace for a start given without one (nesting.h).
#include "cli/nesting.h"

namespace weft::cli {
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Status TraceFromParent(Json& start, Context& ctx) {
  if (!start.is_object() || !start.contains("parent_id") || !start["parent_id"].is_string()) return Status::OK();
  if (start.contains("trace_id") && !start["trace_id"].is_null()) return Status::OK();
  const Json project = start.value("project_id", Json(nullptr));
  std::string parent = start["parent_id"].get<std::string>();
  WEFT_ASSIGN(Json read, CallMethod("call_read", Json{{"project_id", project}, {"id", parent}}, ctx));
  if (read["call"].is_null())
    return Invalid("--parent: no call " + parent + " in " +
                   (project.is_string() ? project.get<std::string>() : std::string("the project")) +
                   " to take the trace from (--parent, or WEFT_PARENT_ID): give --trace-id too");
  start["trace_id"] = read["call"]["trace_id"];
  return Status::OK();
}

Result<Json> CallBeingEnded(const Json& end, Context& ctx) {
  if (!end.is_object() || !end.contains("id") || !end["id"].is_string()) return Json(nullptr);
  WEFT_ASSIGN(Json read, CallMethod("call_read", Json{{"project_id", end.value("project_id", Json(nullptr))},
                                                       {"id", end["id"]}}, ctx));
  const Json& call = read["call"];
  if (call.is_object() && !call["ended_at"].is_null())
    ctx.warnings.push_back("call " + call["id"].get<std::string>() + " had ended already (at " +
                           call["ended_at"].get<std::string>() + "): its end is replaced");
  return call;
}

std::string StartLines(const std::string& store, const Json& project, const Json& started) {
  return "export WEFT_STORE=" + ShellQuote(store) + "\nexport WEFT_PROJECT=" + ShellQuote(project.get<std::string>()) +
         "\nexport WEFT_TRACE_ID=" + ShellQuote(started["trace_id"].get<std::string>()) +
         "\nexport WEFT_PARENT_ID=" + ShellQuote(started["id"].get<std::string>()) + "\n";
}

std::string RestoreLines(const Json& ended) {
  if (!ended.is_object() || ended["parent_id"].is_null()) return "unset WEFT_PARENT_ID WEFT_TRACE_ID\n";
  return "export WEFT_PARENT_ID=" + ShellQuote(ended["parent_id"].get<std::string>()) + "\n";
}

}  // namespace weft::cli
