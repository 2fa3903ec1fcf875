// Completion scripts: the command tree is flattened into a table of
// (group, verb, flags), then written out in each shell's own terms.
#include "cli/completion.h"

#include <map>
#include <sstream>
#include <vector>

namespace weft::cli {
namespace {

struct Node {
  std::string name;
  std::vector<std::string> flags;       // --long names
  std::vector<std::string> with_value;  // those that take a value
  std::vector<Node> children;
};

// Values that flags take from a fixed set.
const std::map<std::string, std::string>& Enumerated() {
  static const std::map<std::string, std::string> kValues = {
      {"--format", "json ndjson table junit"},
      {"--color", "auto always never"},
      {"--status", "success error running"},
      {"--by", "op model status"}};
  return kValues;
}

Node Walk(const CLI::App& app) {
  Node n{app.get_name(), {}, {}, {}};
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& l : o->get_lnames()) {
      n.flags.push_back("--" + l);
      if (o->get_expected_min() > 0) n.with_value.push_back("--" + l);
    }
  }
  for (const CLI::App* sub : app.get_subcommands({}))
    if (!sub->get_group().empty()) n.children.push_back(Walk(*sub));
  return n;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::vector<std::string> Names(const std::vector<Node>& nodes) {
  std::vector<std::string> out;
  for (const auto& n : nodes) out.push_back(n.name);
  return out;
}

// Every flag that takes a value, anywhere in the tree.
void ValueFlags(const Node& n, std::vector<std::string>& out) {
  for (const auto& f : n.with_value)
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  for (const auto& c : n.children) ValueFlags(c, out);
}

// The words to offer after GROUP VERB, as a shell `case` over "group/verb".
std::string Cases(const Node& root, const char* indent, const char* set) {
  std::ostringstream out;
  auto emit = [&](const std::string& key, const std::string& words) {
    out << indent << "\"" << key << "\") " << set << "\"" << words << "\" ;;\n";
  };
  emit("/", Join(Names(root.children)) + " " + Join(root.flags));
  for (const auto& g : root.children) {
    emit(g.name + "/", g.children.empty() ? Join(g.flags) : Join(Names(g.children)));
    for (const auto& v : g.children) emit(g.name + "/" + v.name, Join(v.flags));
  }
  return out.str();
}

// The shared shell logic (bash and zsh): find group and verb among the
// words so far, skipping flags and their values.
std::string Locate(const Node& root, const char* words, const char* first, const char* current) {
  std::vector<std::string> value_flags;
  ValueFlags(root, value_flags);
  std::ostringstream out;
  out << "  local group= verb= i w skip= dashdash=\n"
      << "  for ((i=" << first << "; i<" << current << "; i++)); do\n"
      << "    w=\"${" << words << "[i]}\"\n"
      << "    if [[ -n $skip ]]; then skip=; continue; fi\n"
      << "    case \"$w\" in\n"
      << "      --) dashdash=$i; break ;;\n"
      << "      " <<
      [&] {
        std::string s;
        for (auto& f : value_flags) s += (s.empty() ? "" : "|") + f;
        return s;
      }()
      << ") skip=1 ;;\n"
      << "      -*) ;;\n"
      << "      *) if [[ -z $group ]]; then group=$w; elif [[ -z $verb ]]; then verb=$w; fi ;;\n"
      << "    esac\n"
      << "  done\n";
  return out.str();
}

// What differs between the bash and zsh scripts; the logic is shared.
struct Dialect {
  const char* words;     // the array of words on the line
  const char* first;     // index of the first word after `weft`
  const char* current;   // index of the word being completed
  const char* offer;     // command offering the words in $candidates
  const char* files;     // command offering file names
  const char* folders;   // command offering folder names
  const char* commands;  // command offering command names
};

// Flags whose value is a file name, and a folder's.
constexpr const char* kFileFlags = "--json|--content-file|--ca-file";
constexpr const char* kFolderFlags = "--store";

std::string Function(const Node& root, const Dialect& d) {
  std::ostringstream out;
  out << "_weft() {\n"
      << "  local prev=\"${" << d.words << "[" << d.current << "-1]}\" candidates\n";
  for (const auto& [flag, values] : Enumerated())
    out << "  if [[ $prev == " << flag << " ]]; then candidates=\"" << values << "\"; " << d.offer
        << "; return; fi\n";
  out << "  case \"$prev\" in " << kFileFlags << ") " << d.files << "; return ;; " << kFolderFlags
      << ") " << d.folders << "; return ;; esac\n"
      << Locate(root, d.words, d.first, d.current)
      // after `weft exec ... --`: the command to trace, then its own arguments
      << "  if [[ -n $dashdash ]]; then\n"
      << "    if (( dashdash == " << d.current << " - 1 )); then " << d.commands << "; else "
      << d.files << "; fi\n"
      << "    return\n  fi\n"
      << "  case \"$group/$verb\" in\n"
      << Cases(root, "    ", "candidates=") << "    *) candidates= ;;\n  esac\n"
      << "  " << d.offer << "\n"
      << "}\n";
  return out.str();
}

std::string Bash(const Node& root) {
  return "# bash completion for weft; generated by `weft completion bash`. Do not edit.\n" +
         Function(root,
                  {"COMP_WORDS", "1", "COMP_CWORD",
                   "COMPREPLY=($(compgen -W \"$candidates\" -- \"${COMP_WORDS[COMP_CWORD]}\"))",
                   "COMPREPLY=($(compgen -f -- \"${COMP_WORDS[COMP_CWORD]}\"))",
                   "COMPREPLY=($(compgen -d -- \"${COMP_WORDS[COMP_CWORD]}\"))",
                   "COMPREPLY=($(compgen -c -- \"${COMP_WORDS[COMP_CWORD]}\"))"}) +
         "complete -o default -F _weft weft\n";
}

std::string Zsh(const Node& root) {
  return "#compdef weft\n# zsh completion for weft; generated by `weft completion zsh`. Do not "
         "edit.\n" +
         Function(root, {"words", "2", "CURRENT", "compadd -- ${=candidates}", "_files",
                         "_files -/", "_command_names"}) +
         "_weft \"$@\"\n";
}

std::string Fish(const Node& root) {
  std::ostringstream out;
  out << "# fish completion for weft; generated by `weft completion fish`. Do not edit.\n"
      << "complete -c weft -f\n";
  std::string groups = Join(Names(root.children));
  out << "complete -c weft -n '__fish_use_subcommand' -a '" << groups << "'\n";
  for (const auto& f : root.flags) out << "complete -c weft -l " << f.substr(2) << "\n";
  for (const auto& [flag, values] : Enumerated())
    out << "complete -c weft -l " << flag.substr(2) << " -x -a '" << values << "'\n";
  out << "complete -c weft -l store -x -a '(__fish_complete_directories)'\n"
      << "complete -c weft -n '__fish_seen_subcommand_from exec; and contains -- -- (commandline "
         "-opc)' -a "
         "'(__fish_complete_command)'\n";
  for (const auto& g : root.children) {
    std::string in_group = "__fish_seen_subcommand_from " + g.name;
    if (!g.children.empty())
      out << "complete -c weft -n '" << in_group << "; and not __fish_seen_subcommand_from "
          << Join(Names(g.children)) << "' -a '" << Join(Names(g.children)) << "'\n";
    for (const auto& f : g.flags)
      out << "complete -c weft -n '" << in_group << "' -l " << f.substr(2) << "\n";
    for (const auto& v : g.children)
      for (const auto& f : v.flags)
        out << "complete -c weft -n '" << in_group << "; and __fish_seen_subcommand_from " << v.name
            << "' -l " << f.substr(2)
            << (std::find(v.with_value.begin(), v.with_value.end(), f) != v.with_value.end() ? " -r"
                                                                                             : "")
            << "\n";
  }
  return out.str();
}

}  // namespace

std::string CompletionScript(const CLI::App& app, const std::string& shell) {
  Node root = Walk(app);
  if (shell == "bash") return Bash(root);
  if (shell == "zsh") return Zsh(root);
  if (shell == "fish") return Fish(root);
  return "";
}

}  // namespace weft::cli
