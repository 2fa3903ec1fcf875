// Keeping a store healthy: `weft stats` (what it holds, how full it is),
// `weft check` (what is damaged), `weft backup DEST` (a consistent,
// compacted copy while writers run) and `weft compact` (in place).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/session.h"

namespace weft::cli {

struct MaintenanceOptions {
  std::string backup_dest;  // backup
  bool repair = false;      // check --repair
};

void SetupStats(CLI::App* cmd, MaintenanceOptions& m);
void SetupCheckStore(CLI::App* cmd, MaintenanceOptions& m);
void SetupBackup(CLI::App* cmd, MaintenanceOptions& m);
void SetupCompact(CLI::App* cmd, MaintenanceOptions& m);
int RunStats(const MaintenanceOptions& m, const Globals& globals);
int RunCheckStore(const MaintenanceOptions& m, const Globals& globals);
int RunBackup(const MaintenanceOptions& m, const Globals& globals);
int RunCompact(const MaintenanceOptions& m, const Globals& globals);

}  // namespace weft::cli
