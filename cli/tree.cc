// Trace trees for the terminal.
#include "cli/tree.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "base/grouped.h"
#include "cli/output.h"
#include "cli/view.h"
#include "core/api/refs.h"

namespace weft::cli {
namespace {

constexpr size_t kPreviewWidth = 32;

struct Painter {
  bool color;
  std::string operator()(const char* code, const std::string& text) const {
    return Paint(color, code, text);
  }
};

std::string Latency(const Json& ms) {
  if (!ms.is_number()) return "";
  double v = ms.get<double>();
  char buf[32];
  if (v < 1000)
    std::snprintf(buf, sizeof buf, "%.0fms", v);
  else if (v < 60000)
    std::snprintf(buf, sizeof buf, "%.1fs", v / 1000);
  else
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(v / 60000),
                  static_cast<int>(v / 1000) % 60);
  return buf;
}

// What a call took and gave, short: a command line and its exit status for
// calls recorded by weft exec, else previews of the JSON.
std::string Inputs(const Json& inputs) {
  if (!inputs.contains("argv") || !inputs["argv"].is_array()) return Preview(inputs, kPreviewWidth);
  std::string line = "$";
  for (const Json& a : inputs["argv"])
    line += " " + (a.is_string() ? a.get<std::string>() : CompactDumps(a));
  return Preview(Json(line), kPreviewWidth);
}

std::string Output(const Json& output) {
  if (output.is_object() && output.contains("exit_code") && output.contains("signal")) {
    if (output["signal"].is_number()) return "signal " + CompactDumps(output["signal"]);
    return "exit " + CompactDumps(output["exit_code"]);
  }
  return Preview(output, kPreviewWidth);
}

std::string Line(const Json& call, const Painter& paint) {
  const Json& weave = call["summary"]["weave"];
  std::string status = weave.value("status", "");
  std::string mark = StatusMark(status, paint.color);
  std::string name = call["display_name"].is_string()
                         ? call["display_name"].get<std::string>()
                         : TraceName(call["op_name"].get<std::string>());
  std::string line = mark + " " + paint("1", name);
  if (std::string l = Latency(weave.value("latency_ms", Json())); !l.empty())
    line += "  " + paint("2", l);
  line += "  " + Inputs(call["inputs"]);
  if (!call["output"].is_null()) line += " \u2192 " + Output(call["output"]);
  if (call["exception"].is_string())
    line += "  " + paint("31", Preview(call["exception"], kPreviewWidth));
  return line;
}

// The last lines of a failed step's captured stderr (weft exec --capture),
// which is what a reader of a failed tree wants to see.
constexpr size_t kStderrLines = 5;
std::vector<std::string> StderrTail(const Json& call) {
  const Json& output = call["output"];
  if (call["exception"].is_null() || !output.is_object() || !output.contains("stderr_tail") ||
      !output["stderr_tail"].is_string())
    return {};
  std::vector<std::string> lines;
  std::string text = output["stderr_tail"].get<std::string>(), line;
  for (char ch : text) {
    if (ch != '\n')
      line += ch;
    else
      lines.push_back(std::move(line)), line.clear();
  }
  if (!line.empty()) lines.push_back(line);
  if (lines.size() > kStderrLines) lines.erase(lines.begin(), lines.end() - kStderrLines);
  return lines;
}

void Print(const Json& call, const Children& children, const std::string& indent, bool last,
           bool root, const Painter& paint, int depth) {
  std::printf("%s%s%s\n", indent.c_str(), root ? "" : (last ? "\u2514\u2500 " : "\u251c\u2500 "),
              Line(call, paint).c_str());
  std::string next = root ? indent : indent + (last ? "   " : "\u2502  ");
  auto [begin, end] = children.equal_range(call["id"].get<std::string>());
  for (const std::string& l : StderrTail(call))
    std::printf("%s%s %s\n", next.c_str(), begin == end ? "  " : "\u2502",
                paint("2", Preview(Json(l), 100)).c_str());
  if (depth == 0) {
    if (begin != end)
      std::printf("%s\u2514\u2500 %s\n", next.c_str(), paint("2", "\u2026").c_str());
    return;
  }
  for (auto it = begin; it != end; ++it)
    Print(*it->second, children, next, std::next(it) == end, false, paint, depth - 1);
}

// The same tree as JSON: each call with its "children", to `depth` levels.
Json Nested(const Json& call, const Children& children, int depth) {
  Json out = call;
  out["children"] = Json::array();
  auto [begin, end] = children.equal_range(call["id"].get<std::string>());
  for (auto it = begin; it != end && depth != 0; ++it)
    out["children"].push_back(Nested(*it->second, children, depth - 1));
  return out;
}

bool Failed(const Json& call) { return call["summary"]["weave"].value("status", "") == "error"; }

// Whether call or one below it failed; keeps only such children in `kept`.
bool KeepFailed(const Json& call, const Children& children, Children& kept) {
  bool any = Failed(call);
  auto [begin, end] = children.equal_range(call["id"].get<std::string>());
  for (auto it = begin; it != end; ++it)
    if (KeepFailed(*it->second, children, kept)) kept.emplace(it->first, it->second), any = true;
  return any;
}

// "  ·  1,234 tokens  ·  $0.0123": what the calls under roots used, all
// models together; "" when they used no tokens.
std::string UsageLine(Session& s, const std::string& trace, const std::vector<const Json*>& roots) {
  auto usage = CallMethod(
      "trace_usage",
      {{"project_id", s.project()}, {"filter", {{"trace_ids", {trace}}}}, {"include_costs", true}},
      s.ctx());
  if (!usage.ok()) return "";
  int64_t tokens = 0;
  double cost = 0;
  for (const Json* r : roots) {
    auto it = (*usage)["call_usage"].find((*r)["id"].get<std::string>());
    if (it == (*usage)["call_usage"].end()) continue;
    for (const auto& [model, u] : it->items()) {
      tokens += u["total_tokens"].get<int64_t>();
      for (const char* k :
           {"prompt_tokens_total_cost", "completion_tokens_total_cost",
            "cache_read_input_tokens_total_cost", "cache_creation_input_tokens_total_cost"})
        cost += u[k].is_number() ? u[k].get<double>() : 0;
    }
  }
  if (tokens == 0) return "";
  char money[32];
  std::snprintf(money, sizeof money, "$%.4f", cost);
  return "  \u00b7  " + Grouped(static_cast<size_t>(tokens)) + " tokens" +
         (cost > 0 ? std::string("  \u00b7  ") + money : "");
}

}  // namespace

