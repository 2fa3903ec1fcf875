// Tables (docs/semantics.md#tables): rows stored once per (project, row digest), tables
// as their ordered list of row digests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "store/txn.h"

namespace weft {

// The row digests of a table in order, or nullopt when it does not exist.
Result<std::optional<std::vector<std::string>>> LoadTable(Txn& txn, const std::string& project,
                                                          const std::string& digest);

// A stored row value, or nullopt.
Result<std::optional<Json>> LoadRow(Txn& txn, const std::string& project,
                                    const std::string& row_digest);

}  // namespace weft
