// Dotted paths into JSON values, as queries, sorts and flags name them
// ("inputs.messages.0.content"; docs/semantics.md#the-query-language).
#pragma once

#include <string>
#include <vector>

#include "base/json.h"

namespace weft {

// Splits a dotted path; a JSON path starts after the column name.
std::vector<std::string> SplitPath(const std::string& dotted);

// Follows a path of keys and list indexes into a JSON value; null if
// missing. A non-negative integer indexes a list and never names a key.
const Json* FollowPath(const Json& root, const std::vector<std::string>& path, size_t from = 0);

}  // namespace weft
