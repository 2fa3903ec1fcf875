// Renders evaluations_compare for the terminal (eval_compare.h); the
// comparison itself is core's (core/calls/evaluations_compare.cc).
#include "cli/eval_compare.h"

#include <cmath>
#include <cstdio>

#include "cli/output.h"
#include "cli/tree.h"
#include "cli/view.h"
#include "core/api/refs.h"

namespace weft::cli {
namespace {

// The text report: the evaluations, each metric's means, the changed rows.
void PrintReport(const Json& r, bool color) {
  const Json& evals = r["evaluations"];
  for (size_t i = 0; i < evals.size(); ++i)
    std::printf("%c  %s  %s  %zu rows\n", static_cast<char>('A' + std::min<size_t>(i, 25)),
                evals[i]["id"].get<std::string>().c_str(),
                evals[i]["name"].get<std::string>().c_str(), evals[i]["rows"].get<size_t>());
  auto num = [](const Json& v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v.is_number() ? v.get<double>() : NAN);
    return v.is_number() ? std::string(buf) : std::string("-");
  };
  for (const auto& [metric, m] : r["metrics"].items()) {
    std::string line = "  " + metric + "  ";
    for (size_t i = 0; i < m["means"].size(); ++i)
      line += (i ? " \u2192 " : "") + num(m["means"][i]);
    std::printf("%s\n",
                (m["regressed"].get<bool>() ? Paint(color, "31", line + "  worse") : line).c_str());
  }
  size_t unchanged = 0;
  for (const Json& row : r["rows"]) {
    if (row["regressed"].empty() && row["improved"].empty()) {
      ++unchanged;
      continue;
    }
    std::string line =
        row["regressed"].empty() ? Paint(color, "32", "+ ") : Paint(color, "31", "- ");
    const Json& example = row["example"];
    bool ref = example.is_string() && LooksLikeRef(example.get<std::string>());
    line += ref ? "row " + row["key"].get<std::string>() : Preview(example, 40);
    for (const auto& [metric, values] : row["scores"].items()) {
      std::string change;
      for (size_t i = 0; i < values.size(); ++i) change += (i ? "\u2192" : "") + num(values[i]);
      line += "  " + metric + " " + change;
    }
    std::printf("%s\n", line.c_str());
  }
  std::printf("%s\n", Paint(color, "2", std::to_string(unchanged) + " rows unchanged").c_str());
}

}  // namespace

void SetupEvalCompare(CLI::App* cmd, EvalCompareOptions& o) {
  cmd->add_option("evaluations", o.ids, "Evaluation.evaluate call ids, the baseline first")
      ->required()
      ->expected(2, -1);
  cmd->add_flag("--fail-on-regression", o.fail_on_regression,
                "exit 1 when a scorer's mean is lower than the first evaluation's");
  cmd->fallthrough();
  cmd->footer(
      "Rows line up by the dataset row they scored; --format json prints the whole comparison.\n"
      "Example:\n  weft eval compare \"$BASELINE_EVAL\" \"$NEW_EVAL\" --fail-on-regression");
}

int RunEvalCompare(const EvalCompareOptions& o, const Globals& globals) {
  auto compared = CallOnProject(globals, "evaluations_compare", {{"evaluation_call_ids", o.ids}});
  if (!compared.ok()) return Fail(compared.error());
  const Json& report = *compared;
  if (globals.json_asked())
    PrintJson(report, globals.pretty);
  else
    PrintReport(report, UseColor(globals.color));
  if (std::fflush(stdout) != 0) return Fail(1, "cannot write to standard output");
  if (!o.fail_on_regression || !report["regressed"].get<bool>()) return 0;
  std::string worse;
  for (const auto& [metric, m] : report["metrics"].items())
    if (m["regressed"].get<bool>()) worse += (worse.empty() ? "" : ", ") + metric;
  return Fail(1, "the evaluation regressed: " + worse + " lower than the baseline's");
}

}  // namespace weft::cli
