// Keeping a store healthy: `weft stats` (what it holds, how full it is),
// `weft check` (what is damaged), `weft backup DEST` (a consistent,
// compacted copy while writers run) and `weft compact` (in place).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/session.h"

namespace weft::cli {

struct MaintenanceCommands {
  CLI::App* stats = nullptr;
  CLI::App* backup = nullptr;
  CLI::App* check = nullptr;
  CLI::App* compact = nullptr;
  std::string backup_dest;
  bool repair = false;
};

void SetupMaintenance(CLI::App& app, MaintenanceCommands& m);
// Runs the one that was parsed; -1 when neither was.
int RunMaintenance(const MaintenanceCommands& m, const Globals& globals);

}  // namespace weft::cli
