// The trace server over a store: calling a method by its row, and the
// maintenance the CLI's own commands run.
#include "core/api/trace_server.h"

#include <map>

#include "core/api/method_table.h"
#include "core/calls/call_index.h"
#include "core/calls/call_record.h"
#include "core/check.h"
#include "core/records/records.h"
#include "store/keys.h"
#include "store/store.h"
#include "store/txn.h"

namespace weft {
TraceServer::TraceServer(std::string store_dir)
    : dir_(std::move(store_dir)), store_(std::make_unique<Store>(dir_)) {
  ctx_.store = store_.get();
  store_->SetUpgrade(UpgradeCalls);
}

TraceServer::~TraceServer() = default;

Status TraceServer::Backup(const std::string& dest) { return store_->Backup(dest); }

Result<std::pair<uint64_t, uint64_t>> TraceServer::Compact() { return store_->Compact(); }

Result<Json> TraceServer::Check(bool repair, const std::string& backup_dir) {
  if (!repair) return CheckStore(*store_);
  WEFT_TRY(store_->Backup(backup_dir));
  return RepairStore(*store_);
}

namespace {

// Deleted calls per project: their records stay (a delete is a mark, as in
// Weave), so stats counts them apart from the live ones.
Result<std::map<std::string, uint64_t>> DeletedCalls(Store& store) {
  std::map<std::string, uint64_t> deleted;
  WEFT_TRY(store.Read([&](Txn& txn) {
    return txn.ForEach(Db::kCalls, "", [&](std::string_view key, std::string_view value) {
      auto call = ViewCall(value);
      if (call.ok() && call->deleted()) ++deleted[std::string(keys::ProjectOf(key))];
      return true;
    });
  }));
  return deleted;
}

}  // namespace

Result<Json> TraceServer::Stats() {
  WEFT_ASSIGN(StoreStats st, store_->Stats());
  WEFT_ASSIGN(auto deleted, DeletedCalls(*store_));
  // What each sub-database counts, in the words of the data model.
  static const std::map<Db, const char*> kKinds = {
      {Db::kCalls, "calls"},   {Db::kObjects, "object_versions"},
      {Db::kTables, "tables"}, {Db::kRows, "table_rows"},
      {Db::kFiles, "files"},   {Db::kFeedback, "feedback"},
      {Db::kCosts, "prices"}};
  Json projects = Json::object();
  for (const auto& [project, dbs] : st.projects) {
    Json p = Json::object();
    uint64_t bytes = 0;
    for (const auto& [db, kind] : kKinds) p[kind] = dbs.count(db) ? dbs.at(db).records : 0;
    uint64_t gone = deleted.count(project) ? deleted.at(project) : 0;
    p["calls"] = p["calls"].get<uint64_t>() - gone;
    p["calls_deleted"] = gone;
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

bool HasMethod(const std::string& method) { return FindMethod(method) != nullptr; }

Result<Json> CallMethod(const std::string& method, const Json& request, Context& ctx) {
  const MethodRow* row = FindMethod(method);
  if (!row) return Invalid("unknown method " + method);
  if (row->io == Io::kStream && !ctx.emit)
    return Invalid(method + " streams its results: it needs a sink");
  return row->fn(request, ctx);
}

}  // namespace weft
