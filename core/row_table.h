// Rows kept as JSON objects with a fixed list of columns (feedback, costs):
// the query language's schema over them, and the *_query and *_purge
// request shapes Weave gives such tables (docs/semantics.md#feedback,
// docs/semantics.md#costs).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/fields.h"
#include "core/query.h"

namespace weft {

struct RowColumns {
  std::span<const char* const> names;
  int json = -1;  // the one column whose inside a dotted path reaches (feedback's payload)
  std::span<const int> times = {};  // columns holding RFC 3339 times, compared as times
  std::span<const char* const> shown =
      {};  // the fields a query answers when it names none (all if empty)
};

// One row: its JSON object, read through the columns.
class JsonRow : public Row {
 public:
  JsonRow(Json row, const RowColumns& columns) : row_(std::move(row)), columns_(&columns) {}
  const Json& json() const { return row_; }
  Value Get(const FieldRef& f) const override;

 private:
  Json row_;
  const RowColumns* columns_;
};

// A *_query request (fields, query, sort_by, limit, offset) answered from
// rows in their stored order: the matching rows, sorted and paged, each
// with the requested fields ("count(*)" answers the count alone).
Result<Json> QueryRows(Fields& f, const RowColumns& columns, std::vector<JsonRow> rows);

// The ids a *_purge query names: only {"$eq": [id, literal]}, an $or of
// those, and (with allow_in, as Weave's cost_purge) {"$in": [id,
// [literals]]} are allowed. The error names the rows and their ids: "can
// only purge costs by specifying one or more cost ids".
Result<std::vector<std::string>> PurgeIds(const Json& query, const std::string& rows,
                                          const std::string& id_kind, bool allow_in);

}  // namespace weft
