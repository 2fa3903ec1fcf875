// ensure_project_exists (docs/semantics.md#projects): registers the project,
// idempotently; project_stats and files_stats: the bytes a project keeps;
// project_delete: everything it keeps, gone.
#include "base/bytes.h"
#include "base/clock.h"
#include "base/ids.h"
#include "core/fields.h"
#include "core/methods.h"
#include "store/keys.h"

namespace weft {

Result<Json> EnsureProjectExists(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string entity = f.Str("entity");
  std::string project = f.Str("project");
  WEFT_TRY(f.Finish());
  std::string id = entity + "/" + project;
  WEFT_TRY(CheckProjectId(id, "entity/project"));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto known, txn.Get(Db::kProjects, keys::Project(id)));
    if (known) return Status::OK();
    return txn.Put(Db::kProjects, keys::Project(id),
                   EncodeBE(static_cast<uint64_t>(NowMicros()), 8));
  }));
  return Json{{"project_name", project}};
}

namespace {

// What project_delete counts, by the sub-database that holds one record of each.
constexpr std::pair<const char*, Db> kCounted[] = {
    {"calls", Db::kCalls}, {"objects", Db::kObjects},   {"tables", Db::kTables},
    {"files", Db::kFiles}, {"feedback", Db::kFeedback}, {"prices", Db::kCosts}};
constexpr size_t kDeleteChunk = 10000;  // keys held in memory at a time

// How many keys a project has in db.
Result<int64_t> CountKeys(Txn& txn, Db db, const std::string& project) {
  int64_t n = 0;
  WEFT_TRY(txn.ForEach(db, keys::ProjectPrefix(project),
                       [&](std::string_view, std::string_view) { return ++n, true; }));
  return n;
}

// Deletes every key of a project in db, a chunk at a time, each chunk from
// the start of what is left (a cursor does not survive the deletes).
Status DeleteKeys(Txn& txn, Db db, const std::string& project) {
  for (;;) {
    std::vector<std::string> doomed;
    WEFT_TRY(
        txn.ForEach(db, keys::ProjectPrefix(project), [&](std::string_view key, std::string_view) {
          doomed.emplace_back(key);
          return doomed.size() < kDeleteChunk;
        }));
    for (const auto& key : doomed) WEFT_TRY(txn.Del(db, key));
    if (doomed.size() < kDeleteChunk) return Status::OK();
  }
}

// The bytes of the values a project keeps in db.
Result<int64_t> ValueBytes(Txn& txn, Db db, const std::string& project) {
  int64_t bytes = 0;
  WEFT_TRY(txn.ForEach(db, keys::ProjectPrefix(project), [&](std::string_view, std::string_view v) {
    bytes += static_cast<int64_t>(v.size());
    return true;
  }));
  return bytes;
}

}  // namespace

Result<Json> ProjectStats(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  struct Part {
    const char* flag;
    const char* answer;
    std::vector<Db> dbs;
  } parts[] = {
      {"include_trace_storage_size", "trace_storage_size_bytes", {Db::kCalls}},
      {"include_object_storage_size", "objects_storage_size_bytes", {Db::kObjects}},
      {"include_table_storage_size", "tables_storage_size_bytes", {Db::kTables, Db::kRows}},
      {"include_file_storage_size", "files_storage_size_bytes", {Db::kFiles}}};
  std::vector<bool> wanted;
  for (const Part& p : parts) wanted.push_back(f.OptBool(p.flag).value_or(true));
  WEFT_TRY(f.Finish());
  Json out = Json::object();
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    for (size_t i = 0; i < std::size(parts); ++i) {
      int64_t bytes = 0;
      for (Db db : wanted[i] ? parts[i].dbs : std::vector<Db>{}) {
        WEFT_ASSIGN(int64_t more, ValueBytes(txn, db, project));
        bytes += more;
      }
      out[parts[i].answer] = bytes;
    }
    return Status::OK();
  }));
  return out;
}

Result<Json> FilesStats(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  WEFT_TRY(f.Finish());
  int64_t bytes = 0;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(bytes, ValueBytes(txn, Db::kFiles, project));
    return Status::OK();
  }));
  return Json{{"total_size_bytes", bytes}};
}

Result<Json> ProjectDelete(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  bool dry_run = f.OptBool("dry_run").value_or(false);
  WEFT_TRY(f.Finish());
  Json counts = Json::object();
  auto count = [&](Txn& txn) -> Status {
    for (const auto& [name, db] : kCounted) {
      WEFT_ASSIGN(int64_t n, CountKeys(txn, db, project));
      counts[name] = n;
    }
    return Status::OK();
  };
  if (dry_run) {
    WEFT_TRY(ctx.store->Read(count));
    return Json{{"project_id", project}, {"would_delete", counts}};
  }
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_TRY(count(txn));
    for (int i = 0; i < kDbCount; ++i) {
      Db db = static_cast<Db>(i);
      if (db != Db::kMeta && db != Db::kProjects) WEFT_TRY(DeleteKeys(txn, db, project));
    }
    return txn.Del(Db::kProjects, keys::Project(project));
  }));
  return Json{{"project_id", project}, {"deleted", counts}};
}

}  // namespace weft
