// Method names of the interface mapped to their implementations.
#include "core/server.h"

#include <map>

#include "core/check.h"
#include "core/methods.h"
#include "store/store.h"

namespace weft {
namespace {

const std::map<std::string, Method>& Methods() {
  static const std::map<std::string, Method> kMethods = {
      {"call_start", CallStart},
      {"call_end", CallEnd},
      {"call_read", CallRead},
      {"call_update", CallUpdate},
      {"calls_delete", CallsDelete},
      {"call_upsert_batch", CallUpsertBatch},
      {"calls_import", CallsImport},
      {"calls_query", CallsQuery},
      {"calls_query_stats", CallsQueryStats},
      {"calls_query_stream", CallsQueryStream},
      {"feedback_create", FeedbackCreate},
      {"feedback_create_batch", FeedbackCreateBatch},
      {"feedback_replace", FeedbackReplace},
      {"feedback_query", FeedbackQuery},
      {"feedback_purge", FeedbackPurge},
      {"obj_create", ObjCreate},
      {"obj_read", ObjRead},
      {"objs_query", ObjsQuery},
      {"obj_delete", ObjDelete},
      {"op_create", OpCreate},
      {"op_read", OpRead},
      {"ops_query", OpsQuery},
      {"table_create", TableCreate},
      {"table_update", TableUpdate},
      {"table_query", TableQuery},
      {"table_query_stats", TableQueryStats},
      {"table_query_stats_batch", TableQueryStatsBatch},
      {"file_create", FileCreate},
      {"file_content_read", FileContentRead},
      {"refs_read_batch", RefsReadBatch},
      {"ensure_project_exists", EnsureProjectExists},
  };
  return kMethods;
}

}  // namespace

TraceServer::TraceServer(std::string store_dir)
    : dir_(std::move(store_dir)), store_(std::make_unique<Store>(dir_)) {
  ctx_.store = store_.get();
}

TraceServer::~TraceServer() = default;

Status TraceServer::Backup(const std::string& dest) { return store_->Backup(dest); }

Result<std::pair<uint64_t, uint64_t>> TraceServer::Compact() { return store_->Compact(); }

Result<Json> TraceServer::Check(bool repair, const std::string& backup_dir) {
  if (!repair) return CheckStore(*store_);
  WEFT_TRY(store_->Backup(backup_dir));
  return RepairStore(*store_);
}

Result<Json> TraceServer::Stats() {
  WEFT_ASSIGN(StoreStats st, store_->Stats());
  // What each sub-database counts, in the words of the data model.
  static const std::map<Db, const char*> kKinds = {
      {Db::kCalls, "calls"}, {Db::kObjects, "object_versions"}, {Db::kTables, "tables"},
      {Db::kRows, "table_rows"}, {Db::kFiles, "files"}, {Db::kFeedback, "feedback"}};
  Json projects = Json::object();
  for (const auto& [project, dbs] : st.projects) {
    Json p = Json::object();
    uint64_t bytes = 0;
    for (const auto& [db, kind] : kKinds) p[kind] = dbs.count(db) ? dbs.at(db).records : 0;
    for (const auto& [db, tally] : dbs) bytes += tally.bytes;
    p["bytes"] = bytes;
    projects[project] = p;
  }
  return Json{{"store", store_dir()},
              {"file_bytes", st.file_size},
              {"map_bytes", st.map_size},
              {"page_bytes", st.page_size},
              {"pages_used", st.pages_used},
              {"free_pages", st.free_pages},
              {"readers_in_use", st.readers_in_use},
              {"readers_max", st.readers_max},
              {"projects", projects}};
}

void TraceServer::SetWriteWait(double seconds, std::function<void(long)> waiting) {
  store_->SetWriteWait(seconds, std::move(waiting));
}

bool HasMethod(const std::string& method) { return Methods().count(method) > 0; }

Result<Json> CallMethod(const std::string& method, const Json& request, Context& ctx) {
  auto it = Methods().find(method);
  if (it == Methods().end()) return Invalid("unknown method " + method);
  return it->second(request, ctx);
}

}  // namespace weft
