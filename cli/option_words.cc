// Which options a command line names (cli/option_words.h).
#include "cli/option_words.h"

#include <algorithm>

namespace weft::cli {

OptionWords::OptionWords(int argc, char** argv) : all_(false) {
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") break;  // what follows is positional
    if (word == "-h" || word == "--help") all_ = true;
    if (word.starts_with("--"))
      named_.emplace(word.substr(0, word.find('=')));
    else if (word.starts_with("-") && word.size() > 2)
      all_ = true;  // -qy: several short flags, or -xVALUE
    else if (word.starts_with("-"))
      named_.emplace(word);
  }
}

bool OptionWords::operator()(std::string_view names) const {
  if (all_) return true;
  while (!names.empty()) {
    std::string_view name = names.substr(0, names.find(','));
    names.remove_prefix(std::min(names.size(), name.size() + 1));
    if (!name.starts_with("-") || named_.count(name)) return true;
  }
  return false;
}

}  // namespace weft::cli
