// One trace, or one call's subtree, as a tree of CallSchema JSON: what
// `weft calls tree` and `calls check` print and calls_diff aligns
// (docs/command-line.md#calls-check, #calls-diff).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "core/api/context.h"

namespace weft {

using Children = std::multimap<std::string, const Json*>;

// Its calls, the roots shown and each call's children, pointing into
// `calls` (so a TraceTree stays put).
struct TraceTree {
  std::string trace;
  Json calls;
  std::vector<const Json*> roots;
  Children children;
  TraceTree() = default;
  TraceTree(const TraceTree&) = delete;
  TraceTree& operator=(const TraceTree&) = delete;
};

// The trace `id` names (or the trace of the call it names, shown from that
// call; the project's latest trace for ""), NotFound when there is none;
// with_costs prices each call's usage (summary.weave.costs).
Status LoadTree(Context& ctx, const std::string& project, const std::string& id, TraceTree& out,
                bool with_costs = false);

}  // namespace weft
