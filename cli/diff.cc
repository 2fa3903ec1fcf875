// Renders calls_diff for the terminal (diff.h): one line a step, its
// change tagged; the alignment itself is core's (core/calls/calls_diff.cc).
#include "cli/diff.h"

#include <cstdio>

#include "cli/output.h"
#include "cli/tree.h"
#include "cli/view.h"

namespace weft::cli {
namespace {

std::string Ms(const Json& v) {
  return v.is_number() ? std::to_string(v.get<int64_t>()) + "ms" : "-";
}

// One row of the diff as text: change tag, status marks, name, deltas.
std::string DiffLine(const Json& row, bool color) {
  auto mark = [&](const Json& f) {
    return f.is_null() ? std::string(" ") : StatusMark(f["status"], color, false);
  };
  std::string change = row["change"], path = row["path"];
  std::string tag = change == "added"     ? Paint(color, "32", "+ ")
                    : change == "missing" ? Paint(color, "31", "- ")
                    : change == "status"  ? Paint(color, "33", "! ")
                                          : "  ";
  std::string line = tag + std::string(2 * row["depth"].get<size_t>(), ' ') + mark(row["a"]) +
                     "\u2192" + mark(row["b"]) + " " + path.substr(path.rfind('/') + 1);
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

void SetupDiff(CLI::App* cmd, DiffOptions& o) {
  cmd->add_option("a", o.a, "the first trace or call id (the older run)")->required();
  cmd->add_option("b", o.b, "the second trace or call id")->required();
  cmd->fallthrough();
  cmd->footer(
      "Steps line up by their op path from the root. --format json prints the rows.\n"
      "Example:\n  weft calls diff \"$GREEN_TRACE\" \"$WEFT_TRACE_ID\"");
}

int RunDiff(const DiffOptions& o, const Globals& globals) {
  auto diff = CallOnProject(globals, "calls_diff", {{"a", o.a}, {"b", o.b}});
  if (!diff.ok()) return Fail(diff.error());
  const Json& out = *diff;
  if (globals.json_asked()) return PrintJson(out, globals.pretty), 0;
  bool color = UseColor(globals.color);
  std::printf("%s\n",
              Paint(color, "2",
                    "a " + out["a"].get<std::string>() + "  b " + out["b"].get<std::string>() +
                        "  " + std::to_string(out["changed"].get<int64_t>()) + " of " +
                        std::to_string(out["rows"].size()) + " steps differ")
                  .c_str());
  for (const Json& row : out["rows"]) std::printf("%s\n", DiffLine(row, color).c_str());
  return 0;
}

}  // namespace weft::cli
