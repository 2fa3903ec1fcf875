// `weft calls diff A B`: two traces (or two calls' subtrees) aligned by op
// path, with added and missing calls, status flips and latency and token
// deltas, as text or JSON (docs/command-line.md#calls-diff).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/session.h"

namespace weft::cli {

struct DiffOptions {
  std::string a, b;  // trace or call ids
};

void SetupDiff(CLI::App* cmd, DiffOptions& opts);
int RunDiff(const DiffOptions& opts, const Globals& globals);

}  // namespace weft::cli
