// `weft eval compare EVAL EVAL...`: two or more evaluations of one dataset
// row by row (the Evaluation.evaluate calls Weave's SDK records): each
// scorer's mean per evaluation, the rows whose scores changed, regressions
// first, and with --fail-on-regression exit 1 when a scorer's mean got worse
// than the first evaluation's, so CI can gate on an evaluation
// (docs/command-line.md#eval-compare).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/session.h"

namespace weft::cli {

struct EvalCompareOptions {
  std::vector<std::string> ids;  // Evaluation.evaluate call ids, the baseline first
  bool fail_on_regression = false;
};

void SetupEvalCompare(CLI::App* cmd, EvalCompareOptions& opts);
int RunEvalCompare(const EvalCompareOptions& opts, const Globals& globals);

}  // namespace weft::cli
