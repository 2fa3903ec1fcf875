// The table of weft's own commands (own_commands.h): each row names the
// setup and run functions of its module, which share one options struct.
#include "cli/own_commands.h"

#include <cstdio>

#include "cli/completion.h"
#include "cli/diff.h"
#include "cli/eval_compare.h"
#include "cli/exec.h"
#include "cli/junit.h"
#include "cli/maintenance.h"
#include "cli/manpage.h"
#include "cli/serve.h"
#include "cli/tail.h"
#include "cli/transfer.h"
#include "cli/tree.h"

namespace weft::cli {
namespace {

// A row whose setup and run share one Options, made when the row is.
template <typename Options>
OwnCommand Row(const char* group, const char* name, const char* summary,
               void (*setup)(CLI::App*, Options&), int (*run)(const Options&, const Globals&),
               Options initial = {}) {
  auto state = std::make_shared<Options>(std::move(initial));
  return {group, name, summary, [state, setup](CLI::App* cmd) { setup(cmd, *state); },
          [state, run](const Globals& g) { return run(*state, g); }};
}

struct CompletionOptions {
  std::string shell;
  const CLI::App* app = nullptr;  // the whole command tree
};

void SetupCompletion(CLI::App* cmd, CompletionOptions& o) {
  o.app = cmd->get_parent();
  cmd->add_option("shell", o.shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
}

int RunCompletion(const CompletionOptions& o, const Globals&) {
  return std::fputs(CompletionScript(*o.app, o.shell).c_str(), stdout) < 0;
}

OwnCommand WholeTree(OwnCommand row) {
  row.whole_tree = true;
  return row;
}

struct NoOptions {};

void SetupManPage(CLI::App* cmd, NoOptions&) { cmd->group(""); }  // a hidden generator

int RunManPage(const NoOptions&, const Globals&) {
  return std::fputs(ManPage().c_str(), stdout) < 0;
}

}  // namespace

// clang-format off
const std::vector<OwnCommand>& OwnCommands() {
  static const std::vector<OwnCommand> kOwn = {
      Row<ExecOptions>("", "exec", "Run a command as a traced call (nests under WEFT_PARENT_ID)", SetupExec, RunExec),
      Row<TreeOptions>("calls", "tree", "Show a trace as a tree (default: the latest trace)", SetupTree, RunTree),
      Row<TreeOptions>("calls", "check", "Exit 1 when a trace (default: WEFT_TRACE_ID, else the latest) holds failed calls, printing them as a tree", SetupCheck, RunTree, {.check = true}),
      Row<TailOptions>("calls", "tail", "The latest calls, and with --follow each call as it starts and ends", SetupTail, RunTail),
      Row<DiffOptions>("calls", "diff", "Two traces (or calls' subtrees) side by side: added, missing and changed steps", SetupDiff, RunDiff),
      Row<EvalCompareOptions>("eval", "compare", "Two or more evaluations of one dataset row by row: scores, regressions first", SetupEvalCompare, RunEvalCompare),
      Row<JunitOptions>("junit", "import", "Record each test case of a JUnit report as a call", SetupJunitImport, RunJunitImport),
      Row<MaintenanceOptions>("", "stats", "What the store holds per project, and how full it is (JSON)", SetupStats, RunStats),
      Row<MaintenanceOptions>("", "check", "Read every record and report damage (exit 0 clean, 1 damaged)", SetupCheckStore, RunCheckStore),
      Row<MaintenanceOptions>("", "backup", "Copy the store, compacted and consistent, while writers run", SetupBackup, RunBackup),
      Row<MaintenanceOptions>("", "compact", "Rewrite the store without its free pages, in place", SetupCompact, RunCompact),
      Row<TransferOptions>("", "export", "Write a project (or the whole store) as one NDJSON stream", SetupExport, RunExport),
      Row<TransferOptions>("", "import", "Read a weft export into the store (again is harmless)", SetupImport, RunImport),
      Row<TransferOptions>("", "push", "Send the project's files, objects, tables, calls and feedback to a Weave server", SetupPush, RunPush),
      Row<TransferOptions>("", "pull", "Copy calls and everything they refer to from a Weave server into the store", SetupPull, RunPull),
      Row<ServeFlags>("", "serve", "Serve Weave's HTTP API over the store, for the official SDKs", SetupServe, RunServe),
      Row<ServeFlags>("", "ui", "Look at the store in a browser: calls, traces as trees, objects, datasets", SetupUi, RunServe),
      WholeTree(Row<CompletionOptions>("", "completion", "Print a shell completion script", SetupCompletion, RunCompletion)),
      Row<NoOptions>("", "manpage", "print man/weft.1", SetupManPage, RunManPage),
  };
  return kOwn;
}
// clang-format on

}  // namespace weft::cli
