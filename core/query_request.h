// The fields every query method reads the same way: paging (limit,
// offset), sort_by, and the optional lists a filter matches against.
// docs/semantics.md ("Queries") says what each means.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/fields.h"

namespace weft {

// limit and offset: absent or null means no limit and no offset.
struct Paging {
  int64_t limit = INT64_MAX;
  int64_t offset = 0;
  // The [first, first + count) slice of n items in final order.
  std::pair<size_t, size_t> Slice(size_t n) const;
};

// Reads limit and offset; a negative one fails the request naming it.
Paging ReadPaging(Fields& f);
// Reads limit alone (query-stats): INT64_MAX when absent.
int64_t ReadLimit(Fields& f);

// One sort_by item as written: a field name and its direction.
struct SortItem {
  std::string field;
  bool descending = false;
};

// Reads sort_by: absent or null gives nullopt; otherwise a list of
// {"field": str, "direction": "asc"|"desc"}, both required.
std::optional<std::vector<SortItem>> ReadSortBy(Fields& f);

// Whether v passes an optional list filter: an absent or empty list lets
// everything through.
bool Listed(const std::optional<std::vector<std::string>>& list, const std::string& v);
// The same for an optional value: a missing one passes only an open list.
bool Listed(const std::optional<std::vector<std::string>>& list,
            const std::optional<std::string>& v);

}  // namespace weft
