// `weft calls tree [TRACE_ID|CALL_ID]`: one trace as an indented tree with
// status, latency and short previews of inputs and outputs, the stderr tail
// under a failed step (or, with --format json, the same tree as nested
// JSON); and `weft calls
// check`, the gate that ends a pipeline: the failed calls of a trace as that
// tree, and exit 1 when there are any (docs/command-line.md#calls-check).
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "cli/session.h"
#include "core/api/trace_tree.h"

namespace weft::cli {

struct TreeOptions {
  // A trace id or a call id; empty for the latest trace (check: WEFT_TRACE_ID first).
  std::string id = {};
  bool check = false;
  int depth = -1;       // levels shown below a root; -1 for all
  bool errors = false;  // only the paths to failed calls
};

// Text in an ANSI colour (code "31", "1"...) when color is on.
std::string Paint(bool color, const char* code, const std::string& text);
// A status as the tree marks it: a check, a cross, an ellipsis (+ "running").
std::string StatusMark(const std::string& status, bool color, bool word = true);

// One call on one line, as the tree shows it: status mark, name, latency,
// input and output previews, exception.
std::string CallLine(const Json& call, bool color);

void SetupTree(CLI::App* cmd, TreeOptions& opts);
void SetupCheck(CLI::App* cmd, TreeOptions& opts);
int RunTree(const TreeOptions& opts, const Globals& globals);

}  // namespace weft::cli
