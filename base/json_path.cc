// Dotted paths into JSON values (json_path.h).
#include "base/json_path.h"

#include <algorithm>
#include <charconv>

namespace weft {

std::vector<std::string> SplitPath(const std::string& dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = dotted.find('.', start);
    parts.push_back(dotted.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

const Json* FollowPath(const Json& root, const std::vector<std::string>& path, size_t from) {
  const Json* cur = &root;
  for (size_t i = from; i < path.size(); ++i) {
    const std::string& part = path[i];
    bool index = !part.empty() &&
                 std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (index && cur->is_array()) {
      size_t k = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), k);
      if (ec != std::errc() || k >= cur->size()) return nullptr;
      cur = &(*cur)[k];
    } else if (!index && cur->is_object()) {
      auto it = cur->find(part);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else {
      return nullptr;
    }
  }
  return cur;
}

}  // namespace weft
