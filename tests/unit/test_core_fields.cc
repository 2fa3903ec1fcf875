// Every field of Weave's current request models (weave/trace_server/
// trace_server_interface.py) is one weft knows, kept or ignored on purpose;
// a field no model has is refused where Weave's model is strict and
// ignored with a warning where it is not (docs/http-api.md#request-models).
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Server;

namespace {

using Names = std::vector<const char*>;

// A method, a valid request, Weave's fields of that request, and those of
// its nested models ({"filter", [...]}: the fields of request.filter).
struct Model {
  const char* method;
  std::string request;
  Names fields;
  std::vector<std::pair<const char*, Names>> nested = {};
};

const std::string kStart =
    R"({"project_id": "e/p", "op_name": "op", "started_at": "2026-01-01T00:00:00Z", "attributes": {}, "inputs": {}})";
const std::string kEnd =
    R"({"project_id": "e/p", "id": "c1", "ended_at": "2026-01-01T00:00:01Z", "summary": {}})";

std::vector<Model> Models() {
  const Names start = {"project_id", "id",        "op_name",    "display_name", "trace_id",
                       "parent_id",  "thread_id", "turn_id",    "started_at",   "attributes",
                       "inputs",     "otel_dump", "wb_user_id", "wb_run_id",    "wb_run_step"};
  const Names end = {"project_id", "id",      "ended_at",       "exception",
                     "output",     "summary", "wb_run_step_end"};
  const Names calls_filter = {"op_names",         "input_refs",  "output_refs", "parent_ids",
                              "trace_ids",        "call_ids",    "thread_ids",  "turn_ids",
                              "trace_roots_only", "wb_user_ids", "wb_run_ids"};
  const Names calls_query = {"project_id",
                             "filter",
                             "limit",
                             "offset",
                             "sort_by",
                             "query",
                             "include_costs",
                             "include_feedback",
                             "include_storage_size",
                             "include_total_storage_size",
                             "columns",
                             "expand_columns",
                             "return_expanded_column_values",
                             "include_usernames"};
  const Names feedback = {
      "id",        "project_id",     "weave_ref",    "creator",  "feedback_type",
      "payload",   "annotation_ref", "runnable_ref", "call_ref", "trigger_ref",
      "wb_user_id"};
  Names replace = feedback;
  replace.push_back("feedback_id");
  const Names rows_query = {"project_id", "fields", "query", "sort_by", "limit", "offset"};
  const Names table_query = {"project_id", "digest", "filter", "limit", "offset", "sort_by"};
  const Names obj = {
      "project_id", "object_id",      "val", "builtin_object_class", "set_base_object_class",
      "wb_user_id", "expected_digest"};
  const std::string fb =
      R"("project_id": "e/p", "weave_ref": "weave:///e/p/call/c1", "feedback_type": "note", "payload": {})";
  return {
      {"call_start", R"({"start": )" + kStart + "}", {"start"}, {{"start", start}}},
      {"call_end", R"({"end": )" + kEnd + "}", {"end"}, {{"end", end}}},
      {"call_read",
       R"({"project_id": "e/p", "id": "c1"})",
       {"project_id", "id", "include_costs", "include_storage_size", "include_total_storage_size"}},
      {"calls_query",
       R"({"project_id": "e/p", "filter": {}})",
       calls_query,
       {{"filter", calls_filter}}},
      {"calls_query_stream",
       R"({"project_id": "e/p", "filter": {}})",
       calls_query,
       {{"filter", calls_filter}}},
      {"calls_query_stats",
       R"({"project_id": "e/p", "filter": {}})",
       {"project_id", "filter", "query", "limit", "include_total_storage_size", "expand_columns"},
       {{"filter", calls_filter}}},
      {"calls_delete",
       R"({"project_id": "e/p", "call_ids": []})",
       {"project_id", "call_ids", "wb_user_id"}},
      {"call_update",
       R"({"project_id": "e/p", "call_id": "c1", "display_name": "n"})",
       {"project_id", "call_id", "display_name", "wb_user_id"}},
      {"call_upsert_batch",
       R"({"batch": [{"mode": "start", "req": {"start": )" + kStart + "}}]}",
       {"batch"}},
      {"calls_usage",
       R"({"project_id": "e/p", "call_ids": []})",
       {"project_id", "call_ids", "include_costs", "limit"}},
      {"trace_usage",
       R"({"project_id": "e/p"})",
       {"project_id", "filter", "query", "include_costs", "limit"}},
      {"obj_create",
       R"({"obj": {"project_id": "e/p", "object_id": "o", "val": 1}})",
       {"obj"},
       {{"obj", obj}}},
      {"obj_read",
       R"({"project_id": "e/p", "object_id": "o", "digest": "latest"})",
       {"project_id", "object_id", "digest", "metadata_only"}},
      {"objs_query",
       R"({"project_id": "e/p", "filter": {}})",
       {"project_id", "filter", "limit", "offset", "sort_by", "metadata_only",
        "include_storage_size"},
       {{"filter",
         {"base_object_classes", "exclude_base_object_classes", "leaf_object_classes", "object_ids",
          "is_op", "latest_only"}}}},
      {"obj_delete",
       R"({"project_id": "e/p", "object_id": "o"})",
       {"project_id", "object_id", "digests"}},
      {"table_create",
       R"({"table": {"project_id": "e/p", "rows": []}})",
       {"table"},
       {{"table", {"project_id", "rows"}}}},
      {"table_create_from_digests",
       R"({"project_id": "e/p", "row_digests": []})",
       {"project_id", "row_digests"}},
      {"table_update",
       R"({"project_id": "e/p", "base_digest": "x", "updates": []})",
       {"project_id", "base_digest", "updates"}},
      {"table_query",
       R"({"project_id": "e/p", "digest": "x", "filter": {}})",
       table_query,
       {{"filter", {"row_digests"}}}},
      {"table_query_stream",
       R"({"project_id": "e/p", "digest": "x", "filter": {}})",
       table_query,
       {{"filter", {"row_digests"}}}},
      {"table_query_stats", R"({"project_id": "e/p", "digest": "x"})", {"project_id", "digest"}},
      {"table_query_stats_batch",
       R"({"project_id": "e/p"})",
       {"project_id", "digests", "include_storage_size"}},
      {"refs_read_batch", R"({"refs": []})", {"refs"}},
      {"file_create",
       R"({"project_id": "e/p", "name": "f", "content": "aGk="})",
       {"project_id", "name", "content", "expected_digest"}},
      {"file_content_read", R"({"project_id": "e/p", "digest": "x"})", {"project_id", "digest"}},
      {"files_stats", R"({"project_id": "e/p"})", {"project_id"}},
      {"feedback_create", "{" + fb + "}", feedback},
      {"feedback_create_batch", R"({"batch": [{)" + fb + "}]}", {"batch"}},
      {"feedback_query", R"({"project_id": "e/p"})", rows_query},
      {"feedback_purge",
       R"({"project_id": "e/p", "query": {"$expr": {"$eq": [{"$getField": "id"}, {"$literal": "x"}]}}})",
       {"project_id", "query"}},
      {"feedback_replace", "{" + fb + R"(, "feedback_id": "f1"})", replace},
      {"cost_create",
       R"({"project_id": "e/p", "costs": {"m": {"prompt_token_cost": 1, "completion_token_cost": 2}}})",
       {"project_id", "costs", "wb_user_id"}},
      {"cost_query", R"({"project_id": "e/p"})", rows_query},
      {"cost_purge",
       R"({"project_id": "e/p", "query": {"$expr": {"$eq": [{"$getField": "id"}, {"$literal": "x"}]}}})",
       {"project_id", "query"}},
      {"project_stats",
       R"({"project_id": "e/p"})",
       {"project_id", "include_trace_storage_size", "include_object_storage_size",
        "include_table_storage_size", "include_file_storage_size"}},
      {"threads_query_stream",
       R"({"project_id": "e/p", "filter": {}})",
       {"project_id", "filter", "limit", "offset", "sort_by"},
       {{"filter", {"after_datetime", "before_datetime", "thread_ids"}}}},
      {"evaluation_status", R"({"project_id": "e/p", "call_id": "c1"})", {"project_id", "call_id"}},
      {"call_stats",
       R"({"project_id": "e/p", "start": "2026-01-01T00:00:00Z", "filter": {}})",
       {"project_id", "start", "end", "granularity", "usage_metrics", "call_metrics", "filter",
        "timezone"},
       {{"filter", calls_filter}}},
  };
}

// The warnings a request gets (the method may still fail: an unknown digest).
std::vector<std::string> WarningsOf(Server& s, const char* method, const Json& req) {
  s.ctx.warnings.clear();
  s.ctx.emit = [](std::string_view) {};
  (void)CallMethod(method, req, s.ctx);
  return s.ctx.warnings;
}

}  // namespace

