// Every method of the trace server, one row each (method_table.h).
#include "core/api/method_table.h"

#include "core/methods.h"

namespace weft {
namespace {

using A = Access;

// clang-format off
constexpr MethodRow kMethods[] = {
    {"call_start", CallStart, A::kWrite, Io::kJson, {"call/start"}},
    {"call_end", CallEnd, A::kWrite, Io::kJson, {"call/end"}},
    {"call_start_v2", CallStart, A::kWrite, Io::kJson, {"v2/{entity}/{project}/call/start"}},
    {"call_end_v2", CallEnd, A::kWrite, Io::kJson, {"v2/{entity}/{project}/call/end"}},
    {"calls_complete", CallsComplete, A::kWrite, Io::kJson, {"v2/{entity}/{project}/calls/complete"}},
    {"call_upsert_batch", CallUpsertBatch, A::kWrite, Io::kJson, {"call/upsert_batch"}, CallUpsertBatchText},
    {"call_read", CallRead, A::kRead, Io::kJson, {"call/read"}},
    {"call_update", CallUpdate, A::kWrite, Io::kJson, {"call/update"}},
    {"calls_delete", CallsDelete, A::kWrite, Io::kJson, {"calls/delete"}},
    {"calls_import", CallsImport, A::kWrite},
    {"calls_query", CallsQuery, A::kRead, Io::kJson, {"calls/query"}, nullptr, CallsQueryText},
    {"calls_query_stream", CallsQueryStream, A::kRead, Io::kStream, {"calls/stream_query"}},
    {"calls_query_stats", CallsQueryStats, A::kRead, Io::kJson, {"calls/query_stats"}},
    {"obj_create", ObjCreate, A::kWrite, Io::kJson, {"obj/create"}},
    {"obj_read", ObjRead, A::kRead, Io::kJson, {"obj/read"}},
    {"obj_delete", ObjDelete, A::kWrite, Io::kJson, {"obj/delete"}},
    {"objs_query", ObjsQuery, A::kRead, Io::kJson, {"objs/query"}},
    {"op_create", OpCreate, A::kWrite},
    {"op_read", OpRead, A::kRead},
    {"ops_query", OpsQuery, A::kRead},
    {"table_create", TableCreate, A::kWrite, Io::kJson, {"table/create"}},
    {"table_update", TableUpdate, A::kWrite, Io::kJson, {"table/update"}},
    {"table_create_from_digests", TableCreateFromDigests, A::kWrite, Io::kJson, {"table/create_from_digests"}},
    {"table_query", TableQuery, A::kRead, Io::kJson, {"table/query"}},
    {"table_query_stream", TableQueryStream, A::kRead, Io::kStream, {"table/query_stream"}},
    {"table_query_stats", TableQueryStats, A::kRead, Io::kJson, {"table/query_stats"}},
    {"table_query_stats_batch", TableQueryStatsBatch, A::kRead, Io::kJson, {"table/query_stats_batch"}},
    {"refs_read_batch", RefsReadBatch, A::kRead, Io::kJson, {"refs/read_batch"}},
    {"file_create", FileCreate, A::kWrite, Io::kBytesIn, {"file/create", "files/create"}},
    {"file_content_read", FileContentRead, A::kRead, Io::kBytesOut, {"file/content", "files/content"}},
    {"feedback_create", FeedbackCreate, A::kWrite, Io::kJson, {"feedback/create"}},
    {"feedback_create_batch", FeedbackCreateBatch, A::kWrite, Io::kJson, {"feedback/batch/create"}},
    {"feedback_query", FeedbackQuery, A::kRead, Io::kJson, {"feedback/query"}},
    {"feedback_purge", FeedbackPurge, A::kWrite, Io::kJson, {"feedback/purge"}},
    {"feedback_replace", FeedbackReplace, A::kWrite, Io::kJson, {"feedback/replace"}},
    {"cost_create", CostCreate, A::kWrite, Io::kJson, {"cost/create"}},
    {"cost_query", CostQuery, A::kRead, Io::kJson, {"cost/query"}},
    {"cost_purge", CostPurge, A::kWrite, Io::kJson, {"cost/purge"}},
    {"cost_import", CostImport, A::kWrite},
    {"trace_usage", TraceUsage, A::kRead, Io::kJson, {"trace/usage"}},
    {"calls_usage", CallsUsage, A::kRead, Io::kJson, {"calls/usage"}},
    {"calls_summary", CallsSummary, A::kRead, Io::kJson, {"weft/calls/summary"}},
    {"calls_diff", CallsDiff, A::kRead, Io::kJson, {"weft/calls/diff"}},
    {"evaluations_compare", EvaluationsCompare, A::kRead, Io::kJson, {"weft/evaluations/compare"}},
    {"call_stats", CallStats, A::kRead, Io::kJson, {"calls/stats"}},
    {"evaluation_status", EvaluationStatus, A::kRead, Io::kJson, {"evaluations/status"}},
    {"threads_query_stream", ThreadsQueryStream, A::kRead, Io::kStream, {"threads/stream_query"}},
    {"otel_export", OtelExport, A::kWrite, Io::kOtlp, {"otel/v1/traces", "v1/traces"}},
    {"ensure_project_exists", EnsureProjectExists, A::kWrite},
    {"project_delete", ProjectDelete, A::kWrite},
    {"project_rename", ProjectRename, A::kWrite},
    {"project_stats", ProjectStats, A::kRead, Io::kJson, {"project/stats"}},
    {"files_stats", FilesStats, A::kRead, Io::kJson, {"files/query_stats"}},
};
// clang-format on

}  // namespace

std::span<const MethodRow> MethodTable() { return kMethods; }

const MethodRow* FindMethod(std::string_view name) {
  for (const MethodRow& row : kMethods)
    if (row.name == name) return &row;
  return nullptr;
}

}  // namespace weft
