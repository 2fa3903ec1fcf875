// Method names of the interface mapped to their implementations.
#include "core/server.h"

#include <map>

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
