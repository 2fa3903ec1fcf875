// Aligning two call trees: each call's place is its op path from the root
// (names as calls tree shows them, a repeated sibling numbered: test, test#2),
// so the same step of two runs lines up however the runs' ids differ.
#include "cli/diff.h"

#include <cstdio>
#include <map>
#include <set>

#include "cli/tree.h"
#include "cli/view.h"
#include "core/api/refs.h"
#include "core/api/usage.h"

namespace weft::cli {
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

Json Facts(const Json* call) {
  if (!call) return nullptr;
  const Json& weave = (*call)["summary"]["weave"];
  int64_t tokens = 0;
  for (const auto& [model, u] : UsageOf((*call)["summary"], false)) tokens += u.total_tokens;
  return {{"id", (*call)["id"]},
          {"status", weave.value("status", "")},
          {"latency_ms", weave.value("latency_ms", Json())},
          {"tokens", tokens},
          {"exception", (*call)["exception"]}};
}

std::string Change(const Json& a, const Json& b) {
  if (a.is_null()) return "added";
  if (b.is_null()) return "missing";
  return a["status"] != b["status"] ? "status" : "same";
}

std::string Ms(const Json& v) {
  return v.is_number() ? std::to_string(v.get<int64_t>()) + "ms" : "-";
}

}  // namespace

void SetupDiff(CLI::App* cmd, DiffOptions& o) {
  cmd->add_option("a", o.a, "the first trace or call id (the older run)")->required();
  cmd->add_option("b", o.b, "the second trace or call id")->required();
  cmd->fallthrough();
  cmd->footer(
      "Steps line up by their op path from the root. --format json prints the rows.\n"
      "Example:\n  weft calls diff \"$GREEN_TRACE\" \"$WEFT_TRACE_ID\"");
}

namespace {

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

// One row of the diff as text: change tag, status marks, name, deltas.
std::string DiffLine(const Json& row, const Step& step, bool color) {
  auto mark = [&](const Json& f) {
    return f.is_null() ? std::string(" ") : StatusMark(f["status"], color, false);
  };
  std::string change = row["change"];
  std::string tag = change == "added"     ? Paint(color, "32", "+ ")
                    : change == "missing" ? Paint(color, "31", "- ")
                    : change == "status"  ? Paint(color, "33", "! ")
                                          : "  ";
  std::string line = tag + std::string(2 * step.depth, ' ') + mark(row["a"]) + "\u2192" +
                     mark(row["b"]) + " " + step.path.substr(step.path.rfind('/') + 1);
  if (!row["a"].is_null() && !row["b"].is_null()) {
    line += "  " + Ms(row["a"]["latency_ms"]) + " \u2192 " + Ms(row["b"]["latency_ms"]);
    int64_t ta = row["a"]["tokens"], tb = row["b"]["tokens"];
    if (ta || tb) line += "  tokens " + std::to_string(ta) + " \u2192 " + std::to_string(tb);
  }
  const Json& failed = row["b"].is_null() ? row["a"] : row["b"];
  if (change != "same" && failed["exception"].is_string())
    line += "  " + Paint(color, "31", Preview(failed["exception"], 60));
  return line;
}

}  // namespace

int RunDiff(const DiffOptions& o, const Globals& globals) {
  Session s(globals);
  if (Status st = s.UseOnlyProject(); !st.ok()) return Fail(st.error());
  TraceTree a, b;
  if (Status st = LoadTree(s, o.a, a); !st.ok()) return Fail(st.error());
  if (Status st = LoadTree(s, o.b, b); !st.ok()) return Fail(st.error());
  std::vector<Step> left = Steps(a), right = Steps(b);
  Aligned rows = Align(left, right);
  Json out = {{"a", a.trace}, {"b", b.trace}, {"rows", Json::array()}};
  size_t changed = 0;
  for (const auto& [l, r] : rows) {
    Json fa = Facts(l ? l->call : nullptr), fb = Facts(r ? r->call : nullptr);
    std::string change = Change(fa, fb);
    changed += change != "same";
    out["rows"].push_back({{"path", (l ? l : r)->path}, {"change", change}, {"a", fa}, {"b", fb}});
  }
  if (globals.format == "json" && globals.format_given) {
    std::printf("%s\n", globals.pretty ? out.dump(2).c_str() : CompactDumps(out).c_str());
    return 0;
  }
  bool color = UseColor(globals.color);
  std::printf("%s\n", Paint(color, "2",
                            "a " + a.trace + "  b " + b.trace + "  " + std::to_string(changed) +
                                " of " + std::to_string(rows.size()) + " steps differ")
                          .c_str());
  for (size_t i = 0; i < rows.size(); ++i)
    std::printf(
        "%s\n",
        DiffLine(out["rows"][i], *(rows[i].first ? rows[i].first : rows[i].second), color).c_str());
  return 0;
}

}  // namespace weft::cli
