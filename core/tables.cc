// table_create, table_create_from_digests, table_update, table_query (and
// its stream) and table_query_stats over the rows and tables sub-databases.
#include "core/tables.h"

#include <algorithm>
#include <functional>
#include <set>

#include "base/ids.h"
#include "core/digest.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/query.h"
#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

Result<std::string> PutRow(Txn& txn, const std::string& project, const Json& row) {
  std::string text = PythonDumps(row);
  std::string digest = BytesDigest(text);
  WEFT_TRY(txn.Put(Db::kRows, keys::Digest(project, digest), text));
  return digest;
}

// Stores the table and answers its digest.
Result<std::string> PutTable(Txn& txn, const std::string& project,
                             const std::vector<std::string>& row_digests) {
  std::string joined = EncodeTable(row_digests);
  std::string digest = HexDigest(joined);
  WEFT_TRY(txn.Put(Db::kTables, keys::Digest(project, digest), joined));
  return digest;
}

// Checks that every element of a rows list is an object.
void CheckRows(Fields& f, const char* key, const Json& rows) {
  for (size_t i = 0; i < rows.size(); ++i)
    if (!rows[i].is_object())
      f.Fail(std::string(key) + "." + std::to_string(i), "row must be an object");
}

// Later Weave's sort_by for rows: any dotted path into the row value.
class RowFields : public Schema {
 public:
  bool Resolve(const std::string& name, FieldRef& out) const override {
    out.path = SplitPath(name);
    out.json = true;
    out.name = name;
    return std::none_of(out.path.begin(), out.path.end(),
                        [](const std::string& p) { return p.empty(); });
  }
};

struct TableRow : public Row {
  TableRow(std::string d, Json v, size_t i) : digest(std::move(d)), val(std::move(v)), index(i) {}
  Value Get(const FieldRef& f) const override {
    return Value::FromJsonPath(FollowPath(val, f.path));
  }
  std::string digest;
  Json val;
  size_t index;
};

struct Update {
  enum Op { kAppend, kInsert, kPop } op;
  int64_t index = 0;
  Json row;
};

// Reads one entry of TableUpdateReq.updates: exactly one of append, insert, pop.
std::optional<Update> ReadUpdate(Fields& f, const Json& spec, size_t i) {
  std::string at = "updates." + std::to_string(i);
  if (!spec.is_object() || spec.size() != 1) {
    f.Fail(at, "expected one of {\"append\": ...}, {\"insert\": ...}, {\"pop\": ...}");
    return std::nullopt;
  }
  const std::string op = spec.begin().key();  // not a binding to items(): its proxy is a temporary
  const Json& payload = spec.begin().value();
  Fields p = f.Child(payload, at + "." + op);
  Update u;
  if (op == "append") {
    u.op = Update::kAppend;
    u.row = p.Dict("row");
  } else if (op == "insert") {
    u.op = Update::kInsert;
    u.index = p.Int("index");
    u.row = p.Dict("row");
  } else if (op == "pop") {
    u.op = Update::kPop;
    u.index = p.Int("index");
  } else {
    f.Fail(at, "unknown update '" + op + "'");
    return std::nullopt;
  }
  if (!p.Finish().ok()) return std::nullopt;
  return u;
}

}  // namespace

Result<std::optional<std::vector<std::string>>> LoadTable(Txn& txn, const std::string& project,
                                                          const std::string& digest) {
  WEFT_ASSIGN(auto joined, txn.Get(Db::kTables, keys::Digest(project, digest)));
  if (!joined) return std::optional<std::vector<std::string>>();
  return std::optional<std::vector<std::string>>(DecodeTable(*joined));
}

Result<std::optional<Json>> LoadRow(Txn& txn, const std::string& project,
                                    const std::string& row_digest) {
  WEFT_ASSIGN(auto text, txn.Get(Db::kRows, keys::Digest(project, row_digest)));
  if (!text) return std::optional<Json>();
  WEFT_ASSIGN(Json row, ParseJson(*text, "stored row"));
  return std::optional<Json>(std::move(row));
}

