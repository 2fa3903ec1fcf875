// Reading a trace as a tree (core/api/trace_tree.h).
#include "core/api/trace_tree.h"

#include "core/calls/calls.h"

namespace weft {
namespace {

// The trace id names: a call's trace (its subtree's top becomes `top`), or
// the id itself; the latest trace for "".
Result<std::string> TraceOf(Context& ctx, const std::string& project, const std::string& id,
                            std::string& top) {
  if (id.empty()) {
    WEFT_ASSIGN(Json latest,
                QueryCalls(ctx, project,
                           {{"filter", {{"trace_roots_only", true}}},
                            {"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}},
                            {"limit", 1}}));
    if (latest.empty()) return NotFound("no traces in project " + project);
    return latest[0]["trace_id"].get<std::string>();
  }
  WEFT_ASSIGN(Json call, QueryCalls(ctx, project, {{"filter", {{"call_ids", {id}}}}}));
  if (call.empty()) return id;
  top = id;
  return call[0]["trace_id"].get<std::string>();
}

}  // namespace

Status LoadTree(Context& ctx, const std::string& project, const std::string& id, TraceTree& t,
                bool with_costs) {
  std::string top;
  WEFT_ASSIGN(t.trace, TraceOf(ctx, project, id, top));
  WEFT_ASSIGN(t.calls,
              QueryCalls(ctx, project,
                         {{"filter", {{"trace_ids", {t.trace}}}}, {"include_costs", with_costs}}));
  if (t.calls.empty()) return NotFound("no calls in trace " + t.trace);
  std::map<std::string, const Json*> by_id;
  for (const Json& c : t.calls) by_id[c["id"]] = &c;
  for (const Json& c : t.calls) {
    bool orphan = !c["parent_id"].is_string() || !by_id.count(c["parent_id"]);
    if (top.empty() ? orphan : c["id"] == top)
      t.roots.push_back(&c);
    else if (!orphan)
      t.children.emplace(c["parent_id"].get<std::string>(), &c);
  }
  return Status::OK();
}

}  // namespace weft