TEST_CASE("every field of Weave's request models is known: none draws an unknown-field warning") {
  Server s;
  for (const Model& m : Models()) {
    Json req = Json::parse(m.request);
    for (const char* field : m.fields)
      if (!req.contains(field)) req[field] = nullptr;  // null is the same as absent
    for (const auto& [sub, fields] : m.nested)
      for (const char* field : fields)
        if (!req[sub].contains(field)) req[sub][field] = nullptr;
    for (const std::string& w : WarningsOf(s, m.method, req))
      FAIL_CHECK((std::string(m.method) + ": " + w));
  }
}

TEST_CASE("a field no model has: refused with 422 by a strict model, a warning inside a lax one") {
  Server s;
  Error e = s.Err("calls_query", Json::parse(R"({"project_id": "e/p", "colour": "red"})"));
  CHECK(e.kind == ErrorKind::kModel);
  CHECK(e.message == "colour: extra inputs are not permitted");
  e = s.Err("calls_query", Json::parse(R"({"project_id": "e/p", "filter": {"op_name": ["x"]}})"));
  CHECK(e.message == "filter.op_name: extra inputs are not permitted");
  e = s.Err(
      "objs_query",
      Json::parse(
          R"({"project_id": "e/p", "sort_by": [{"field": "object_id", "direction": "asc", "x": 1}]})"));
  CHECK(e.message == "sort_by.0.x: extra inputs are not permitted");
  // A newer client's option left at its default harms nothing: null, false, [] or {}.
  for (const char* unset : {"null", "false", "[]", "{}"})
    CHECK(
        WarningsOf(s, "calls_query",
                   Json::parse(std::string(R"({"project_id": "e/p", "colour": )") + unset + "}")) ==
        std::vector<std::string>{"unknown field 'colour' ignored"});
  CHECK(s.Err("calls_query", Json::parse(R"({"project_id": "e/p", "colour": true})")).kind ==
        ErrorKind::kModel);
  // The call schema inside a request ignores what it does not know (the TS SDK sends extra fields
  // there).
  CHECK(WarningsOf(
            s, "call_start",
            Json::parse(R"({"start": )" + kStart.substr(0, kStart.size() - 1) + R"(, "x": 1}})")) ==
        std::vector<std::string>{"unknown field 'start.x' ignored"});
}