Result<Json> TableCreate(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  Fields table = f.Sub("table");
  std::string project = table.ProjectId();
  const Json& rows = table.List("rows");
  CheckRows(table, "rows", rows);
  WEFT_TRY(table.Finish());
  WEFT_TRY(f.Finish());
  std::string digest;
  std::vector<std::string> row_digests;
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    row_digests.clear();
    for (const Json& row : rows) {
      WEFT_ASSIGN(std::string d, PutRow(txn, project, row));
      row_digests.push_back(std::move(d));
    }
    WEFT_ASSIGN(digest, PutTable(txn, project, row_digests));
    return Status::OK();
  }));
  return Json{{"digest", digest}, {"row_digests", row_digests}};
}

Result<Json> TableCreateFromDigests(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::vector<std::string> row_digests = f.StrList("row_digests");
  auto expected = f.OptStr("expected_digest");
  WEFT_TRY(f.Finish());
  std::string digest;
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    for (size_t i = 0; i < row_digests.size(); ++i) {
      WEFT_ASSIGN(auto row, txn.Get(Db::kRows, keys::Digest(project, row_digests[i])));
      if (!row)
        return NotFound("row_digests." + std::to_string(i) + ": no row " + row_digests[i] +
                        " in project " + project);
    }
    WEFT_ASSIGN(digest, PutTable(txn, project, row_digests));
    if (expected && *expected != digest)
      return Invalid("expected_digest: client table (" + std::to_string(row_digests.size()) +
                     " rows) digest " + *expected + " != server digest " + digest);
    return Status::OK();
  }));
  return Json{{"digest", digest}};
}

namespace {

// Applies the i-th update to rows, noting the row digest it popped or added.
Status ApplyUpdate(Txn& txn, const std::string& project, const Update& u, size_t i,
                   std::vector<std::string>& rows, Json& changed) {
  int64_t n = static_cast<int64_t>(rows.size());
  bool in_range =
      u.op == Update::kPop ? (u.index >= 0 && u.index < n) : (u.index >= 0 && u.index <= n);
  if (u.op != Update::kAppend && !in_range)
    return Invalid("updates." + std::to_string(i) + ".index: index " + std::to_string(u.index) +
                   " out of range for a table of " + std::to_string(n) + " rows");
  if (u.op == Update::kPop) {
    changed.push_back(rows[u.index]);
    rows.erase(rows.begin() + u.index);
    return Status::OK();
  }
  WEFT_ASSIGN(std::string d, PutRow(txn, project, u.row));
  changed.push_back(d);
  rows.insert(u.op == Update::kAppend ? rows.end() : rows.begin() + u.index, d);
  return Status::OK();
}

}  // namespace

Result<Json> TableUpdate(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string base = f.Str("base_digest");
  const Json& specs = f.List("updates");
  std::vector<Update> updates;
  for (size_t i = 0; i < specs.size() && f.ok(); ++i)
    if (auto u = ReadUpdate(f, specs[i], i)) updates.push_back(std::move(*u));
  WEFT_TRY(f.Finish());
  std::string digest;
  Json changed = Json::array();
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto rows, LoadTable(txn, project, base));
    if (!rows) return NotFound("Table " + project + ":" + base + " not found");
    changed = Json::array();
    for (size_t i = 0; i < updates.size(); ++i)
      WEFT_TRY(ApplyUpdate(txn, project, updates[i], i, *rows, changed));
    WEFT_ASSIGN(digest, PutTable(txn, project, *rows));
    return Status::OK();
  }));
  return Json{{"digest", digest}, {"updated_row_digests", changed}};
}

