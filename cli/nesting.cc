// A parent's trace for a start given without one (nesting.h).
#include "cli/nesting.h"

namespace weft::cli {

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

}  // namespace weft::cli
