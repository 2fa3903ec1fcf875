// calls_query (core/calls/calls_query.cc): storage sizes, and queries
// through refs: fields inside the objects and dataset rows that
// expand_columns names can be filtered and sorted on (Weave's
// test_client_filter_calls_by_refs.py, reproduced), and
// return_expanded_column_values: false filters without expanding.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server_fixture.h"
#include "store/store.h"

using namespace weft;
using weft::testing::Server;

namespace {

std::string Publish(Server& s, const std::string& id, const Json& val) {
  Json res =
      s.Ok("obj_create", {{"obj", {{"project_id", "e/p"}, {"object_id", id}, {"val", val}}}});
  return "weave:///e/p/object/" + id + ":" + res["digest"].get<std::string>();
}

void Call(Server& s, const std::string& id, const Json& inputs, const Json& output) {
  s.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", id},
                        {"op_name", "process"},
                        {"trace_id", "t" + id},
                        {"started_at", "2026-01-01T00:00:0" + id + "Z"},
                        {"attributes", Json::object()},
                        {"inputs", inputs}}}});
  s.Ok("call_end", {{"end",
                     {{"project_id", "e/p"},
                      {"id", id},
                      {"ended_at", "2026-01-01T00:00:09Z"},
                      {"output", output},
                      {"summary", Json::object()}}}});
}

Json Eq(const char* field, const Json& literal) {
  return {{"$expr", {{"$eq", {{{"$getField", field}}, {{"$literal", literal}}}}}}};
}

Json AsDouble(const char* field) {
  return {{"$convert", {{"input", {{"$getField", field}}}, {"to", "double"}}}};
}

struct Fixture {
  Server s;
  Fixture() {
    std::string nested1 = Publish(s, "nested", {{"nested key with spaces", {{"one", "1"}}}});
    std::string nested2 = Publish(s, "nested", {{"nested key with spaces", {{"one", "2"}}}});
    std::string config1 = Publish(
        s, "config1",
        {{"temperature", 0.5}, {"model", "gpt-4"}, {"max_tokens", 100}, {"nested", nested1}});
    std::string config2 = Publish(
        s, "config2",
        {{"temperature", 0.8}, {"model", "gpt-3.5"}, {"max_tokens", 200}, {"nested", nested2}});
    std::string worker1 =
        Publish(s, "worker1", {{"id", 1}, {"status", "active"}, {"config", config1}});
    std::string worker2 =
        Publish(s, "worker2", {{"id", 2}, {"status", "inactive"}, {"config", config2}});
    std::string project =
        Publish(s, "project",
                {{"name", "test_project"},
                 {"version", "v1.0"},
                 {"settings", {{"debug", true}, {"workers", {worker1, worker2}}}}});
    Call(s, "1", {{"worker_config", worker1}, {"project_info", project}},
         {{"processed_worker", worker1}});
    Call(s, "2", {{"worker_config", worker2}, {"project_info", project}},
         {{"processed_worker", worker2}});
  }
  size_t Count(const Json& query, const std::vector<std::string>& expand) {
    Json req = {{"query", query}, {"expand_columns", expand}};
    size_t n = s.CallIds(req).size();
    CHECK(s.Ok("calls_query_stats",
               {{"project_id", "e/p"}, {"query", query}, {"expand_columns", expand}})["count"] ==
          n);
    return n;
  }
};

