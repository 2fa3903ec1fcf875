// Every method of Weave's current trace server interface (the
// TraceServerInterface and TraceServerInterfaceV2 protocols of
// weave/trace_server/trace_server_interface.py, and the methods the current
// remote binding calls) is served by a method row, or named with its reason
// in README's "Methods of Weave's interface that weft does not serve".
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/api/method_table.h"

using namespace weft;

namespace {

const char* const kWeaveMethods[] = {
    "ensure_project_exists",
    "otel_export",
    "call_start",
    "call_end",
    "call_read",
    "calls_query",
    "calls_query_stream",
    "calls_delete",
    "calls_query_stats",
    "call_update",
    "call_start_batch",
    "calls_upsert_batch_v2",
    "calls_complete",
    "call_start_v2",
    "call_end_v2",
    "call_stats",
    "trace_usage",
    "calls_usage",
    "op_create",
    "op_read",
    "ops_query",
    "cost_create",
    "cost_query",
    "cost_purge",
    "obj_create",
    "obj_read",
    "objs_query",
    "obj_delete",
    "obj_add_tags",
    "obj_remove_tags",
    "obj_set_aliases",
    "obj_remove_aliases",
    "tags_list",
    "aliases_list",
    "table_create",
    "table_create_from_digests",
    "table_update",
    "table_query",
    "table_query_stream",
    "table_query_stats",
    "table_query_stats_batch",
    "refs_read_batch",
    "file_create",
    "file_content_read",
    "files_stats",
    "feedback_create",
    "feedback_create_batch",
    "feedback_query",
    "feedback_purge",
    "feedback_replace",
    "feedback_stats",
    "feedback_payload_schema",
    "feedback_aggregate",
    "actions_execute_batch",
    "completions_create",
    "completions_create_stream",
    "image_create",
    "project_stats",
    "project_ttl_settings_read",
    "project_ttl_settings_update",
    "projects_info",
    "threads_query_stream",
    "evaluate_model",
    "evaluation_status",
    "calls_score",
    "rescore",
    "annotation_queue_create",
    "annotation_queues_query_stream",
    "annotation_queue_read",
    "annotation_queue_delete",
    "annotation_queue_update",
    "annotation_queue_add_calls",
    "annotation_queue_items_query",
    "annotation_queues_stats",
    "annotator_queue_items_progress_update",
    "op_create_v2",
    "op_read_v2",
    "op_list_v2",
    "op_delete_v2",
    "dataset_create_v2",
    "dataset_read_v2",
    "dataset_list_v2",
    "dataset_delete_v2",
    "scorer_create_v2",
    "scorer_read_v2",
    "scorer_list_v2",
    "scorer_delete_v2",
    "evaluation_create_v2",
    "evaluation_read_v2",
    "evaluation_list_v2",
    "evaluation_delete_v2",
    "model_create_v2",
    "model_read_v2",
    "model_list_v2",
    "model_delete_v2",
    "evaluation_run_create_v2",
    "evaluation_run_read_v2",
    "evaluation_run_list_v2",
    "evaluation_run_delete_v2",
    "evaluation_run_finish_v2",
    "prediction_create_v2",
    "prediction_read_v2",
    "prediction_list_v2",
    "prediction_delete_v2",
    "prediction_finish_v2",
    "score_create_v2",
    "score_read_v2",
    "score_list_v2",
    "score_delete_v2",
};

// weft's row for a Weave method named otherwise.
std::string RowName(const std::string& weave) {
  return weave == "call_start_batch" ? "call_upsert_batch" : weave;
}

std::string NotServedSection() {
  std::ifstream in(std::string(WEFT_GOLDEN_DIR) + "/../../../README.md");
  std::stringstream text;
  text << in.rdbuf();
  std::string readme = text.str();
  size_t from = readme.find("### Methods of Weave's interface that weft does not serve");
  REQUIRE(from != std::string::npos);
  return readme.substr(from, readme.find("\n## ", from) - from);
}

}  // namespace

TEST_CASE("every method of Weave's interface is served, or README says why not") {
  std::string section = NotServedSection();
  for (const char* name : kWeaveMethods) {
    bool served = FindMethod(RowName(name)) != nullptr;
    bool listed = section.find(std::string("`") + name + "`") != std::string::npos;
    CHECK_MESSAGE(served != listed,
                  (std::string(name) + (served ? ": served, yet listed as not served"
                                               : ": neither served nor listed")));
  }
}
