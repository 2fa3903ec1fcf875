// `weft exec -- CMD ARGS...`: runs a command as one traced call, nested
// under the enclosing call of the environment (WEFT_TRACE_ID,
// WEFT_PARENT_ID), and exits with the command's status.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/session.h"

namespace weft::cli {

struct ExecOptions {
  std::string op, display_name, attributes, inputs;
  bool capture = false;
  std::vector<std::string> argv;
};

void SetupExec(CLI::App* cmd, ExecOptions& opts);
int RunExec(const ExecOptions& opts, const Globals& globals);

}  // namespace weft::cli
