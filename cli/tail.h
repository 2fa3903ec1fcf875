// `weft calls tail [--follow]`: calls as they start and end, one line each,
// for a terminal beside a running pipeline (docs/command-line.md#calls-tail).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/session.h"

namespace weft::cli {

struct TailOptions {
  int last = 10;          // calls shown first, the latest started
  bool follow = false;    // then keep watching
  double interval = 1.0;  // seconds between looks at the store
};

void SetupTail(CLI::App* cmd, TailOptions& opts);
int RunTail(const TailOptions& opts, const Globals& globals);

}  // namespace weft::cli
