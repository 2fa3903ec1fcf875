// `weft calls tree [TRACE_ID|CALL_ID]`: one trace as an indented tree with
// status, latency and short previews of inputs and outputs.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "cli/session.h"

namespace weft::cli {

struct TreeOptions {
  std::string id;  // a trace id or a call id; empty for the latest trace
};

CLI::App* SetupTree(CLI::App& calls_group, TreeOptions& opts);
int RunTree(const TreeOptions& opts, const Globals& globals);

}  // namespace weft::cli
