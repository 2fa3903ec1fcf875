// Calls through CallMethod on a real store: the record codec, out-of-order
// parts, indexes after delete, derived summary, query plans.
#include <doctest/doctest.h>

#include "core/api/method_table.h"
#include "core/api/refs.h"
#include "core/api/usage.h"
#include "core/calls/call_record.h"
#include "core/calls/call_rollups.h"
#include "core/calls/fast_item.h"
#include "core/records/records.h"
#include "server_fixture.h"

using namespace weft;

namespace {

struct Server : testing::Server {
  void Start(const std::string& id, const std::string& parent, const char* at,
             const char* op = "f") {
    Json start = {{"project_id", "e/p"},   {"id", id},         {"trace_id", "t"},
                  {"op_name", op},         {"started_at", at}, {"attributes", Json::object()},
                  {"inputs", {{"id", id}}}};
    if (!parent.empty()) start["parent_id"] = parent;
    Ok("call_start", {{"start", start}});
  }
  void End(const std::string& id, const char* at) {
    Ok("call_end",
       {{"end", {{"project_id", "e/p"}, {"id", id}, {"ended_at", at}, {"summary", {{"n", 1}}}}}});
  }
};

}  // namespace

TEST_CASE("call records survive encoding") {
  CallRecord c;
  c.id = "id";
  c.op_name = "weave:///e/p/op/f:abc";
  c.trace_id = "t";
  c.parent_id = "p";
  c.started_at = -5;
  c.ended_at = 1700000000000000;
  c.exception = "";
  c.inputs = R"({"a":"weave:///e/p/object/o:d"})";
  c.input_refs = {"weave:///e/p/object/o:d"};
  auto d = DecodeCall(EncodeCall(c));
  REQUIRE(d.ok());
  CHECK(d->id == "id");
  CHECK(d->parent_id == "p");
  CHECK_FALSE(d->display_name.has_value());
  CHECK(d->exception == std::optional<std::string>(""));
  CHECK(d->started_at == -5);
  CHECK(d->ended_at == 1700000000000000);
  CHECK(d->inputs == c.inputs);
  CHECK(d->input_refs == c.input_refs);
  CHECK(TraceName(c.op_name) == "f");
  CHECK_FALSE(DecodeCall("garbage").ok());
}

TEST_CASE("parts in any order merge; summary.weave is derived") {
  Server s;
  s.End("a", "2024-01-01T00:00:01.5Z");
  s.Ok("call_update", {{"project_id", "e/p"}, {"call_id", "a"}, {"display_name", "nice"}});
  CHECK(s.Ok("call_read", {{"project_id", "e/p"}, {"id", "a"}})["call"].is_null());
  s.Start("a", "", "2024-01-01T00:00:00Z");
  Json c = s.Ok("call_read", {{"project_id", "e/p"}, {"id", "a"}})["call"];
  CHECK(c["display_name"] == "nice");
  CHECK(c["summary"]["n"] == 1);
  CHECK(c["summary"]["weave"]["latency_ms"] == 1500);
  CHECK(c["summary"]["weave"]["status"] == "success");
  CHECK(c["summary"]["weave"]["display_name"] == "nice");
  CHECK(c["wb_user_id"] == "tester");
}

TEST_CASE("times may be Unix seconds or milliseconds, as pydantic takes them") {
  Server s;
  for (Json t : {Json(1725192000), Json(1725192000.5), Json(1725192000500LL)}) {
    std::string id = "n" + t.dump();
    s.Ok("call_start", {{"start",
                         {{"project_id", "e/p"},
                          {"id", id},
                          {"op_name", "f"},
                          {"started_at", t},
                          {"attributes", Json::object()},
                          {"inputs", Json::object()}}}});
    std::string at = s.Ok("call_read", {{"project_id", "e/p"}, {"id", id}})["call"]["started_at"];
    CHECK(at.substr(0, 19) == "2024-09-01T12:00:00");
  }
}

