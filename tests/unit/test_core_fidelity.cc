// The corners where weft matches Weave's production server
// (docs/semantics.md): ordering ties, the query language's null and path
// rules, derived summary fields, columns, deletes and later request fields.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;

namespace {

struct Server : testing::Server {
  // A call of trace t (or the trace given) started at second `at`, ended
  // `ms` milliseconds later (-1: still running).
  void Call(const std::string& id, int at, int ms = 1000, const std::string& parent = "",
            const char* op = "f", const std::string& trace = "t") {
    char started[32], ended[40];
    std::snprintf(started, sizeof started, "2024-01-01T00:00:%02dZ", at);
    Json start = {{"project_id", "e/p"},     {"id", id},
                  {"trace_id", trace},       {"op_name", op},
                  {"started_at", started},   {"attributes", Json::object()},
                  {"inputs", Json::object()}};
    if (!parent.empty()) start["parent_id"] = parent;
    Ok("call_start", {{"start", start}});
    if (ms < 0) return;
    std::snprintf(ended, sizeof ended, "2024-01-01T00:00:%02d.%03dZ", at + ms / 1000, ms % 1000);
    Ok("call_end",
       {{"end",
         {{"project_id", "e/p"}, {"id", id}, {"ended_at", ended}, {"summary", Json::object()}}}});
  }
  std::vector<std::string> Where(const char* expr) {
    return CallIds({{"query", {{"$expr", Json::parse(expr)}}}});
  }
  std::string Invalid(const char* method, Json req) {
    req["project_id"] = "e/p";
    Error e = Err(method, req);
    CHECK(IsInvalid(e.kind));
    return e.message;
  }
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("ties on every sort key come back by id ascending, in either direction") {
  Server s;
  for (const char* id : {"c", "a", "b"}) s.Call(id, 1);
  s.Call("d", 0);
  CHECK(s.CallIds({}) == Ids{"d", "a", "b", "c"});
  CHECK(s.CallIds({{"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}}}) ==
        Ids{"a", "b", "c", "d"});
  CHECK(s.CallIds({{"filter", {{"trace_ids", {"t"}}}},
                   {"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}}}) ==
        Ids{"a", "b", "c", "d"});
  CHECK(s.CallIds({{"filter", {{"call_ids", {"a", "b", "c", "d"}}}},
                   {"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}}}) ==
        Ids{"a", "b", "c", "d"});
  CHECK(s.CallIds({{"sort_by", {{{"field", "op_name"}, {"direction", "desc"}}}}}) ==
        Ids{"a", "b", "c", "d"});
  CHECK(s.Invalid("calls_query", {{"sort_by", {{{"field", "op_name"}}}}})
            .find("sort_by.0.direction: field required") == 0);
  CHECK(s.Invalid("feedback_query", {{"sort_by", {{{"field", "created_at"}}}}}).find("direction") !=
        std::string::npos);
  CHECK(s.Invalid("objs_query", {{"sort_by", {{{"field", "object_id"}}}}}).find("direction") !=
        std::string::npos);
  CHECK(s.Invalid("table_query", {{"digest", "d"}, {"sort_by", {{{"field", "x"}}}}})
            .find("direction") != std::string::npos);
}

TEST_CASE("$eq null is 'is null' only with the null literal on the right") {
  Server s;
  s.Call("a", 1);
  s.Call("b", 2, 1000, "a");
  CHECK(s.Where(R"({"$eq": [{"$getField": "parent_id"}, {"$literal": null}]})") == Ids{"a"});
  CHECK(s.Where(R"({"$eq": [{"$literal": null}, {"$getField": "parent_id"}]})").empty());
  CHECK(
      s.Where(R"({"$not": [{"$eq": [{"$literal": null}, {"$getField": "parent_id"}]}]})").empty());
  CHECK(s.Invalid(
             "calls_query",
             {{"query",
               {{"$expr", Json::parse(R"({"$eq": [{"$getField": "id"}, {"$literal": [1]}]})")}}}})
            .find("$literal") != std::string::npos);
  CHECK(
      s.Invalid("calls_query",
                {{"query",
                  {{"$expr", Json::parse(R"({"$eq": [{"$getField": "id"}, {"$literal": {}}]})")}}}})
          .find("$literal") != std::string::npos);
  CHECK(s.Invalid("calls_query",
                  {{"query",
                    {{"$expr", Json::parse(R"({"$eq": [{"$getField": "id"}, {"$literal": "a"}]})")},
                     {"x", 1}}}})
            .find("query.x") == 0);
  CHECK(
      s.Where(
           R"({"$contains": {"input": {"$getField": "id"}, "substr": {"$literal": "A"}, "case_insensitive": null}})")
          .empty());
}

TEST_CASE("feedback queries never read $eq null as 'is null'") {
  Server s;
  s.Ok("feedback_create", {{"project_id", "e/p"},
                           {"weave_ref", "weave:///e/p/call/a"},
                           {"feedback_type", "x"},
                           {"payload", Json::object()}});
  Json q = {
      {"project_id", "e/p"},
      {"query",
       {{"$expr", Json::parse(R"({"$eq": [{"$getField": "creator"}, {"$literal": null}]})")}}}};
  CHECK(s.Ok("feedback_query", q)["result"].empty());
}

TEST_CASE("integer path segments index lists and never reach keys spelt with digits") {
  Server s;
  s.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", "a"},
                        {"trace_id", "t"},
                        {"op_name", "f"},
                        {"started_at", "2024-01-01T00:00:00Z"},
                        {"attributes", Json::object()},
                        {"inputs", {{"l", {"x", "y"}}, {"d", {{"0", "zero"}}}}}}}});
  CHECK(s.Where(R"({"$eq": [{"$getField": "inputs.l.1"}, {"$literal": "y"}]})") == Ids{"a"});
  CHECK(s.Where(R"({"$eq": [{"$getField": "inputs.d.0"}, {"$literal": "zero"}]})").empty());
}

TEST_CASE("a display name set to \"\" reads as null but queries see \"\"") {
  Server s;
  s.Call("a", 1);
  s.Ok("call_update", {{"project_id", "e/p"}, {"call_id", "a"}, {"display_name", ""}});
  CHECK(s.Ok("call_read", {{"project_id", "e/p"}, {"id", "a"}})["call"]["display_name"].is_null());
  CHECK(s.Where(R"({"$eq": [{"$getField": "display_name"}, {"$literal": ""}]})") == Ids{"a"});
  CHECK(s.Where(R"({"$eq": [{"$getField": "display_name"}, {"$literal": null}]})").empty());
}

TEST_CASE("derived summary fields: numeric latency, trace_name for named calls, nothing else") {
  Server s;
  s.Call("fast", 1, 900);
  s.Call("slow", 2, 10000);
  s.Call("running", 3, -1);
  s.Ok("call_update", {{"project_id", "e/p"}, {"call_id", "slow"}, {"display_name", "nightly"}});
  CHECK(s.Where(R"({"$gt": [{"$getField": "summary.weave.latency_ms"}, {"$literal": 1000}]})") ==
        Ids{"slow"});
  CHECK(
      s.CallIds({{"sort_by", {{{"field", "summary.weave.latency_ms"}, {"direction", "desc"}}}}}) ==
      Ids{"slow", "fast", "running"});
  CHECK(
      s.Where(R"({"$eq": [{"$getField": "summary.weave.trace_name"}, {"$literal": "nightly"}]})") ==
      Ids{"slow"});
  CHECK(s.Where(R"({"$eq": [{"$getField": "summary.weave.trace_name"}, {"$literal": "f"}]})") ==
        Ids{"fast", "running"});
  CHECK(s.Where(R"({"$eq": [{"$getField": "summary.weave.status"}, {"$literal": "running"}]})") ==
        Ids{"running"});
  CHECK(
      s.Invalid("calls_query",
                {{"query",
                  {{"$expr",
                    Json::parse(
                        R"({"$eq": [{"$getField": "summary.weave.costs"}, {"$literal": 1}]})")}}}})
          .find("summary.weave.costs") != std::string::npos);
  CHECK(s.Invalid("calls_query",
                  {{"sort_by", {{{"field", "summary.weave.nope"}, {"direction", "asc"}}}}})
            .find("summary.weave.nope") != std::string::npos);
}

TEST_CASE("stored summary.weave keys that collide with derived ones are dropped") {
  Server s;
  s.Call("a", 1, -1);
  s.Ok("call_end", {{"end",
                     {{"project_id", "e/p"},
                      {"id", "a"},
                      {"ended_at", "2024-01-01T00:00:02Z"},
                      {"summary",
                       {{"weave",
                         {{"status", "forged"},
                          {"trace_name", "x"},
                          {"display_name", "y"},
                          {"latency_ms", -7},
                          {"keep", 1}}}}}}}});
  Json weave = s.Ok("call_read", {{"project_id", "e/p"}, {"id", "a"}})["call"]["summary"]["weave"];
  CHECK(weave ==
        Json{{"status", "success"}, {"latency_ms", 1000}, {"trace_name", "f"}, {"keep", 1}});
}

TEST_CASE(
    "columns: summary brings ended_at, exception and display_name; unknown columns are refused") {
  Server s;
  s.Call("a", 1);
  Json c = s.Ok("calls_query", {{"project_id", "e/p"}, {"columns", {"summary"}}})["calls"][0];
  CHECK(c["ended_at"] == "2024-01-01T00:00:02.000000Z");
  CHECK(c["summary"]["weave"]["status"] == "success");
  CHECK(c["inputs"] == Json::object());
  CHECK(s.Invalid("calls_query", {{"columns", {"id", "nope"}}}) ==
        "columns.1: unknown column 'nope'");
}

TEST_CASE("calls delete removes descendants within the requested calls' traces and counts them") {
  Server s;
  s.Call("root", 1);
  s.Call("child", 2, 1000, "root");
  s.Call("grandchild", 3, 1000, "child");
  s.Call("elsewhere", 4, 1000, "child", "f", "other-trace");  // a child in another trace stays
  Json res = s.Ok("calls_delete", {{"project_id", "e/p"}, {"call_ids", {"child", "unknown"}}});
  CHECK(res == Json{{"num_deleted", 3}});
  CHECK(s.CallIds({}) == Ids{"root", "elsewhere"});
}

TEST_CASE("include_feedback, expand_columns and query-stats limit") {
  Server s;
  Json obj =
      s.Ok("obj_create",
           {{"obj", {{"project_id", "e/p"}, {"object_id", "model"}, {"val", {{"lr", 0.1}}}}}});
  CHECK(obj["object_id"] == "model");
  std::string ref = "weave:///e/p/object/model:" + obj["digest"].get<std::string>();
  s.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", "a"},
                        {"trace_id", "t"},
                        {"op_name", "f"},
                        {"started_at", "2024-01-01T00:00:00Z"},
                        {"attributes", Json::object()},
                        {"inputs", {{"model", ref}}}}}});
  s.Call("b", 1);
  s.Ok("feedback_create", {{"project_id", "e/p"},
                           {"weave_ref", "weave:///e/p/call/a"},
                           {"feedback_type", "wandb.note.1"},
                           {"payload", {{"note", "good"}}}});
  Json calls = s.Ok("calls_query", {{"project_id", "e/p"},
                                    {"include_feedback", true},
                                    {"expand_columns", {"inputs.model"}}})["calls"];
  CHECK(calls[0]["summary"]["weave"]["feedback"].size() == 1);
  CHECK(calls[0]["summary"]["weave"]["feedback"][0]["payload"] == Json{{"note", "good"}});
  CHECK(calls[1]["summary"]["weave"]["feedback"] == Json::array());
  CHECK(calls[0]["inputs"]["model"] == Json{{"lr", 0.1}, {"_ref", ref}});
  CHECK(s.Ok("calls_query_stats", {{"project_id", "e/p"}, {"limit", 1}}) == Json{{"count", 1}});
  CHECK(s.Ok("calls_query_stats", {{"project_id", "e/p"}}) == Json{{"count", 2}});
}

TEST_CASE("obj read: metadata_only, vN as Python's int(), ids counted in characters") {
  Server s;
  for (int i = 0; i < 8; ++i)
    s.Ok("obj_create", {{"obj", {{"project_id", "e/p"}, {"object_id", "o"}, {"val", i}}}});
  auto read = [&](const char* digest) {
    return s.Ok("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", digest}})["obj"];
  };
  CHECK(read("v007")["val"] == 7);
  CHECK(read("v+1")["val"] == 1);
  CHECK(read("v 2")["val"] == 2);
  CHECK(s.Err("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", "v-1"}}).kind ==
        ErrorKind::kNotFound);
  CHECK(s.Ok("obj_read", {{"project_id", "e/p"},
                          {"object_id", "o"},
                          {"digest", "v3"},
                          {"metadata_only", true}})["obj"]["val"] == Json::object());
  std::string long_name;
  for (int i = 0; i < 127; ++i) long_name += "é";
  CHECK(
      s.Ok("obj_create",
           {{"obj", {{"project_id", "e/p"}, {"object_id", long_name}, {"val", 1}}}})["object_id"] ==
      long_name);
  CHECK(s.Err("obj_create",
              {{"obj", {{"project_id", "e/p"}, {"object_id", long_name + "x"}, {"val", 1}}}})
            .kind == ErrorKind::kInvalid);
}
