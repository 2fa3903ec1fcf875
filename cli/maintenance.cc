// weft stats, check, backup and compact over core's TraceServer.
#include "cli/maintenance.h"

#include <cstdio>

#include "base/clock.h"

namespace weft::cli {

void SetupMaintenance(CLI::App& app, MaintenanceCommands& m) {
  m.stats =
      app.add_subcommand("stats", "What the store holds per project, and how full it is (JSON)");
  m.stats->footer("Example:\n  weft --pretty stats");
  m.check =
      app.add_subcommand("check", "Read every record and report damage (exit 0 clean, 1 damaged)");
  m.check->add_flag(
      "--repair", m.repair,
      "back the store up beside it, then drop unreadable records and rebuild the call indexes");
  m.check->footer("Example:\n  weft --pretty check || weft check --repair");
  m.backup =
      app.add_subcommand("backup", "Copy the store, compacted and consistent, while writers run");
  m.backup->add_option("dest", m.backup_dest, "a new or empty folder")->required();
  m.backup->footer(
      "Example:\n  weft backup /backups/weft-$(date +%F)\n"
      "The copy is a store: weft --store DEST ... reads it.");
  m.compact = app.add_subcommand("compact", "Rewrite the store without its free pages, in place");
  m.compact->footer(
      "Needs the store to itself: fails (exit 1) while weft serve or another reader has it open.\n"
      "Example:\n  weft compact");
}

int RunMaintenance(const MaintenanceCommands& m, const Globals& globals) {
  if (!m.stats->parsed() && !m.backup->parsed() && !m.check->parsed() && !m.compact->parsed())
    return -1;
  Session s(globals);
  if (m.compact->parsed()) {
    auto sizes = s.server().Compact();
    if (!sizes.ok()) return Fail(sizes.error());
    std::fprintf(stderr, "weft: compacted %s: %.1f MB -> %.1f MB\n", s.store_path().c_str(),
                 sizes->first / 1e6, sizes->second / 1e6);
    return 0;
  }
  if (m.backup->parsed()) {
    Status st = s.server().Backup(m.backup_dest);
    if (!st.ok()) return Fail(st.error());
    std::fprintf(stderr, "weft: backed up %s to %s\n", s.store_path().c_str(),
                 m.backup_dest.c_str());
    return 0;
  }
  std::string backup = s.store_path() + ".backup-" + std::to_string(NowMicros() / 1000000);
  if (m.check->parsed() && m.repair)
    std::fprintf(stderr, "weft: backing up to %s before repairing\n", backup.c_str());
  auto report = m.check->parsed() ? s.server().Check(m.repair, backup) : s.server().Stats();
  if (!report.ok()) return Fail(report.error());
  std::printf("%s\n", globals.pretty ? report->dump(2).c_str() : CompactDumps(*report).c_str());
  if (std::fflush(stdout) != 0) return Fail(1, "cannot write to standard output");
  if (m.check->parsed() && !(*report)["ok"].get<bool>()) {
    size_t n = (*report)["damaged"].size() + (*report)["index_problems"].size() +
               (*report)["digest_mismatches"].size();
    return Fail(
        1, "the store is damaged: " + std::to_string(n) + " problem(s), listed on standard output");
  }
  return 0;
}

}  // namespace weft::cli