TEST_CASE("queries use the indexes and keep started_at order") {
  Server s;
  s.Start("r", "", "2024-01-01T00:00:00Z", "root");
  s.Start("b", "r", "2024-01-01T00:00:02Z");
  s.Start("a", "r", "2024-01-01T00:00:01Z");
  s.Start("c", "a", "2024-01-01T00:00:03Z", "weave:///e/p/op/f:v1");
  CHECK(s.CallIds(Json::object()) == std::vector<std::string>{"r", "a", "b", "c"});
  CHECK(s.CallIds({{"filter", {{"parent_ids", {"r"}}}}}) == std::vector<std::string>{"a", "b"});
  CHECK(s.CallIds({{"filter", {{"trace_roots_only", true}}}}) == std::vector<std::string>{"r"});
  CHECK(s.CallIds({{"filter", {{"op_names", {"weave:///e/p/op/f:*"}}}}}) ==
        std::vector<std::string>{"c"});
  CHECK(s.CallIds({{"filter", {{"call_ids", {"c", "a"}}}}}) == std::vector<std::string>{"a", "c"});
  CHECK(s.CallIds({{"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}},
                   {"limit", 2}}) == std::vector<std::string>{"c", "b"});
  CHECK(s.CallIds({{"filter", {{"trace_ids", {"t"}}}}, {"limit", 0}}).empty());
  CHECK(s.Ok("calls_query_stats",
             {{"project_id", "e/p"}, {"filter", {{"parent_ids", {"r"}}}}})["count"] == 2);
  s.Ok("calls_delete", {{"project_id", "e/p"}, {"call_ids", {"a"}}});
  CHECK(s.CallIds(Json::object()) == std::vector<std::string>{"r", "b"});
  CHECK(s.Ok("calls_query_stats", {{"project_id", "e/p"}})["count"] == 2);
  CHECK(s.Ok("calls_query_stats",
             {{"project_id", "e/p"}, {"filter", {{"parent_ids", {"r"}}}}})["count"] == 1);
}

TEST_CASE("long op refs and ids stay within LMDB's key size") {
  Server s;
  std::string project = std::string(70, 'e') + "/" + std::string(80, 'p');
  std::string op =
      "weave:///" + project + "/op/" + std::string(127, 'f') + ":" + std::string(43, 'd');
  std::string other = op.substr(0, op.size() - 1) + "x";  // same first 200 bytes, another op
  for (const auto& [id, name] :
       {std::pair{std::string(128, 'a'), op}, std::pair{std::string(128, 'b'), other}})
    s.Ok("call_start", {{"start",
                         {{"project_id", project},
                          {"id", id},
                          {"trace_id", std::string(128, 't')},
                          {"op_name", name},
                          {"started_at", "2024-01-01T00:00:00Z"},
                          {"attributes", Json::object()},
                          {"inputs", Json::object()}}}});
  Json q = {{"project_id", project}, {"filter", {{"op_names", {op}}}}};
  CHECK(s.Ok("calls_query", q)["calls"].size() == 1);
  CHECK(s.Ok("calls_query_stats", q)["count"] == 1);
  q["filter"]["op_names"] = {op.substr(0, op.rfind(':') + 1) + "*"};
  CHECK(s.Ok("calls_query_stats", q)["count"] == 2);
  Error e = s.Err("call_start", {{"start",
                                  {{"project_id", project + std::string(10, 'x')},
                                   {"op_name", "f"},
                                   {"started_at", "2024-01-01T00:00:00Z"},
                                   {"attributes", Json::object()},
                                   {"inputs", Json::object()}}}});
  CHECK(e.message.find("longer than 160") != std::string::npos);
}

TEST_CASE("thread, turn, run step and otel_dump are kept, read and filtered") {
  Server s;
  Json start = {{"project_id", "e/p"},
                {"id", "c1"},
                {"trace_id", "t"},
                {"op_name", "chat"},
                {"started_at", "2025-01-01T00:00:00Z"},
                {"attributes", Json::object()},
                {"inputs", Json::object()},
                {"thread_id", "th1"},
                {"turn_id", "c1"},
                {"wb_run_step", 3},
                {"otel_dump", {{"name", "chat"}}}};
  s.Ok("call_start", {{"start", start}});
  s.Ok("call_end", {{"end",
                     {{"project_id", "e/p"},
                      {"id", "c1"},
                      {"ended_at", "2025-01-01T00:00:01Z"},
                      {"summary", Json::object()},
                      {"wb_run_step_end", 4}}}});
  // The fast path of upsert_batch takes a thread id as the general reader does.
  start["id"] = "c2", start["thread_id"] = "th2";
  for (const char* only_c1 : {"turn_id", "otel_dump", "wb_run_step"}) start.erase(only_c1);
  s.Ok("call_upsert_batch", {{"batch", {{{"mode", "start"}, {"req", {{"start", start}}}}}}});
  Json call = s.Ok("call_read", {{"project_id", "e/p"}, {"id", "c1"}})["call"];
  CHECK(call["thread_id"] == "th1");
  CHECK(call["turn_id"] == "c1");
  CHECK(call["wb_run_step"] == 3);
  CHECK(call["wb_run_step_end"] == 4);
  CHECK_FALSE(call.contains("otel_dump"));  // not in CallSchema, as in Weave
  CHECK(s.CallIds({{"filter", {{"thread_ids", {"th2"}}}}}) == std::vector<std::string>{"c2"});
  CHECK(s.CallIds({{"filter", {{"turn_ids", {"c1"}}}}}) == std::vector<std::string>{"c1"});
  CHECK(s.CallIds(
            {{"query",
              {{"$expr", {{"$eq", {{{"$getField", "thread_id"}}, {{"$literal", "th1"}}}}}}}}}) ==
        std::vector<std::string>{"c1"});
  CHECK(s.CallIds({{"sort_by", {{{"field", "thread_id"}, {"direction", "desc"}}}}}) ==
        std::vector<std::string>{"c2", "c1"});
}

TEST_CASE("upsert_batch's fast path takes the nulls the SDKs send as the general reader does") {
  Server fast, general;
  Json start = {{"project_id", "e/p"},      {"id", "c1"},
                {"trace_id", "t"},          {"parent_id", nullptr},
                {"op_name", "chat"},        {"started_at", "2025-01-01T00:00:00Z"},
                {"attributes", {{"a", 1}}}, {"inputs", {{"q", "why"}}},
                {"display_name", nullptr},  {"wb_user_id", nullptr},
                {"wb_run_id", nullptr},     {"thread_id", nullptr},
                {"turn_id", nullptr},       {"wb_run_step", nullptr},
                {"otel_dump", nullptr}};
  Json end = {{"project_id", "e/p"},
              {"id", "c1"},
              {"ended_at", "2025-01-01T00:00:01Z"},
              {"output", nullptr},
              {"summary", Json::object()},
              {"exception", nullptr},
              {"wb_run_step_end", nullptr}};
  Json items = {{{"mode", "start"}, {"req", {{"start", start}}}},
                {{"mode", "end"}, {"req", {{"end", end}}}}};
  for (const Json& item : items) CHECK_MESSAGE(ReadItemFast(CompactDumps(item), fast.ctx), item);
  fast.Ok("call_upsert_batch", {{"batch", items}});
  general.Ok("call_start", {{"start", start}});
  general.Ok("call_end", {{"end", end}});
  Json read = {{"project_id", "e/p"}, {"id", "c1"}};
  CHECK(fast.Ok("call_read", read) == general.Ok("call_read", read));
  // A null after a value of the same name leaves the field out, as the last one counts.
  auto part = ReadItemFast(
      R"({"mode":"start","req":{"start":{"project_id":"e/p","id":"c2","parent_id":"p",)"
      R"("op_name":"f","started_at":"2025-01-01T00:00:00Z","attributes":{},"inputs":{},)"
      R"("parent_id":null}}})",
      fast.ctx);
  REQUIRE(part);
  CHECK_FALSE(part->call.parent_id);
  // A null the general reader refuses is left to it, which names the field.
  CHECK_FALSE(ReadItemFast(R"({"mode":"end","req":{"end":{"project_id":"e/p","id":null,)"
                           R"("ended_at":"2025-01-01T00:00:01Z","summary":{}}}})",
                           fast.ctx));
}

TEST_CASE("threads are aggregated from their turn calls") {
  Server s;
  auto turn = [&](const std::string& id, const char* thread, const char* at, const char* end,
                  bool is_turn = true) {
    Json start = {{"project_id", "e/p"},      {"id", id},           {"trace_id", "t" + id},
                  {"op_name", "chat"},        {"started_at", at},   {"attributes", Json::object()},
                  {"inputs", Json::object()}, {"thread_id", thread}};
    if (is_turn) start["turn_id"] = id;
    s.Ok("call_start", {{"start", start}});
    if (end)
      s.Ok("call_end",
           {{"end",
             {{"project_id", "e/p"}, {"id", id}, {"ended_at", end}, {"summary", Json::object()}}}});
  };
  turn("a1", "A", "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z");
  turn("a2", "A", "2025-01-01T00:01:00Z", "2025-01-01T00:01:03Z");
  turn("a3", "A", "2025-01-01T00:02:00Z", "2025-01-01T00:02:00.5Z",
       false);                                       // in the thread, not a turn
  turn("b1", "B", "2025-01-02T00:00:00Z", nullptr);  // still running
  std::vector<Json> rows;
  s.ctx.emit = [&](std::string_view row) { rows.push_back(*ParseJson(row, "row")); };
  REQUIRE(CallMethod("threads_query_stream", {{"project_id", "e/p"}}, s.ctx).ok());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["thread_id"] == "B");  // last_updated, newest first
  CHECK(rows[0]["p50_turn_duration_ms"].is_null());
  const Json& a = rows[1];
  CHECK(a["turn_count"] == 2);
  CHECK(a["start_time"] == "2025-01-01T00:00:00.000000Z");
  CHECK(a["last_updated"] == "2025-01-01T00:01:03.000000Z");
  CHECK((a["first_turn_id"] == "a1" && a["last_turn_id"] == "a2"));
  CHECK(a["p50_turn_duration_ms"] == 2000.0);
  CHECK(a["p99_turn_duration_ms"] == 2980.0);
  rows.clear();
  REQUIRE(CallMethod("threads_query_stream",
                     {{"project_id", "e/p"},
                      {"filter", {{"thread_ids", {"A"}}}},
                      {"sort_by", {{{"field", "turn_count"}, {"direction", "asc"}}}},
                      {"limit", 5}},
                     s.ctx)
              .ok());
  CHECK((rows.size() == 1 && rows[0]["thread_id"] == "A"));
  CHECK(CallMethod("threads_query_stream",
                   {{"project_id", "e/p"}, {"sort_by", {{{"field", "x"}, {"direction", "asc"}}}}},
                   s.ctx)
            .error()
            .message.find("sort_by.0.field") != std::string::npos);
}

