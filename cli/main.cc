// weft's entry point: assembles the CLI11 command tree (the interface's
// commands from the command table, weft's own from cli/own_commands.cc),
// runs the chosen one, and maps errors to exit codes once (docs/command-line.md#exit-codes:
// 1 store/system, 2 invalid request or usage, 3 not found).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/commands.h"
#include "cli/environment.h"
#include "cli/nesting.h"
#include "cli/option_words.h"
#include "cli/output.h"
#include "cli/own_commands.h"
#include "cli/request.h"
#include "cli/session.h"
#include "cli/suggest.h"
#include "core/api/method_table.h"

namespace weft::cli {
namespace {

// Flags of one command beyond its request: --yes, --export.
struct Extras {
  bool yes = false, export_env = false;
};

// The command's flags that `named` lets in (cli/option_words.h).
void AddFlags(CLI::App* cmd, const CommandSpec& spec, const OptionWords& named, Given& given,
              Extras& extras) {
  if (named("--json"))
    cmd->add_option("--json", given.json, "the whole request as JSON: TEXT, @FILE or - (stdin)");
  given.flags.resize(spec.flags.size());
  given.bools.resize(spec.flags.size());
  for (size_t i = 0; i < spec.flags.size(); ++i) {
    const FlagSpec& f = spec.flags[i];
    if (!named(f.name)) continue;
    if (f.kind == FlagKind::kBool)
      cmd->add_flag(f.name, given.bools[i], f.help);
    else
      cmd->add_option(f.name, given.flags[i], f.help)
          ->allow_extra_args(f.kind == FlagKind::kList || f.kind == FlagKind::kOpName);
  }
  if (spec.destructive && named("--yes,-y"))
    cmd->add_flag("--yes,-y", extras.yes, "do not ask (needed when not on a terminal)");
  if (spec.exports == CommandSpec::Exports::kStart && named("--export"))
    cmd->add_flag("--export", extras.export_env,
                  "print export lines for eval: later commands nest under this call");
  if (spec.exports == CommandSpec::Exports::kEnd && named("--export"))
    cmd->add_flag("--export", extras.export_env,
                  "print lines for eval that make this call's parent the enclosing call again");
}

// The file of a command's stream flag (calls import's), opened for the
// method to read as it goes.
Status OpenStreamFlag(const CommandSpec& spec, const Given& given, Context& ctx) {
  for (size_t i = 0; i < spec.flags.size(); ++i)
    if (spec.flags[i].kind == FlagKind::kStream && !given.flags[i].empty()) {
      WEFT_ASSIGN(ctx.input, OpenInput(given.flags[i].back(), spec.flags[i].name));
    }
  return Status::OK();
}

// A method's answer written by the method itself into text; null JSON.
Result<Json> AnswerText(const MethodRow& row, const Json& request, Context& ctx,
                        std::string& text) {
  WEFT_TRY(row.answer_text(request, ctx, text));
  return Json(nullptr);
}

// A destructive command's go-ahead: --yes, or an answer on the terminal.
enum class Consent { kGiven, kNoTerminal, kDeclined };

// --yes, --json (the interface for scripts), or a "y" at the prompt on a
// terminal, which names what goes.
Consent AskToDelete(const CommandSpec& spec, const Given& given, const Extras& extras,
                    const Json& request) {
  if (extras.yes || !given.json.empty() || request.value("dry_run", false)) return Consent::kGiven;
  if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) return Consent::kNoTerminal;
  std::string what = "delete for good";
  if (request.contains("call_ids") && request["call_ids"].is_array())
    what = "delete " + std::to_string(request["call_ids"].size()) +
           " call(s) and all their descendants for good";
  else if (std::string(spec.group) == "project")
    what = "delete project " + request.value("project_id", std::string()) +
           " and all it holds for good";
  std::fprintf(stderr, "weft %s %s: %s? [y/N] ", spec.group, spec.verb, what.c_str());
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes" ? Consent::kGiven : Consent::kDeclined;
}

int RunMethod(const CommandSpec& spec, const Given& given, const Extras& extras,
              const Globals& globals) {
  Session s(globals);
  if (*spec.project_path && given.json.empty())
    if (Status st = s.UseOnlyProject(); !st.ok()) return Fail(st.error());
  auto request = BuildRequest(spec, given, s.project());
  if (!request.ok()) return Fail(request.error());
  if (spec.nests) {
    JoinTraceparent((*request)["start"]);
    if (Status st = TraceFromParent((*request)["start"], s.ctx()); !st.ok())
      return Fail(st.error());
  }
  if (spec.destructive) {
    Consent consent = AskToDelete(spec, given, extras, *request);
    if (consent == Consent::kNoTerminal)
      return Fail(2, std::string(spec.group) + " " + spec.verb +
                         ": not confirmed (give --yes when not on a terminal)");
    if (consent == Consent::kDeclined) {
      std::fprintf(stderr, "weft: nothing deleted\n");
      return 0;
    }
  }
  if (Status st = OpenStreamFlag(spec, given, s.ctx()); !st.ok()) return Fail(st.error());
  Json ending = nullptr;  // call end: the call as it was, whose parent --export hands back
  if (spec.exports == CommandSpec::Exports::kEnd) {
    auto before = CallBeingEnded((*request)["end"], s.ctx());
    if (!before.ok()) return Fail(before.error());
    ending = std::move(*before);
  }
  ResponsePrinter printer(spec, *request, globals.format, globals.pretty);
  if (spec.output == OutputKind::kNdjson) s.ctx().emit = printer.Sink();
  bool drawn = false;  // a progress line is on the terminal
  if (isatty(STDERR_FILENO))
    s.ctx().progress = [&drawn](size_t done, size_t) {
      std::fprintf(stderr, "\rweft: written %zu items", done);
      drawn = true;
    };
  const MethodRow* row = FindMethod(spec.method);
  std::string text;  // the answer as the method writes it (calls query), printed as it is
  const bool as_text = row && row->answer_text && printer.PrintsAsIs() && !extras.export_env;
  auto response = as_text ? AnswerText(*row, *request, s.ctx(), text)
                          : CallMethod(spec.method, *request, s.ctx());
  if (drawn) std::fputc('\n', stderr);
  if (!response.ok()) return Fail(response.error());
  for (const auto& w : s.ctx().warnings) Warn(w);
  if (row && row->access == Access::kRead) s.WarnIfNamedStoreIsMissing();
  if (as_text) {
    printer.PrintText(text);
  } else if (extras.export_env) {
    std::fputs(
        spec.exports == CommandSpec::Exports::kStart
            ? StartLines(s.store_path(), (*request)["start"]["project_id"], *response).c_str()
            : RestoreLines(ending).c_str(),
        stdout);
  } else {
    printer.Print(*response);
  }
  return std::fflush(stdout) == 0 ? 0 : Fail(1, "cannot write to standard output");
}

// The first two words of the command line that are not global options:
// the group or command being run and its verb ("" where there is none, and
// for what follows --help), so that only their part of the command table
// is built (start-up time).
std::pair<std::string, std::string> CommandWords(int argc, char** argv) {
  static const std::set<std::string> kWithValue = {"--store", "--project", "--wait", "--format",
                                                   "--color"};
  std::vector<std::string> words;
  for (int i = 1; i < argc && words.size() < 2; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") break;
    if (arg == "--version" && words.empty()) return {arg, ""};
    if (!arg.starts_with("-"))
      words.push_back(arg);
    else if (kWithValue.count(arg))
      ++i;  // its value follows
  }
  words.resize(2);
  return {words[0], words[1]};
}

// The name a command is run by at the top: its group's, or its own.
std::string TopName(const OwnCommand& c) { return *c.group ? c.group : c.name; }

bool IsMethodGroup(const std::string& word) {
  for (const CommandSpec& c : Commands())
    if (word == c.group) return true;
  return false;
}

// A parse error, one line as every failure, with what would help: the
// commands of a bare group, a did-you-mean for a mistyped word, and `--`
// for weft exec.
int FailParse(const CLI::ParseError& e, const std::string& word, const std::string& verb) {
  if (word.empty())
    return Fail(2, "give a command: weft GROUP VERB, or weft exec -- CMD (weft --help lists them)");
  std::vector<std::string> names, verbs;
  auto add = [](std::vector<std::string>& list, const std::string& name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
  };
  for (const CommandSpec& c : Commands()) {
    add(names, c.group);
    if (word == c.group) verbs.push_back(c.verb);
  }
  for (const OwnCommand& c : OwnCommands()) {
    add(names, TopName(c));
    if (word == c.group) verbs.push_back(c.name);
  }
  if (std::find(names.begin(), names.end(), word) == names.end()) {
    std::string guess = DidYouMean(word, names);
    return Fail(2, "unknown command '" + word + "'" +
                       (guess.empty() ? "" : ": did you mean 'weft " + guess + "'?"));
  }
  if (!verbs.empty() && verb.empty()) {  // one line, as every failure: its usage in short
    std::string listed;
    for (const std::string& v : verbs) listed += (listed.empty() ? "" : ", ") + v;
    return Fail(2, "weft " + word + ": give a command: " + listed + " (weft " + word + " --help)");
  }
  if (!verbs.empty() && std::find(verbs.begin(), verbs.end(), verb) == verbs.end()) {
    std::string guess = DidYouMean(verb, verbs);
    return Fail(2, "unknown command 'weft " + word + " " + verb + "'" +
                       (guess.empty() ? "" : ": did you mean 'weft " + word + " " + guess + "'?"));
  }
  std::string what = e.what();
  if (word == "exec" && what.find("not expected") != std::string::npos)
    what += " (the command goes after --: weft exec [OPTIONS] -- CMD ARGS)";
  return Fail(2, what);
}

// The global options `named` lets in; answers --format's (null when it is
// not in the tree), to tell whether it was given.
CLI::Option* AddGlobals(CLI::App& app, const OptionWords& named, Globals& globals) {
  if (named("--store"))
    app.add_option("--store", globals.store,
                   "store directory (env WEFT_STORE; default: nearest .weft/)");
  if (named("--project"))
    app.add_option("--project", globals.project,
                   "ENTITY/PROJECT for requests that leave it out (env WEFT_PROJECT)");
  if (named("--pretty")) app.add_flag("--pretty", globals.pretty, "indent the JSON output");
  if (named("-q,--quiet"))
    app.add_flag("-q,--quiet", globals.quiet, "no warnings on stderr (env WEFT_QUIET=1)");
  if (named("--wait"))
    app.add_option("--wait", globals.wait,
                   "seconds a write waits for another process's write (env WEFT_WAIT; default 10)")
        ->check(CLI::NonNegativeNumber);
  if (named("--color"))
    app.add_option("--color", globals.color,
                   "colour: auto (on a terminal, unless NO_COLOR), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
  if (!named("--format")) return nullptr;
  return app
      .add_option("--format", globals.format,
                  "output of query commands: json, ndjson, table, or junit (calls)")
      ->check(CLI::IsMember({"json", "ndjson", "table", "junit"}));
}

// The CLI11 command tree of one run: only the part the command line needs
// (start-up time), or all of it for help, completion and unknown words.
class CommandTree {
 public:
  CommandTree(CLI::App& app, const std::string& word, const std::string& verb,
              const OptionWords& named)
      : app_(app), named_(named) {
    const bool one_group = IsMethodGroup(word);
    bool own_word = false, one_command = false;
    for (const OwnCommand& c : OwnCommands()) {
      own_word |= word == TopName(c) && !c.whole_tree;
      one_command |= word == c.group && verb == c.name;
    }
    for (const CommandSpec& c : Commands()) one_command |= word == c.group && verb == c.verb;
    methods_.resize(Commands().size(), nullptr);
    own_.resize(OwnCommands().size(), nullptr);
    for (size_t i = 0; i < Commands().size(); ++i) {
      const CommandSpec& c = Commands()[i];
      if (one_group ? word == c.group && (!one_command || verb == c.verb) : !own_word)
        methods_[i] = AddMethod(i);
    }
    for (size_t i = 0; i < OwnCommands().size(); ++i) {
      const OwnCommand& c = OwnCommands()[i];
      if (one_group ? word == c.group && (!one_command || verb == c.name)
                    : !own_word || word == TopName(c))
        own_[i] = AddOwn(c);
    }
  }

  // Runs the command that was parsed.
  int Run(const Globals& globals) {
    for (size_t i = 0; i < own_.size(); ++i)
      if (own_[i] && own_[i]->parsed()) return OwnCommands()[i].run(globals);
    for (size_t i = 0; i < methods_.size(); ++i)
      if (methods_[i] && methods_[i]->parsed())
        return RunMethod(Commands()[i], given_[i], extras_[i], globals);
    return Fail(2, "no command given");
  }

 private:
  CLI::App* Group(const std::string& name) {
    CLI::App*& group = groups_[name];
    if (!group) {
      group = app_.add_subcommand(name, GroupSummary(name));
      group->require_subcommand(1);
      group->fallthrough();
    }
    return group;
  }

  CLI::App* AddMethod(size_t i) {
    const CommandSpec& spec = Commands()[i];
    CLI::App* cmd = Group(spec.group)->add_subcommand(spec.verb, spec.summary);
    cmd->fallthrough();
    cmd->footer(std::string("Example:\n  ") + spec.example);
    AddFlags(cmd, spec, named_, given_[i], extras_[i]);
    return cmd;
  }

  CLI::App* AddOwn(const OwnCommand& c) {
    CLI::App* parent = *c.group ? Group(c.group) : &app_;
    CLI::App* cmd = parent->add_subcommand(c.name, c.summary);
    cmd->fallthrough();
    c.setup(cmd);
    return cmd;
  }

  CLI::App& app_;
  const OptionWords& named_;
  std::map<std::string, CLI::App*> groups_;
  // Only the commands in the tree have theirs; CLI11 holds references
  // into them, so they live in nodes that never move.
  std::map<size_t, Given> given_;
  std::map<size_t, Extras> extras_;
  std::vector<CLI::App*> methods_, own_;
};

// Parses the command line into a tree of the options `named` lets in and
// runs the command; nothing when a tree of only some options failed to
// parse, so that the caller parses again with all of them and the error
// reads as it always does.
std::optional<int> ParseAndRun(int argc, char** argv, const std::string& word,
                               const std::string& verb, const OptionWords& named) {
  CLI::App app{"weft: an offline Weave trace store on LMDB", "weft"};
  if (!named("-h,--help")) app.set_help_flag();  // the subcommands inherit it
  app.require_subcommand(1);
  app.footer(
      "Every interface method is a command (weft GROUP VERB) printing JSON.\n"
      "Trace a command: weft exec -- CMD ARGS.  See weft(1) for details.");
  if (named("--version")) app.set_version_flag("--version", "weft " WEFT_VERSION);
  Globals globals;
  CLI::Option* format = AddGlobals(app, named, globals);
  CommandTree tree(app, word, verb, named);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    if (!named.all()) return std::nullopt;
    return FailParse(e, word, verb);
  }
  std::string quiet_env = Env("WEFT_QUIET");
  SetQuiet(globals.quiet || (!quiet_env.empty() && quiet_env != "0"));
  globals.format_given = format && format->count() > 0;
  return tree.Run(globals);
}

// Whether the command walks the whole tree (completion): it needs every
// option in it.
bool WantsWholeTree(const std::string& word) {
  for (const OwnCommand& c : OwnCommands())
    if (c.whole_tree && word == TopName(c)) return true;
  return false;
}

int Main(int argc, char** argv) {
  auto [word, verb] = CommandWords(argc, argv);
  // Answered before CLI11, whose answer to --version is an exception: the
  // first one thrown in a static binary costs ~8 ms (CMakeLists.txt).
  if (word == "--version") return std::puts("weft " WEFT_VERSION) < 0;
  const OptionWords named = WantsWholeTree(word) ? OptionWords::All() : OptionWords(argc, argv);
  if (auto code = ParseAndRun(argc, argv, word, verb, named)) return *code;
  return *ParseAndRun(argc, argv, word, verb, OptionWords::All());
}

}  // namespace
}  // namespace weft::cli

int main(int argc, char** argv) {
  try {
    return weft::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    return weft::Fail(1, std::string("internal error: ") + e.what());
  }
}
