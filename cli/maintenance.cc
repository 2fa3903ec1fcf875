// weft stats, check, backup and compact over core's TraceServer.
#include "cli/maintenance.h"

#include <cstdio>

#include "base/clock.h"

namespace weft::cli {
namespace {

int PrintReport(const Result<Json>& report, const Globals& globals) {
  if (!report.ok()) return Fail(report.error());
  std::printf("%s\n", globals.pretty ? report->dump(2).c_str() : CompactDumps(*report).c_str());
  return std::fflush(stdout) == 0 ? 0 : Fail(1, "cannot write to standard output");
}

}  // namespace

void SetupStats(CLI::App* cmd, MaintenanceOptions&) {
  cmd->footer("Example:\n  weft --pretty stats");
}

void SetupCheckStore(CLI::App* cmd, MaintenanceOptions& m) {
  cmd->add_flag(
      "--repair", m.repair,
      "back the store up beside it, then drop unreadable records and rebuild the call indexes");
  cmd->footer("Example:\n  weft --pretty check || weft check --repair");
}

void SetupBackup(CLI::App* cmd, MaintenanceOptions& m) {
  cmd->add_option("dest", m.backup_dest, "a new or empty folder")->required();
  cmd->footer(
      "Example:\n  weft backup /backups/weft-$(date +%F)\n"
      "The copy is a store: weft --store DEST ... reads it.");
}

void SetupCompact(CLI::App* cmd, MaintenanceOptions&) {
  cmd->footer(
      "Needs the store to itself: fails (exit 1) while weft serve or another reader has it open.\n"
      "Example:\n  weft compact");
}

int RunStats(const MaintenanceOptions&, const Globals& globals) {
  Session s(globals);
  return PrintReport(s.server().Stats(), globals);
}

int RunCheckStore(const MaintenanceOptions& m, const Globals& globals) {
  Session s(globals);
  std::string backup = s.store_path() + ".backup-" + std::to_string(NowMicros() / 1000000);
  if (m.repair) std::fprintf(stderr, "weft: backing up to %s before repairing\n", backup.c_str());
  auto report = s.server().Check(m.repair, backup);
  if (int code = PrintReport(report, globals); code != 0) return code;
  if ((*report)["ok"].get<bool>()) return 0;
  size_t n = (*report)["damaged"].size() + (*report)["index_problems"].size() +
             (*report)["digest_mismatches"].size();
  return Fail(
      1, "the store is damaged: " + std::to_string(n) + " problem(s), listed on standard output");
}

int RunBackup(const MaintenanceOptions& m, const Globals& globals) {
  Session s(globals);
  Status st = s.server().Backup(m.backup_dest);
  if (!st.ok()) return Fail(st.error());
  std::fprintf(stderr, "weft: backed up %s to %s\n", s.store_path().c_str(), m.backup_dest.c_str());
  return 0;
}

int RunCompact(const MaintenanceOptions&, const Globals& globals) {
  Session s(globals);
  auto sizes = s.server().Compact();
  if (!sizes.ok()) return Fail(sizes.error());
  std::fprintf(stderr, "weft: compacted %s: %.1f MB -> %.1f MB\n", s.store_path().c_str(),
               sizes->first / 1e6, sizes->second / 1e6);
  return 0;
}

}  // namespace weft::cli