std::string Paint(bool color, const char* code, const std::string& text) {
  return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}

std::string StatusMark(const std::string& status, bool color, bool word) {
  return status == "success" ? Paint(color, "32", "\u2713")
         : status == "error" ? Paint(color, "31", "\u2717")
                             : Paint(color, "33", word ? "\u2026running" : "\u2026");
}

std::string CallLine(const Json& call, bool color) { return Line(call, Painter{color}); }

void SetupCheck(CLI::App* cmd, TreeOptions& o) {
  cmd->add_option("id", o.id, "a trace id, or a call id to check its subtree");
  cmd->add_option("--trace-id", o.id, "the trace to check (as the positional)");
  cmd->fallthrough();
  cmd->footer(
      "The gate at the end of a pipeline; quiet but for a summary line on stderr when nothing "
      "failed.\n"
      "Example:\n  weft calls check --trace-id \"$WEFT_TRACE_ID\"");
}

void SetupTree(CLI::App* cmd, TreeOptions& o) {
  cmd->add_option("id", o.id, "a trace id, or a call id to show its subtree");
  cmd->add_option("--depth", o.depth,
                  "show N levels below the root (a \u2026 marks what is left out)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--errors", o.errors, "only the failed calls and the calls above them");
  cmd->fallthrough();
  cmd->footer(
      "--format json prints the tree as nested JSON (each call with its \"children\").\n"
      "Example:\n  weft calls tree\n  weft calls tree --errors --depth 2 \"$WEFT_TRACE_ID\"\n"
      "  weft --format json calls tree TRACE_ID | jq '.calls[0].children | length'");
}

int RunTree(const TreeOptions& o, const Globals& globals) {
  if (globals.format != "json" && globals.format != "table")
    return Fail(
        2, "calls tree: --format " + globals.format + " is not one it prints (json or the tree)");
  Session s(globals);
  if (Status st = s.UseOnlyProject(); !st.ok()) return Fail(st.error());
  std::string id = o.id;
  if (id.empty() && o.check)
    if (const char* env = std::getenv("WEFT_TRACE_ID")) id = env;
  TraceTree t;
  if (Status st = LoadTree(s.ctx(), s.project(), id, t); !st.ok()) return Fail(st.error());
  const std::string& trace = t.trace;
  const Json& list = t.calls;
  const Children& children = t.children;
  const std::vector<const Json*>& roots = t.roots;
  Painter paint{UseColor(globals.color)};
  Children failed;
  std::vector<const Json*> failed_roots;
  for (const Json* r : roots)
    if (KeepFailed(*r, children, failed)) failed_roots.push_back(r);
  if (o.check) {
    size_t count = 0;
    for (const Json& c : list) count += Failed(c);
    if (failed_roots.empty()) {
      std::fprintf(stderr, "weft: trace %s: %zu %s, none failed\n", trace.c_str(), list.size(),
                   list.size() == 1 ? "call" : "calls");
      return 0;
    }
    std::printf("%s\n", paint("2", "trace " + trace + ": " + std::to_string(count) + " of " +
                                       std::to_string(list.size()) + " calls failed")
                            .c_str());
    for (const Json* r : failed_roots) Print(*r, failed, "", true, true, paint, o.depth);
    return 1;
  }
  const std::vector<const Json*>& shown = o.errors ? failed_roots : roots;
  const Children& below = o.errors ? failed : children;
  if (globals.json_asked()) {
    Json out = {{"trace_id", trace}, {"calls", Json::array()}};
    for (const Json* r : shown) out["calls"].push_back(Nested(*r, below, o.depth));
    PrintJson(out, globals.pretty);
    return 0;
  }
  std::printf("%s\n", paint("2", "trace " + trace + UsageLine(s, trace, roots)).c_str());
  for (const Json* r : shown) Print(*r, below, "", true, true, paint, o.depth);
  return 0;
}

}  // namespace weft::cli
