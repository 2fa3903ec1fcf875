// Ref rewriting between projects (docs/transfer.md#refs).
#include "core/api/ref_map.h"

#include <vector>

#include "core/api/refs.h"

namespace weft {

std::string VersionKey(std::string_view kind, std::string_view name, std::string_view digest) {
  std::string key(kind);
  key += '/';
  if (kind != "table") (key += name) += ':';
  return key += digest;
}

void RefMap::Add(std::string local, std::string remote) {
  if (local != remote) map_[std::move(local)] = std::move(remote);
}

std::string RefMap::Rewrite(std::string_view s) const {
  if (!s.starts_with(kRefScheme)) return std::string(s);
  std::string_view rest = s.substr(kRefScheme.size());
  if (!rest.starts_with(from_) || rest.size() <= from_.size() || rest[from_.size()] != '/')
    return std::string(s);
  rest.remove_prefix(from_.size() + 1);
  // rest: KIND/PART[/extra...]; the version key is KIND/PART.
  size_t kind_end = rest.find('/');
  size_t part_end = kind_end == std::string_view::npos ? kind_end : rest.find('/', kind_end + 1);
  std::string key(rest.substr(0, part_end));
  auto found = map_.find(key);
  std::string out(kRefScheme);
  (out += to_) += '/';
  if (found == map_.end()) return out += rest;
  out += found->second;
  if (part_end != std::string_view::npos) out += rest.substr(part_end);
  return out;
}

Json RefMap::RewriteAll(Json out) const {
  if (identity()) return out;
  // Iterative, so that no depth of nesting can overflow the stack.
  std::vector<Json*> todo = {&out};
  while (!todo.empty()) {
    Json* at = todo.back();
    todo.pop_back();
    if (at->is_string()) {
      const auto& s = at->get_ref<const std::string&>();
      if (s.starts_with(kRefScheme)) *at = Rewrite(s);
    } else if (at->is_object()) {
      for (auto& item : *at) todo.push_back(&item);
    } else if (at->is_array()) {
      for (auto& item : *at) todo.push_back(&item);
    }
  }
  return out;
}

}  // namespace weft
