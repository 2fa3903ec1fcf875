// JSON-object rows under a fixed column list: their query schema, the
// *_query answer and the *_purge id check (row_table.h).
#include "core/row_table.h"

#include <algorithm>

#include "core/query_request.h"

namespace weft {
namespace {

class RowSchema : public Schema {
 public:
  explicit RowSchema(const RowColumns& columns) : c_(columns) {}
  bool Resolve(const std::string& name, FieldRef& out) const override {
    std::vector<std::string> path = SplitPath(name);
    auto it =
        std::find_if(c_.names.begin(), c_.names.end(), [&](const char* n) { return path[0] == n; });
    if (it == c_.names.end()) return false;
    out.column = static_cast<int>(it - c_.names.begin());
    if (path.size() > 1 && out.column != c_.json) return false;
    out.json = out.column == c_.json;
    out.path.assign(path.begin() + 1, path.end());
    out.name = name;
    return true;
  }

 private:
  const RowColumns& c_;
};

// One output row with the requested fields ("payload.x" values as JSON,
// "x_dump" as x).
Json Project(const Json& row, const std::vector<std::string>& fields) {
  if (fields.empty()) return row;
  Json out = Json::object();
  for (const auto& f : fields) {
    std::string key = f.ends_with("_dump") ? f.substr(0, f.size() - 5) : f;
    const Json* v = FollowPath(row, SplitPath(key));
    out[key] = v ? *v : Json(nullptr);
  }
  return out;
}

}  // namespace

Value JsonRow::Get(const FieldRef& f) const {
  auto it = row_.find(columns_->names[f.column]);
  const Json& v = it == row_.end() ? Json() : *it;
  if (f.json) return Value::FromJsonPath(FollowPath(v, f.path));
  bool time =
      std::find(columns_->times.begin(), columns_->times.end(), f.column) != columns_->times.end();
  if (time && v.is_string()) return Value::Time(ParseTime(v.get<std::string>()).value_or(0));
  return Value::FromJson(v);
}

Result<Json> QueryRows(Fields& f, const RowColumns& columns, std::vector<JsonRow> rows) {
  const RowSchema schema(columns);
  std::vector<std::string> fields = f.OptStrList("fields").value_or(
      std::vector<std::string>(columns.shown.begin(), columns.shown.end()));
  const Json* query = f.OptAny("query");
  auto sort_by = ReadSortBy(f);
  Paging paging = ReadPaging(f);
  WEFT_TRY(f.Finish());
  bool count_only = std::find(fields.begin(), fields.end(), "count(*)") != fields.end();
  for (size_t i = 0; i < fields.size(); ++i) {
    FieldRef unused;
    std::string name =
        fields[i].ends_with("_dump") ? fields[i].substr(0, fields[i].size() - 5) : fields[i];
    if (fields[i] != "count(*)" && !schema.Resolve(name, unused))
      return Invalid("fields." + std::to_string(i) + ": unknown field '" + fields[i] + "'");
  }
  if (query && !query->is_null()) {
    WEFT_ASSIGN(Query q, Query::Compile(*query, schema, "query", NullEquality::kUnknown));
    std::erase_if(rows, [&](const JsonRow& r) { return !q.Matches(r); });
  }
  if (sort_by) {
    WEFT_ASSIGN(std::vector<SortKey> sort, CompileSort(*sort_by, schema));
    std::stable_sort(rows.begin(), rows.end(), [&](const JsonRow& a, const JsonRow& b) {
      return CompareRows(a, b, sort) < 0;
    });
  }
  if (count_only) return Json::array({{{"count(*)", rows.size()}}});
  Json result = Json::array();
  auto [first, count] = paging.Slice(rows.size());
  for (size_t i = first; i < first + count; ++i) result.push_back(Project(rows[i].json(), fields));
  return result;
}

Result<std::vector<std::string>> PurgeIds(const Json& query, const std::string& rows,
                                          const std::string& id_kind, bool allow_in) {
  Error bad =
      Invalid("query: can only purge " + rows + " by specifying one or more " + id_kind + " ids");
  std::vector<std::string> ids;
  // One allowed condition ($eq, or $in where allowed, of id and string literals) into ids.
  auto take = [&](const Json& cond, bool in) {
    if (!cond.is_object() || cond.size() != 1) return false;
    const char* op = cond.contains("$eq") ? "$eq" : in && cond.contains("$in") ? "$in" : nullptr;
    if (!op) return false;
    const Json& a = cond[op];
    if (!a.is_array() || a.size() != 2 || a[0] != Json{{"$getField", "id"}}) return false;
    auto literal = [](const Json& l) {
      return l.is_object() && l.size() == 1 && l.contains("$literal") && l["$literal"].is_string();
    };
    if (std::string_view(op) == "$eq") {
      if (!literal(a[1])) return false;
      ids.push_back(a[1]["$literal"].get<std::string>());
      return true;
    }
    if (!a[1].is_array() || a[1].empty()) return false;
    for (const Json& l : a[1]) {
      if (!literal(l)) return false;
      ids.push_back(l["$literal"].get<std::string>());
    }
    return true;
  };
  if (!query.is_object() || query.size() != 1 || !query.contains("$expr")) return bad;
  const Json& e = query["$expr"];
  if (take(e, allow_in)) return ids;
  if (!e.is_object() || e.size() != 1 || !e.contains("$or") || !e["$or"].is_array()) return bad;
  if (e["$or"].empty()) return Invalid("query.$expr.$or: empty OR operation");
  for (const Json& item : e["$or"])
    if (!take(item, false)) return bad;
  return ids;
}

}  // namespace weft
