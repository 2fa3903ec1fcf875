// Rewriting refs when records move between projects or servers
// (docs/transfer.md#refs): a ref into the source project is moved to the
// destination project, and an object, op or table ref whose digest the
// destination answered differently gets that digest. Push, pull and import
// all keep one of these, filled as the destination answers.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "base/json.h"

namespace weft {

class RefMap {
 public:
  RefMap(std::string from_project, std::string to_project)
      : from_(std::move(from_project)), to_(std::move(to_project)) {}

  const std::string& from() const { return from_; }
  const std::string& to() const { return to_; }

  // Records that what the source calls `kind/name:digest` (or
  // `table/digest`) is `kind/name:new_digest` (`table/new_digest`) at the
  // destination. `local` and `remote` are those "kind/part" strings.
  void Add(std::string local, std::string remote);
  bool Has(const std::string& local) const { return map_.count(local) > 0; }
  // Whether Rewrite changes nothing.
  bool identity() const { return from_ == to_ && map_.empty(); }
  size_t size() const { return map_.size(); }

  // The ref as the destination knows it; anything that is not a weave:///
  // ref into the source project comes back unchanged.
  std::string Rewrite(std::string_view s) const;
  // Every string inside v (not keys) rewritten as Rewrite does.
  Json RewriteAll(Json v) const;

 private:
  std::string from_, to_;
  std::unordered_map<std::string, std::string> map_;
};

// "object/name:digest", "op/name:digest" or "table/digest": the key RefMap
// uses for a version.
std::string VersionKey(std::string_view kind, std::string_view name, std::string_view digest);

}  // namespace weft