// Starts call id of trace t in project e/p; `more` holds other start fields.
void Start(Server& s, const std::string& id, const std::string& op, const std::string& started_at,
           const Json& more = Json::object()) {
  Json start = {{"project_id", "e/p"},      {"id", id},
                {"trace_id", "t"},          {"op_name", op},
                {"started_at", started_at}, {"attributes", Json::object()},
                {"inputs", Json::object()}};
  start.update(more);
  s.Ok("call_start", {{"start", start}});
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a query reads through the refs expand_columns names, and only those") {
  Json id_is_1 = {{"$expr", {{"$eq", {AsDouble("inputs.worker_config.id"), {{"$literal", 1}}}}}}};
  CHECK(Count(id_is_1, {"inputs.worker_config"}) == 1);
  CHECK(Count(id_is_1, {}) == 0);  // not expanded: the ref is a string
  CHECK(Count(Eq("inputs.worker_config.config.model", "gpt-4"),
              {"inputs.worker_config", "inputs.worker_config.config"}) == 1);
  CHECK(Count(Eq("inputs.worker_config.config.model", "gpt-4"), {"inputs.worker_config"}) ==
        0);  // the inner ref is not named
  CHECK(Count(Eq("inputs.project_info.settings.debug", "true"), {"inputs.project_info"}) == 2);
  CHECK(Count(Eq("output.processed_worker.status", "active"), {"output.processed_worker"}) == 1);
  Json contains = {{"$expr",
                    {{"$contains",
                      {{"input", {{"$getField", "inputs.worker_config.config.model"}}},
                       {"substr", {{"$literal", "gpt"}}}}}}}};
  CHECK(Count(contains, {"inputs.worker_config", "inputs.worker_config.config"}) == 2);
  Json more_tokens = {
      {"$expr",
       {{"$gt", {AsDouble("output.processed_worker.config.max_tokens"), {{"$literal", 150}}}}}}};
  CHECK(Count(more_tokens, {"output.processed_worker", "output.processed_worker.config"}) == 1);
  CHECK(Count(Eq("inputs.worker_config.config.nested.nested key with spaces.one", "1"),
              {"inputs.worker_config", "inputs.worker_config.config",
               "inputs.worker_config.config.nested"}) == 1);
}

TEST_CASE_FIXTURE(
    Fixture,
    "sort_by reads through expanded refs; return_expanded_column_values: false answers the refs") {
  const std::vector<std::string> expand = {"inputs.worker_config", "inputs.worker_config.config",
                                           "inputs.worker_config.config.nested"};
  const char* field = "inputs.worker_config.config.nested.nested key with spaces.one";
  for (const char* direction : {"asc", "desc"}) {
    Json res = s.Ok("calls_query", {{"project_id", "e/p"},
                                    {"expand_columns", expand},
                                    {"sort_by", {{{"field", field}, {"direction", direction}}}}});
    std::string first = res["calls"][0]["inputs"]["worker_config"]["config"]["nested"]
                           ["nested key with spaces"]["one"];
    CHECK(first == (std::string(direction) == "asc" ? "1" : "2"));
  }
  Json res = s.Ok("calls_query", {{"project_id", "e/p"},
                                  {"expand_columns", expand},
                                  {"return_expanded_column_values", false},
                                  {"sort_by", {{{"field", field}, {"direction", "desc"}}}}});
  CHECK(res["calls"][0]["id"] == "2");
  CHECK(res["calls"][0]["inputs"]["worker_config"].is_string());  // the ref, as stored
}

TEST_CASE("dataset rows named by expand_columns can be filtered and sorted on") {
  Server s;
  Json rows = Json::array();
  for (auto [input, target] :
       std::vector<std::pair<const char*, int>>{{"1+2", 3}, {"2**4", 15}, {"3**3", 27}})
    rows.push_back({{"input", input}, {"target", target}});
  Json table = s.Ok("table_create", {{"table", {{"project_id", "e/p"}, {"rows", rows}}}});
  std::string ds =
      Publish(s, "ds", {{"rows", "weave:///e/p/table/" + table["digest"].get<std::string>()}});
  for (int i = 0; i < 3; ++i)
    Call(s, std::to_string(i + 1),
         {{"example", ds + "/attr/rows/id/" + table["row_digests"][i].get<std::string>()}}, 1);
  CHECK(s.CallIds({{"query", Eq("inputs.example.input", "1+2")},
                   {"expand_columns", {"inputs.example"}}}) == std::vector<std::string>{"1"});
  Json res = s.Ok("calls_query",
                  {{"project_id", "e/p"},
                   {"expand_columns", {"inputs.example"}},
                   {"sort_by", {{{"field", "inputs.example.target"}, {"direction", "desc"}}}}});
  CHECK(res["calls"][0]["inputs"]["example"]["target"] == 27);
  CHECK(res["calls"][2]["inputs"]["example"]["target"] == 3);
}

