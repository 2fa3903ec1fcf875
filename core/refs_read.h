// Reading the value behind a ref, as refs_read_batch and calls_query's
// expand_columns do.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "core/api/refs.h"
#include "store/txn.h"

namespace weft {

// The value an object or op ref (with its extra path) points at; null when
// the object, key, index or row is missing.
Result<Json> ResolveRef(Txn& txn, const Ref& ref);

// expand_columns: replaces the object ref found at a path by the value it
// points at (a dict gets `_ref`, the ref), remembering each ref it resolved.
// Refs of other projects, non-object refs and refs that read as null stay
// as they are (docs/semantics.md#expand-columns).
class RefExpander {
 public:
  RefExpander(Txn& txn, std::string project) : txn_(txn), project_(std::move(project)) {}
  // `path` runs from `root` (keys and list indexes); nothing there, nothing done.
  Status Expand(Json& root, const std::vector<std::string>& path, size_t from = 0);

 private:
  Txn& txn_;
  std::string project_;
  std::unordered_map<std::string, Json> resolved_;  // ref -> value
};

}  // namespace weft
