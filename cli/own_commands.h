// weft's own commands, those that are not an interface method (exec, calls
// tree, serve, export...): one row each, as the methods are rows of
// cli/commands.cc. Main adds each row's command where it hangs, and runs the
// one that was parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "cli/session.h"

namespace weft::cli {

struct OwnCommand {
  const char* group;    // the group it joins ("calls", "junit"); "" at the top
  const char* name;     // e.g. "tree"
  const char* summary;  // one line for --help
  // Declares the command's flags and footer on cmd, bound to the row's state.
  std::function<void(CLI::App* cmd)> setup;
  // Runs it with the flags parsed: the exit code.
  std::function<int(const Globals&)> run;
  // It reads the whole command tree (completion), so every command is built.
  bool whole_tree = false;
};

// Every own command, in the order --help lists them.
const std::vector<OwnCommand>& OwnCommands();

}  // namespace weft::cli
