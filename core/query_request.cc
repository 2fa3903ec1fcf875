// Paging, sort_by and list filters, read once for every query method.
#include "core/query_request.h"

#include <algorithm>

namespace weft {

std::pair<size_t, size_t> Paging::Slice(size_t n) const {
  size_t first = std::min(n, static_cast<size_t>(offset));
  return {first, std::min(n - first, static_cast<size_t>(limit))};
}

namespace {

int64_t NonNegative(Fields& f, const char* key, int64_t fallback) {
  auto v = f.OptInt(key);
  if (v && *v < 0) f.Reject(key, "must be a non-negative integer, got " + std::to_string(*v));
  return v && *v >= 0 ? *v : fallback;
}

}  // namespace

Paging ReadPaging(Fields& f) {
  return {.limit = ReadLimit(f), .offset = NonNegative(f, "offset", 0)};
}

int64_t ReadLimit(Fields& f) { return NonNegative(f, "limit", INT64_MAX); }

std::optional<std::vector<SortItem>> ReadSortBy(Fields& f) {
  const Json* list = f.OptList("sort_by");
  if (!list) return std::nullopt;
  std::vector<SortItem> items;
  for (size_t i = 0; i < list->size(); ++i) {
    Fields item = f.Child((*list)[i], "sort_by." + std::to_string(i), Extra::kForbid);
    std::string field = item.Str("field");
    std::string direction = item.Str("direction");
    if (item.ok() && direction != "asc" && direction != "desc")
      item.Fail("direction", "expected 'asc' or 'desc', got '" + direction + "'");
    if (!item.Finish().ok()) return std::nullopt;
    items.push_back({std::move(field), direction == "desc"});
  }
  return items;
}

bool Listed(const std::optional<std::vector<std::string>>& list, const std::string& v) {
  return !list || list->empty() || std::find(list->begin(), list->end(), v) != list->end();
}

bool Listed(const std::optional<std::vector<std::string>>& list,
            const std::optional<std::string>& v) {
  return !list || list->empty() || (v && Listed(list, *v));
}

}  // namespace weft