TEST_CASE(
    "storage sizes: each call's, and its trace's on the root call; call_read answers them too") {
  Server s;
  s.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", "r"},
                        {"trace_id", "t"},
                        {"op_name", "root"},
                        {"started_at", "2026-01-01T00:00:00Z"},
                        {"attributes", Json::object()},
                        {"inputs", Json::object()}}}});
  s.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", "k"},
                        {"trace_id", "t"},
                        {"parent_id", "r"},
                        {"op_name", "kid"},
                        {"started_at", "2026-01-01T00:00:01Z"},
                        {"attributes", Json::object()},
                        {"inputs", {{"x", 1}}}}}});
  Json res = s.Ok("calls_query", {{"project_id", "e/p"},
                                  {"include_storage_size", true},
                                  {"include_total_storage_size", true}});
  const Json& root = res["calls"][0];
  const Json& kid = res["calls"][1];
  CHECK(root["total_storage_size_bytes"] ==
        root["storage_size_bytes"].get<int64_t>() + kid["storage_size_bytes"].get<int64_t>());
  CHECK(kid["total_storage_size_bytes"].is_null());
  Json read =
      s.Ok("call_read", {{"project_id", "e/p"}, {"id", "r"}, {"include_total_storage_size", true}});
  CHECK(read["call"]["total_storage_size_bytes"] == root["total_storage_size_bytes"]);
  CHECK(s.Ok("call_read", {{"project_id", "e/p"}, {"id", "nope"}})["call"].is_null());
}

TEST_CASE(
    "storage sizes: a call's stored bytes with include_storage_size, their sum in "
    "calls_query_stats") {
  testing::Server s;
  for (const char* id : {"a", "b"})
    s.Ok("call_start", {{"start",
                         {{"project_id", "e/p"},
                          {"id", id},
                          {"trace_id", "t"},
                          {"op_name", "op"},
                          {"started_at", "2026-01-01T00:00:00Z"},
                          {"attributes", Json::object()},
                          {"inputs", {{"x", std::string(100, 'x')}}}}}});
  Json calls =
      s.Ok("calls_query", {{"project_id", "e/p"}, {"include_storage_size", true}})["calls"];
  REQUIRE(calls.size() == 2);
  int64_t each = calls[0]["storage_size_bytes"];
  CHECK(each > 100);
  CHECK_FALSE(
      s.Ok("calls_query", {{"project_id", "e/p"}})["calls"][0].contains("storage_size_bytes"));
  Json stats =
      s.Ok("calls_query_stats", {{"project_id", "e/p"}, {"include_total_storage_size", true}});
  CHECK(stats == Json{{"count", 2}, {"total_storage_size_bytes", 2 * each}});
  CHECK(s.Ok("calls_query_stats", {{"project_id", "e/p"}}) == Json{{"count", 2}});
}