TEST_CASE("scalars are read as pydantic's lax mode reads them") {
  Server s;
  for (int i = 0; i < 3; ++i) s.Ok("call_start", Json::parse(R"({"start": )" + kStart + "}"));
  auto count = [&](const char* limit) {
    return s
        .Ok("calls_query",
            Json::parse(std::string(R"({"project_id": "e/p", "limit": )") + limit + "}"))["calls"]
        .size();
  };
  CHECK(count("\"2\"") == 2);
  CHECK(count("\" 1 \"") == 1);
  CHECK(count("\"2.0\"") == 2);
  CHECK(count("true") == 1);
  CHECK(s.Err("calls_query", Json::parse(R"({"project_id": "e/p", "limit": "2.5"})")).message ==
        "limit: expected an integer, got a string");
  auto roots = [&](const char* v) {
    return s.Ok(
        "calls_query_stats",
        Json::parse(std::string(R"({"project_id": "e/p", "filter": {"trace_roots_only": )") + v +
                    "}}"))["count"];
  };
  for (const char* yes : {"true", "\"yes\"", "\"On\"", "1", "\"t\""}) CHECK(roots(yes) == 3);
  for (const char* no : {"false", "\"no\"", "\"OFF\"", "0", "\"f\""}) CHECK(roots(no) == 3);
  CHECK(s.Err("calls_query_stats",
              Json::parse(R"({"project_id": "e/p", "filter": {"trace_roots_only": "maybe"}})"))
            .message == "filter.trace_roots_only: expected a boolean, got a string");
}