TEST_CASE("a call's roll-up share reads summary.usage as a whole parse of the summary would") {
  for (std::string summary :
       {R"({"usage":{"gpt-4o":{"prompt_tokens":3,"completion_tokens":4,"requests":1}}})",
        R"({"weave":{"usage":"not this"},"usage":{"m":{"input_tokens":5}},"x":[1,{"usage":2}]})",
        R"({"usage":{"a":{"total_tokens":1}}, "usage" : {"b":{"output_tokens":9}}})",  // last
                                                                                       // counts
        R"({"us\u0061ge":{"m":{"prompt_tokens":7}},"n":1e400})",  // declined: parsed whole
        R"({"usage":[1,2]})", R"({"usage":"none"})", R"({"no":"usage"})", R"(not json "usage")"}) {
    CAPTURE(summary);
    CallRecord c;
    c.started_at = 0;
    c.op_name = "op";
    c.summary = summary;
    auto whole = ParseJson(summary, "summary");
    ModelUsage want = whole.ok() ? UsageOf(*whole, false) : ModelUsage();
    if (want.empty()) want[""];
    CallShare share(c);
    REQUIRE(share.rollup.models.size() == want.size());
    for (const auto& [model, u] : want) {
      CAPTURE(model);
      REQUIRE(share.rollup.models.count(model) == 1);
      const LlmUsage& got = share.rollup.models[model].tokens;
      CHECK(got.prompt_tokens == u.prompt_tokens);
      CHECK(got.completion_tokens == u.completion_tokens);
      CHECK(got.total_tokens == u.total_tokens);
      CHECK(got.requests == u.requests);
    }
  }
}

