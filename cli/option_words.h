// The options a command line names, so that weft's CLI11 tree holds only
// those: building one CLI11 option costs about 5 us, which made the option
// table most of a command's start-up (bench/RESULTS.md, the floor).
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace weft::cli {

class OptionWords {
 public:
  // Every option, always: for help, completion and the second parse that
  // reports an error (main.cc).
  static OptionWords All() { return OptionWords(); }

  // The options named before any `--`: as --name or --name=VALUE, or -x.
  // Help anywhere, or a word CLI11 could read as several short flags at
  // once (-qy), asks for every option.
  OptionWords(int argc, char** argv);

  // Whether the tree needs the option with these CLI11 names ("--yes,-y";
  // a positional's name, which has no dash, always).
  bool operator()(std::string_view names) const;
  bool all() const { return all_; }

 private:
  OptionWords() = default;

  bool all_ = true;
  std::set<std::string, std::less<>> named_;
};

}  // namespace weft::cli