namespace {

// table_query's rows, each as TableRowSchema, to `each`.
Status QueryRows(const Json& req, Context& ctx, const std::function<void(Json)>& each) {
  static const RowFields kSchema;
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string digest = f.Str("digest");
  Fields filter = f.Sub("filter", false, Extra::kForbid);
  auto wanted = filter.OptStrList("row_digests");
  Paging paging = ReadPaging(f);
  auto sort_by = ReadSortBy(f);
  WEFT_TRY(filter.Finish());
  WEFT_TRY(f.Finish());
  std::vector<SortKey> sort;
  if (sort_by) {
    WEFT_ASSIGN(sort, CompileSort(*sort_by, kSchema));
  }
  // Without sort_by the rows before offset are never read; with it, every
  // selected row is read and sorted (ties keep table order).
  std::vector<TableRow> rows;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto digests, LoadTable(txn, project, digest));
    if (!digests) return Status::OK();
    int64_t skip = sort.empty() ? paging.offset : 0;
    int64_t left = sort.empty() ? paging.limit : INT64_MAX;
    for (size_t i = 0; i < digests->size() && left > 0; ++i) {
      const std::string& d = (*digests)[i];
      if (!Listed(wanted, d)) continue;
      if (skip > 0 && skip--) continue;
      WEFT_ASSIGN(auto val, LoadRow(txn, project, d));
      if (!val) return StoreError("table " + digest + " names a missing row " + d);
      rows.emplace_back(d, std::move(*val), i);
      --left;
    }
    return Status::OK();
  }));
  size_t first = 0, count = rows.size();
  if (!sort.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const TableRow& a, const TableRow& b) {
      return CompareRows(a, b, sort) < 0;
    });
    std::tie(first, count) = paging.Slice(rows.size());
  }
  for (size_t i = first; i < first + count; ++i)
    each(Json{{"digest", rows[i].digest},
              {"val", std::move(rows[i].val)},
              {"original_index", rows[i].index}});
  return Status::OK();
}

}  // namespace

Result<Json> TableQuery(const Json& req, Context& ctx) {
  Json out = Json::array();
  WEFT_TRY(QueryRows(req, ctx, [&](Json row) { out.push_back(std::move(row)); }));
  return Json{{"rows", std::move(out)}};
}

Result<Json> TableQueryStream(const Json& req, Context& ctx) {
  WEFT_TRY(QueryRows(req, ctx, [&](Json row) { ctx.emit(CompactDumps(row)); }));
  return Json(nullptr);
}

Result<Json> TableQueryStats(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string digest = f.Str("digest");
  WEFT_TRY(f.Finish());
  size_t count = 0;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto rows, LoadTable(txn, project, digest));
    count = rows ? rows->size() : 0;
    return Status::OK();
  }));
  return Json{{"count", count}};
}

namespace {

// The stored bytes of a table's rows.
Result<int64_t> RowBytes(Txn& txn, const std::string& project,
                         const std::vector<std::string>& rows) {
  int64_t bytes = 0;
  for (const std::string& row : rows) {
    WEFT_ASSIGN(auto text, txn.Get(Db::kRows, keys::Digest(project, row)));
    bytes += text ? static_cast<int64_t>(text->size()) : 0;
  }
  return bytes;
}

}  // namespace

Result<Json> TableQueryStatsBatch(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  auto digests = f.OptStrList("digests").value_or(std::vector<std::string>{});
  bool with_size = f.OptBool("include_storage_size").value_or(false);
  WEFT_TRY(f.Finish());
  Json tables = Json::array();
  std::set<std::string> seen;  // each digest answered once
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    for (const auto& digest : digests) {
      if (!seen.insert(digest).second) continue;
      WEFT_ASSIGN(auto rows, LoadTable(txn, project, digest));
      if (!rows) continue;
      Json stats = {{"digest", digest}, {"count", rows->size()}};
      auto bytes = with_size ? RowBytes(txn, project, *rows) : Result<int64_t>(0);
      if (!bytes.ok()) return bytes.error();
      if (with_size) stats["storage_size_bytes"] = *bytes;
      tables.push_back(std::move(stats));
    }
    return Status::OK();
  }));
  return Json{{"tables", tables}};
}

}  // namespace weft
