// calls_diff, weft's own (docs/command-line.md#calls-diff): two traces, or
// two calls' subtrees, aligned step by step. A call's place is its op path
// from the root (names as calls tree shows them, a repeated sibling
// numbered: test, test#2), so the same step of two runs lines up however
// the runs' ids differ; each aligned row says whether the step was added,
// went missing, changed status or stayed, with both sides' facts.
#include <map>
#include <set>

#include "core/api/refs.h"
#include "core/api/trace_tree.h"
#include "core/api/usage.h"
#include "core/fields.h"
#include "core/methods.h"

namespace weft {
namespace {

struct Step {
  std::string path;  // "ci/test#2"
  int depth = 0;
  const Json* call = nullptr;
};

// The calls of a tree in depth-first order, each with its op path.
void Walk(const Json& call, const Children& children, const std::string& parent, int depth,
          std::vector<Step>& out) {
  std::string name = TraceName(call["op_name"].get<std::string>());
  std::string path = parent.empty() ? name : parent + "/" + name;
  int same = 0;
  for (const Step& s : out)
    if (s.path == path || s.path.starts_with(path + "#")) ++same;
  if (same > 0) path += "#" + std::to_string(same + 1);
  out.push_back({path, depth, &call});
  auto [begin, end] = children.equal_range(call["id"].get<std::string>());
  for (auto it = begin; it != end; ++it) Walk(*it->second, children, path, depth + 1, out);
}

std::vector<Step> Steps(const TraceTree& t) {
  std::vector<Step> out;
  for (const Json* r : t.roots) Walk(*r, t.children, "", 0, out);
  return out;
}

// One side of a row: what the call was and did (null when absent).
Json Facts(const Json* call) {
  if (!call) return nullptr;
  const Json& weave = (*call)["summary"]["weave"];
  int64_t tokens = 0;
  double cost = 0;
  for (const auto& [model, u] : UsageOf((*call)["summary"], true)) {
    tokens += u.total_tokens;
    cost += u.cost();
  }
  return {{"id", (*call)["id"]},
          {"status", weave.value("status", "")},
          {"latency_ms", weave.value("latency_ms", Json())},
          {"tokens", tokens},
          {"cost", cost},
          {"exception", (*call)["exception"]}};
}

std::string Change(const Json& a, const Json& b) {
  if (a.is_null()) return "added";
  if (b.is_null()) return "missing";
  return a["status"] != b["status"] ? "status" : "same";
}

using Aligned = std::vector<std::pair<const Step*, const Step*>>;  // (a's, b's); one may be null

// A's steps in order, each with B's of the same path; then B's steps A
// lacks, each after its parent's last row.
Aligned Align(const std::vector<Step>& left, const std::vector<Step>& right) {
  std::map<std::string, const Step*> in_b;
  for (const Step& r : right) in_b[r.path] = &r;
  Aligned rows;
  std::set<std::string> matched;
  for (const Step& l : left) {
    auto it = in_b.find(l.path);
    rows.push_back({&l, it == in_b.end() ? nullptr : it->second});
    if (it != in_b.end()) matched.insert(l.path);
  }
  for (const Step& r : right) {
    if (matched.count(r.path)) continue;
    std::string parent = r.path.substr(0, r.path.rfind('/'));
    auto at = rows.end();
    for (auto it = rows.begin(); it != rows.end(); ++it) {
      const std::string& p = (it->first ? it->first : it->second)->path;
      if (p == parent || p.starts_with(parent + "/")) at = std::next(it);
    }
    rows.insert(r.path.find('/') == std::string::npos ? rows.end() : at, {nullptr, &r});
  }
  return rows;
}

}  // namespace

Result<Json> CallsDiff(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string a_id = f.Str("a"), b_id = f.Str("b");
  WEFT_TRY(f.Finish());
  TraceTree a, b;
  WEFT_TRY(LoadTree(ctx, project, a_id, a, true));
  WEFT_TRY(LoadTree(ctx, project, b_id, b, true));
  std::vector<Step> left = Steps(a), right = Steps(b);
  Json out = {{"a", a.trace}, {"b", b.trace}, {"changed", 0}, {"rows", Json::array()}};
  int64_t changed = 0;
  for (const auto& [l, r] : Align(left, right)) {
    Json fa = Facts(l ? l->call : nullptr), fb = Facts(r ? r->call : nullptr);
    std::string change = Change(fa, fb);
    changed += change != "same";
    const Step& step = l ? *l : *r;
    out["rows"].push_back(
        {{"path", step.path}, {"depth", step.depth}, {"change", change}, {"a", fa}, {"b", fb}});
  }
  out["changed"] = changed;
  return out;
}

}  // namespace weft