TEST_CASE(
    "a time window in the query walks only its part of an index, whichever way it is written") {
  Server s;
  for (int i = 0; i < 6; ++i) {
    Start(s, "c" + std::to_string(i), i % 2 ? "odd" : "even",
          "2026-01-01T00:00:0" + std::to_string(i) + "Z");
  }
  auto field = Json{{"$getField", "started_at"}};
  auto at = [](int second) {
    return Json{{"$literal", "2026-01-01T00:00:0" + std::to_string(second) + "Z"}};
  };
  auto query = [&](Json expr, Json more = Json::object()) {
    more["query"] = {{"$expr", expr}};
    return s.CallIds(more);
  };
  using Ids = std::vector<std::string>;
  Json since2 = {{"$gte", {field, at(2)}}}, before5 = {{"$lt", {field, at(5)}}};
  CHECK(query(since2) == Ids{"c2", "c3", "c4", "c5"});
  CHECK(query({{"$and", {since2, before5}}}) == Ids{"c2", "c3", "c4"});
  CHECK(query({{"$and", {{{"$and", {since2}}}, before5}}}) ==
        Ids{"c2", "c3", "c4"});  // as the CLI nests
  CHECK(query({{"$and", {{{"$not", {since2}}}, {{"$gt", {field, at(0)}}}}}}) == Ids{"c1"});
  CHECK(query({{"$lte", {at(1), field}}}) == Ids{"c1", "c2", "c3", "c4", "c5"});  // 1 <= started_at
  CHECK(query({{"$gt", {at(1), field}}}) == Ids{"c0"});                           // 1 > started_at
  CHECK(query({{"$eq", {field, at(3)}}}) == Ids{"c3"});
  CHECK(query({{"$and", {since2, {{"$lte", {field, at(1)}}}}}}).empty());
  CHECK(query({{"$and", {since2, before5}}},
              {{"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}}}) ==
        Ids{"c4", "c3", "c2"});
  CHECK(query(since2, {{"filter", {{"op_names", {"odd"}}}}}) == Ids{"c3", "c5"});
  CHECK(query(since2, {{"filter", {{"op_names", {"od:*"}}}}}).empty());
  CHECK(query(since2, {{"filter", {{"call_ids", {"c1", "c4"}}}}}) == Ids{"c4"});
  CHECK(query(since2, {{"filter", {{"trace_ids", {"t"}}}}, {"limit", 2}}) == Ids{"c2", "c3"});
  // Other conditions still apply within the window; counts agree.
  Json not_odd = {{"$not", {{{"$eq", {{{"$getField", "op_name"}}, {{"$literal", "odd"}}}}}}}};
  CHECK(query({{"$and", {since2, not_odd}}}) == Ids{"c2", "c4"});
  auto count = [&](Json expr) {
    return s.Ok("calls_query_stats",
                {{"project_id", "e/p"}, {"query", {{"$expr", expr}}}})["count"];
  };
  CHECK(count({{"$and", {since2, before5}}}) == 3);
  CHECK(count({{"$and", {since2, not_odd}}}) == 2);
  CHECK(count({{"$or", {since2, before5}}}) == 6);  // no window: every call
}

TEST_CASE("free text over several fields ($or of $contains) finds what it should, ignoring case") {
  Server s;
  auto start = [&](const std::string& id, const std::string& op, Json inputs,
                   Json display = nullptr) {
    Start(s, id, op, "2026-01-01T00:00:0" + id.substr(1) + "Z",
          {{"inputs", inputs}, {"display_name", display}});
  };
  start("c1", "retrieve", {{"prompt", "Where is the NEEDLE?"}});
  start("c2", "needle.op", {{"prompt", "nothing here"}});
  start("c3", "other", {{"prompt", "nothing"}, {"n", 12345}});
  start("c4", "other", {{"prompt", "plain"}}, "Needle run");
  start("c5", "other", {{"prompt", "needl e"}});
  auto search = [&](const std::string& text) {
    Json any = Json::array();
    for (const char* f : {"op_name", "display_name", "inputs.prompt", "inputs.n", "output"})
      any.push_back({{"$contains",
                      {{"input", {{"$getField", f}}},
                       {"substr", {{"$literal", text}}},
                       {"case_insensitive", true}}}});
    return s.CallIds({{"query", {{"$expr", {{"$or", any}}}}}});
  };
  using Ids = std::vector<std::string>;
  CHECK(search("needle") == Ids{"c1", "c2", "c4"});
  CHECK(search("NeEdLe?") == Ids{"c1"});
  CHECK(search("234") == Ids{"c3"});  // a number's text
  CHECK(search("absent").empty());
  // A field the record does not hold as it is read (the derived summary)
  // rules nothing out: the query itself decides.
  Json trace_name = {{"$contains",
                      {{"input", {{"$getField", "summary.weave.trace_name"}}},
                       {"substr", {{"$literal", "other"}}},
                       {"case_insensitive", true}}}};
  CHECK(s.CallIds({{"query", {{"$expr", {{"$or", {trace_name}}}}}}}) == Ids{"c3", "c5"});
}

TEST_CASE("a sorted page keeps only offset + limit rows, in the order the whole sort gives") {
  Server s;
  const int latencies[] = {5, 1, 9, 3, 9, 7, 2};
  for (int i = 0; i < 7; ++i) {
    std::string id = "c" + std::to_string(i);
    Start(s, id, "op", "2026-01-01T00:00:00Z");
    s.Ok("call_end", {{"end",
                       {{"project_id", "e/p"},
                        {"id", id},
                        {"ended_at", "2026-01-01T00:00:0" + std::to_string(latencies[i]) + "Z"},
                        {"summary", Json::object()}}}});
  }
  Json by_latency = {{{"field", "summary.weave.latency_ms"}, {"direction", "desc"}}};
  using Ids = std::vector<std::string>;
  Ids all = s.CallIds({{"sort_by", by_latency}});
  CHECK(all == Ids{"c2", "c4", "c5", "c0", "c3", "c6", "c1"});  // ties by id
  for (int offset = 0; offset < 8; ++offset)
    for (int limit = 0; limit < 9; ++limit) {
      Ids page = s.CallIds({{"sort_by", by_latency}, {"offset", offset}, {"limit", limit}});
      size_t first = std::min<size_t>(offset, all.size());
      size_t last = std::min<size_t>(first + limit, all.size());
      CHECK(page == Ids(all.begin() + first, all.begin() + last));
    }
}

namespace {

// Calls of every status, with latencies that tie, two users, two threads
// and a few display names, started in three hours five hours apart.
void FillVaried(Server& s) {
  for (int i = 0; i < 40; ++i) {
    std::string hour = i % 3 == 0 ? "00" : i % 3 == 1 ? "05" : "10";
    std::string id = "v" + std::to_string(100 + i), at = hour + ":00:" + std::to_string(10 + i);
    Json start = {{"project_id", "e/p"},
                  {"id", id},
                  {"trace_id", "t" + std::to_string(i % 5)},
                  {"op_name", i % 3 ? "a" : "b"},
                  {"started_at", "2026-01-01T" + at + "Z"},
                  {"wb_user_id", i % 4 ? "ann" : "bob"},
                  {"attributes", Json::object()},
                  {"inputs", Json::object()}};
    if (i % 6 == 0) start["display_name"] = "name" + std::to_string(i % 12);
    if (i % 7 < 2) start["thread_id"] = "th" + std::to_string(i % 7);
    s.Ok("call_start", {{"start", start}});
    if (i % 9 == 4) continue;  // left running
    Json end = {
        {"project_id", "e/p"},
        {"id", id},
        {"summary", Json::object()},
        {"ended_at", "2026-01-01T" + hour + ":01:" + std::to_string(10 + (i * 7) % 13) + "Z"}};
    if (i % 5 == 2) end["exception"] = "E";
    s.Ok("call_end", {{"end", end}});
  }
}

}  // namespace

TEST_CASE("format 3's indexes answer every query as format 2's scans do") {
  Server s;
  FillVaried(s);
  auto status = [](const char* v) { return Eq("summary.weave.status", v); };
  Json since = Json::parse(R"({"$expr": {"$and": [
      {"$eq": [{"$getField": "summary.weave.status"}, {"$literal": "error"}]},
      {"$gte": [{"$getField": "started_at"}, {"$literal": "2026-01-01T00:00:30Z"}]}]}})");
  Json hour = Json::parse(R"({"$expr": {"$and": [
      {"$gte": [{"$getField": "started_at"}, {"$literal": "2026-01-01T05:00:00Z"}]},
      {"$not": [{"$gte": [{"$getField": "started_at"}, {"$literal": "2026-01-01T06:00:00Z"}]}]}]}})");
  auto sort = [](const char* field, const char* dir) {
    return Json::array({{{"field", field}, {"direction", dir}}});
  };
  std::vector<Json> requests = {
      {{"sort_by", sort("summary.weave.latency_ms", "desc")}, {"limit", 5}, {"offset", 2}},
      {{"sort_by", sort("summary.weave.latency_ms", "asc")}, {"limit", 50}},
      {{"sort_by", sort("summary.weave.latency_ms", "desc")}, {"query", hour}},
      {{"sort_by", sort("summary.weave.latency_ms", "asc")}, {"query", since}},
      {{"sort_by", sort("ended_at", "desc")}, {"limit", 7}},
      {{"sort_by", sort("ended_at", "asc")}},
      {{"sort_by", sort("ended_at", "desc")}, {"query", status("error")}},
      {{"query", status("error")}},
      {{"query", status("running")}},
      {{"query", status("success")}, {"limit", 3}, {"sort_by", sort("started_at", "desc")}},
      {{"query", since}},
      {{"query", Eq("display_name", "name6")}},
      {{"filter", {{"wb_user_ids", {"bob"}}}}},
      {{"filter", {{"thread_ids", {"th1", "th0"}}}}, {"sort_by", sort("started_at", "desc")}},
      {{"filter", {{"thread_ids", {"th1"}}, {"wb_user_ids", {"ann"}}}}},
  };
  auto answers = [&] {
    std::vector<std::pair<std::vector<std::string>, Json>> out;
    for (Json req : requests) {
      Json stats = req;
      stats.erase("sort_by"), stats.erase("limit"), stats.erase("offset");
      stats["project_id"] = "e/p";
      out.emplace_back(s.CallIds(req), s.Ok("calls_query_stats", stats)["count"]);
    }
    return out;
  };
  auto indexed = answers();
  CHECK(indexed[1].first.size() == 40);
  CHECK(indexed[2].first.size() == 13);  // the second hour
  CHECK(indexed[7].first.size() > 3);    // errors
  CHECK(indexed[8].first.size() == 4);   // running
  REQUIRE(s.ctx.store->Write([](Txn& txn) { return txn.Put(Db::kMeta, keys::kFormat, "2"); }).ok());
  auto scanned = answers();
  for (size_t i = 0; i < requests.size(); ++i) {
    CAPTURE(requests[i].dump());
    CHECK(indexed[i].first == scanned[i].first);
    CHECK(indexed[i].second == scanned[i].second);
  }
}

TEST_CASE("several index ranges are merged in start order, newest first or not, ties by id") {
  Server s;
  FillVaried(s);
  for (const char* dir : {"asc", "desc"}) {
    Json by_start = Json::array({{{"field", "started_at"}, {"direction", dir}}});
    auto all = s.CallIds({{"sort_by", by_start}, {"limit", 9}, {"offset", 3}});
    REQUIRE(all.size() == 9);
    CHECK(s.CallIds({{"sort_by", by_start},
                     {"limit", 9},
                     {"offset", 3},
                     {"filter", {{"op_names", {"a", "b"}}}}}) == all);
    CHECK(s.CallIds({{"sort_by", by_start},
                     {"limit", 9},
                     {"offset", 3},
                     {"filter", {{"trace_ids", {"t0", "t1", "t2", "t3", "t4"}}}}}) == all);
    CHECK(s.CallIds({{"sort_by", by_start},
                     {"limit", 9},
                     {"offset", 3},
                     {"filter", {{"wb_user_ids", {"ann", "bob"}}}}}) == all);
  }
}