TEST_CASE(
    "calls_query written from stored text is the JSON answer's bytes, and so is each streamed "
    "call") {
  Server s;
  s.Start("a", "", "2025-01-01T00:00:00Z", "weave:///e/p/op/llm:abc");
  s.Start("b", "a", "2025-01-01T00:00:01.5Z");
  s.End("b", "2025-01-01T00:00:02Z");
  s.Start("c", "a", "2025-01-01T00:00:03Z");
  // Columns written by hand: escapes, unicode, a float, an exception, usage.
  s.Ok("call_end", {{"end",
                     {{"project_id", "e/p"},
                      {"id", "c"},
                      {"ended_at", "2025-01-01T00:00:04Z"},
                      {"exception", "boom \"x\"\n"},
                      {"output", {{"t", "caf\u00e9 \u2603 \t"}, {"f", 0.1}, {"n", nullptr}}},
                      {"summary",
                       {{"usage", {{"m", {{"requests", 1}, {"prompt_tokens", 3}}}}},
                        {"weave", {{"extra", true}}}}}}}});
  s.Ok("call_update", {{"project_id", "e/p"}, {"call_id", "a"}, {"display_name", "root \u00e9"}});
  auto text = [&](const Json& req) {
    std::string out;
    Status st = FindMethod("calls_query")->answer_text(req, s.ctx, out);
    REQUIRE_MESSAGE(st.ok(), st.error().message);
    return out;
  };
  for (Json req : {Json{{"project_id", "e/p"}},
                   Json{{"project_id", "e/p"}, {"filter", {{"trace_ids", {"t"}}}}, {"limit", 2}},
                   Json{{"project_id", "e/p"},
                        {"sort_by", {{{"field", "started_at"}, {"direction", "desc"}}}}},
                   Json{{"project_id", "e/p"}, {"columns", {"id", "output"}}},
                   Json{{"project_id", "e/p"}, {"include_feedback", true}}}) {
    CHECK(text(req) == CompactDumps(s.Ok("calls_query", req)));
    std::vector<std::string> lines;
    s.ctx.emit = [&](std::string_view line) { lines.emplace_back(line); };
    s.Ok("calls_query_stream", req);
    const Json calls = s.Ok("calls_query", req)["calls"];
    REQUIRE(lines.size() == calls.size());
    for (size_t i = 0; i < lines.size(); ++i) CHECK(lines[i] == CompactDumps(calls[i]));
  }
  CHECK(text({{"project_id", "e/p"}, {"limit", 1}}).rfind("{\"calls\":[{", 0) == 0);
  CHECK(text({{"project_id", "e/q"}}) == R"({"calls":[]})");
  std::string kept = "x";
  CHECK_FALSE(FindMethod("calls_query")
                  ->answer_text({{"project_id", "e/p"}, {"limit", -1}}, s.ctx, kept)
                  .ok());
}
