// weft's entry point: assembles the CLI11 command tree from the command
// table, runs the chosen method, and maps errors to exit codes once
// (CONTRACT.md §4: 1 store/system, 2 invalid request or usage, 3 not found).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <deque>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/environment.h"
#include "cli/manpage.h"
#include "cli/output.h"
#include "cli/request.h"
#include "core/server.h"

namespace weft::cli {
namespace {

struct Globals {
  std::string store, project;
  bool pretty = false;
};

// One line on stderr, whatever the message holds.
int Fail(int code, std::string message) {
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  std::fprintf(stderr, "weft: error: %s\n", message.c_str());
  return code;
}

int ExitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalid: return 2;
    case ErrorKind::kNotFound: return 3;
    case ErrorKind::kStore: return 1;
  }
  return 1;
}

void AddFlags(CLI::App* cmd, const CommandSpec& spec, Given& given) {
  cmd->add_option("--json", given.json, "the whole request as JSON: TEXT, @FILE or - (stdin)");
  given.flags.resize(spec.flags.size());
  given.bools.resize(spec.flags.size());
  for (size_t i = 0; i < spec.flags.size(); ++i) {
    const FlagSpec& f = spec.flags[i];
    if (f.kind == FlagKind::kBool)
      cmd->add_flag(f.name, given.bools[i], f.help);
    else
      cmd->add_option(f.name, given.flags[i], f.help)->allow_extra_args(f.kind == FlagKind::kList);
  }
}

int Run(const CommandSpec& spec, const Given& given, const Globals& globals) {
  auto request = BuildRequest(spec, given, FindProject(globals.project));
  if (!request.ok()) return Fail(ExitCode(request.error().kind), request.error().message);
  Store store(FindStore(globals.store));
  Context ctx;
  ctx.store = &store;
  ctx.find_user = FindUser;
  if (spec.output == OutputKind::kNdjson) ctx.emit = [](const Json& v) { PrintJson(v, false); };
  auto response = CallMethod(spec.method, *request, ctx);
  if (!response.ok()) return Fail(ExitCode(response.error().kind), response.error().message);
  for (const auto& w : ctx.warnings) std::fprintf(stderr, "weft: warning: %s\n", w.c_str());
  PrintResponse(*response, spec.output, globals.pretty);
  return std::fflush(stdout) == 0 ? 0 : Fail(1, "cannot write to standard output");
}

int Main(int argc, char** argv) {
  CLI::App app{"weft: an offline Weave trace store on LMDB", "weft"};
  app.require_subcommand(1);
  app.footer("Every command prints its response as JSON. See weft(1) for details.");
  Globals globals;
  app.add_option("--store", globals.store, "store directory (env WEFT_STORE; default: nearest .weft/)");
  app.add_option("--project", globals.project, "ENTITY/PROJECT for requests that leave it out (env WEFT_PROJECT)");
  app.add_flag("--pretty", globals.pretty, "indent the JSON output");

  std::map<std::string, CLI::App*> groups;
  std::deque<Given> given(Commands().size());
  std::vector<CLI::App*> commands;
  for (size_t i = 0; i < Commands().size(); ++i) {
    const CommandSpec& spec = Commands()[i];
    CLI::App*& group = groups[spec.group];
    if (!group) {
      group = app.add_subcommand(spec.group, GroupSummary(spec.group));
      group->require_subcommand(1);
      group->fallthrough();
    }
    CLI::App* cmd = group->add_subcommand(spec.verb, spec.summary);
    cmd->fallthrough();
    cmd->footer(std::string("Example:\n  ") + spec.example);
    AddFlags(cmd, spec, given[i]);
    commands.push_back(cmd);
  }

  // Generators for the checked-in man page; hidden from --help.
  CLI::App* manpage = app.add_subcommand("manpage", "print man/weft.1")->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    return Fail(2, e.what());
  }
  if (manpage->parsed()) {
    std::fputs(ManPage().c_str(), stdout);
    return 0;
  }
  for (size_t i = 0; i < commands.size(); ++i)
    if (commands[i]->parsed()) return Run(Commands()[i], given[i], globals);
  return Fail(2, "no command given");
}

}  // namespace
}  // namespace weft::cli

int main(int argc, char** argv) {
  try {
    return weft::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    return weft::cli::Fail(1, std::string("internal error: ") + e.what());
  }
}
