// core/transfer: ref rewriting, export and load (import), the sync state of
// push; and base64, which carries file bytes in exports.
#include <doctest/doctest.h>

#include "base/base64.h"
#include "core/api/export.h"
#include "core/api/load.h"
#include "core/api/ref_map.h"
#include "core/api/sync_state.h"
#include "core/calls/fast_item.h"
#include "core/check.h"
#include "server_fixture.h"

using namespace weft;

namespace {

// The export of a store, as lines.
std::vector<std::string> Exported(testing::Server& s,
                                  std::optional<std::string> project = std::nullopt) {
  std::vector<std::string> lines;
  ExportOptions opts;
  opts.project = project;
  Status st = Export(s.ctx, opts, [&](std::string_view r) {
    lines.emplace_back(r);
    return true;
  });
  REQUIRE_MESSAGE(st.ok(), st.error().message);
  return lines;
}

void Fill(testing::Server& s) {
  std::string t =
      s.Ok("table_create", {{"table", {{"project_id", "e/p"}, {"rows", {{{"q", 1}}}}}}})["digest"];
  std::string d =
      s.Ok("obj_create", {{"obj",
                           {{"project_id", "e/p"},
                            {"object_id", "ds"},
                            {"val", {{"rows", "weave:///e/p/table/" + t}}}}}})["digest"];
  s.Ok("file_create", {{"project_id", "e/p"}, {"name", "a.py"}, {"content", "print(1)\n"}});
  s.Ok("call_upsert_batch", {{"batch",
                              {{{"mode", "start"},
                                {"req",
                                 {{"start",
                                   {{"project_id", "e/p"},
                                    {"id", "c1"},
                                    {"trace_id", "t1"},
                                    {"op_name", "weave:///e/p/op/f:abc"},
                                    {"started_at", "2024-01-01T00:00:00Z"},
                                    {"attributes", Json::object()},
                                    {"inputs", {{"d", "weave:///e/p/object/ds:" + d}}},
                                    {"display_name", "named"}}}}}},
                               {{"mode", "end"},
                                {"req",
                                 {{"end",
                                   {{"project_id", "e/p"},
                                    {"id", "c1"},
                                    {"ended_at", "2024-01-01T00:00:01Z"},
                                    {"summary", {{"usage", {{"m", {{"requests", 1}}}}}}},
                                    {"output", 7}}}}}},
                               {{"mode", "start"},
                                {"req",
                                 {{"start",
                                   {{"project_id", "e/q"},
                                    {"id", "c2"},
                                    {"trace_id", "t2"},
                                    {"op_name", "g"},
                                    {"started_at", "2024-01-02T00:00:00Z"},
                                    {"attributes", Json::object()},
                                    {"inputs", Json::object()}}}}}}}}});
  s.Ok("feedback_create", {{"project_id", "e/p"},
                           {"weave_ref", "weave:///e/p/call/c1"},
                           {"feedback_type", "wandb.reaction.1"},
                           {"payload", {{"emoji", "👍"}}}});
}

}  // namespace

TEST_CASE("base64 encodes and decodes every length, and refuses what is not base64") {
  for (std::string s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)})
    CHECK(Base64Decode(Base64Encode(s)) == s);
  CHECK(Base64Encode("hello") == "aGVsbG8=");
  CHECK(!Base64Decode("aGVsbG8"));
  CHECK(!Base64Decode("aGV=bG8="));
  CHECK(!Base64Decode("a*Vs"));
}

TEST_CASE("RefMap moves refs into the destination project and maps versions it was told of") {
  RefMap map("e/p", "t/q");
  map.Add(VersionKey("object", "ds", "D1"), VersionKey("object", "ds", "D2"));
  map.Add(VersionKey("table", "", "T1"), VersionKey("table", "", "T2"));
  CHECK(map.Rewrite("weave:///e/p/object/ds:D1") == "weave:///t/q/object/ds:D2");
  CHECK(map.Rewrite("weave:///e/p/object/ds:D1/attr/rows/index/0") ==
        "weave:///t/q/object/ds:D2/attr/rows/index/0");
  CHECK(map.Rewrite("weave:///e/p/table/T1") == "weave:///t/q/table/T2");
  CHECK(map.Rewrite("weave:///e/p/object/other:X") == "weave:///t/q/object/other:X");
  CHECK(map.Rewrite("weave:///e/p/call/c1") == "weave:///t/q/call/c1");
  CHECK(map.Rewrite("weave:///e/px/object/ds:D1") ==
        "weave:///e/px/object/ds:D1");  // another project
  CHECK(map.Rewrite("not a ref") == "not a ref");
  Json v = {{"a", {"weave:///e/p/object/ds:D1", 1}}, {"weave:///e/p/table/T1", "key, not value"}};
  Json w = map.RewriteAll(v);
  CHECK(w["a"][0] == "weave:///t/q/object/ds:D2");
  CHECK(w.contains("weave:///e/p/table/T1"));
  // Deep values do not recurse.
  Json deep = "weave:///e/p/table/T1";
  for (int i = 0; i < 100000; ++i) deep = Json::array({std::move(deep)});
  Json out = map.RewriteAll(std::move(deep));
  const Json* at = &out;
  while (at->is_array()) at = &(*at)[0];
  CHECK(*at == "weave:///t/q/table/T2");
}

TEST_CASE(
    "export then load into an empty store exports the same lines; loading again changes nothing") {
  testing::Server a, b;
  Fill(a);
  auto first = Exported(a);
  CHECK(first.size() == 6);  // file, table, object, two calls, feedback
  CHECK(first.front().starts_with("{\"file\":"));
  CHECK(first[4].starts_with("{\"feedback\":"));  // e/p's records, then e/q's
  CHECK(first[5].find("\"project_id\":\"e/q\"") != std::string::npos);
  for (int round = 0; round < 2; ++round) {
    Loader loader(b.ctx);
    for (size_t i = 0; i < first.size(); ++i) {
      Status st = loader.Add(*ParseJson(first[i], "line"), "line " + std::to_string(i + 1));
      REQUIRE_MESSAGE(st.ok(), st.error().message);
    }
    REQUIRE(loader.Flush().ok());
    CHECK(DescribeCounts(loader.counts()) ==
          (round == 0 ? "2 calls, 1 objects, 1 tables, 1 files, 1 feedback"
                      : "2 calls (0 new, 2 unchanged), 1 objects, 1 tables, 1 files, 1 feedback"));
    CHECK(Exported(b) == first);
  }
  CHECK(*ListProjects(b.ctx) == std::vector<std::string>{"e/p", "e/q"});
  CHECK(Exported(b, "e/q").size() == 1);
}

TEST_CASE(
    "call records are written as CompactDumps writes CallSchema, stored columns as they are") {
  testing::Server s;
  Fill(s);
  Json streamed = s.Ok("calls_query", {{"project_id", "e/p"}})["calls"][0];
  auto lines = Exported(s, "e/p");
  CHECK(lines[3] == CompactDumps(Json{{"call", streamed}}));
}

TEST_CASE("export writes the calls of several pages once each, in start order, from --since on") {
  testing::Server s;
  Json batch = Json::array();
  for (int i = 0; i < 2500; ++i) {  // two pages and a half; ids in reverse of start order
    char id[16], at[32];
    std::snprintf(id, sizeof id, "c%05d", 2500 - i);
    std::snprintf(at, sizeof at, "2024-01-01T%02d:%02d:%02dZ", i / 3600, i / 60 % 60, i % 60);
    batch.push_back({{"mode", "start"},
                     {"req",
                      {{"start",
                        {{"project_id", "e/p"},
                         {"id", id},
                         {"trace_id", "t"},
                         {"op_name", "f"},
                         {"started_at", at},
                         {"attributes", Json::object()},
                         {"inputs", {{"i", i}}}}}}}});
  }
  s.Ok("call_upsert_batch", {{"batch", batch}});
  auto calls_of = [&](std::optional<Micros> since, size_t stop_after) {
    std::vector<int> inputs;
    ExportOptions opts;
    opts.since = since;
    Status st = Export(s.ctx, opts, [&](std::string_view r) {
      Json j = *ParseJson(r, "record");
      if (j.contains("call")) inputs.push_back(j["call"]["inputs"]["i"]);
      return inputs.size() < stop_after;
    });
    REQUIRE_MESSAGE(st.ok(), st.error().message);
    return inputs;
  };
  std::vector<int> all = calls_of(std::nullopt, SIZE_MAX);
  REQUIRE(all.size() == 2500);
  for (int i = 0; i < 2500; ++i) CHECK(all[i] == i);
  std::vector<int> later = calls_of(*ParseTime("2024-01-01T00:30:00Z"), SIZE_MAX);  // call 1800 on
  REQUIRE(later.size() == 700);
  CHECK(later.front() == 1800);
  CHECK(later.back() == 2499);
  CHECK(calls_of(std::nullopt, 1200).size() == 1200);  // the sink stops it in the second page
}

TEST_CASE("a call's otel_dump goes out with export and comes back with load") {
  testing::Server a, b;
  a.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", "c"},
                        {"trace_id", "t"},
                        {"op_name", "f"},
                        {"started_at", "2024-01-01T00:00:00Z"},
                        {"attributes", Json::object()},
                        {"inputs", Json::object()},
                        {"otel_dump", {{"span_id", "ab"}}}}}});
  auto lines = Exported(a);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find(R"("otel_dump":{"span_id":"ab"})") != std::string::npos);
  Loader loader(b.ctx);
  REQUIRE(loader.Add(*ParseJson(lines[0], "line"), "line 1").ok());
  REQUIRE(loader.Flush().ok());
  CHECK(Exported(b) == lines);
}

TEST_CASE(
    "call records of the usual shape load without a JSON tree, as the general reader loads them") {
  testing::Server a;
  auto start = [](const std::string& id, Json extra) {
    Json s = {{"project_id", "e/p"},
              {"id", id},
              {"trace_id", "t"},
              {"op_name", "weave:///e/p/op/f:abc"},
              {"started_at", "2024-01-01T00:00:00Z"},
              {"attributes", {{"env", "ci"}}},
              {"inputs", {{"q", "why?"}, {"n", 1.5}}}};
    s.update(extra);
    return Json{{"mode", "start"}, {"req", {{"start", s}}}};
  };
  auto end = [](const std::string& id, Json extra) {
    Json e = {{"project_id", "e/p"},
              {"id", id},
              {"ended_at", "2024-01-01T00:00:02Z"},
              {"summary", {{"usage", {{"m", {{"requests", 1}}}}}, {"weave", {{"kept", 1}}}}}};
    e.update(extra);
    return Json{{"mode", "end"}, {"req", {{"end", e}}}};
  };
  a.Ok("call_upsert_batch",
       {{"batch",
         {start("c1", {{"display_name", "named"}, {"thread_id", "th"}, {"wb_user_id", "u"}}),
          end("c1", {{"output", {{"a", "\u00e9\"quoted\""}}}}), start("c2", {{"parent_id", "c1"}}),
          end("c2", {{"exception", "boom"}}), start("c3", Json::object())}}});
  auto lines = Exported(a);
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) CHECK_MESSAGE(ReadCallRecordFast(line, a.ctx), line);
  for (std::string to : {"", "x/y"}) {
    testing::Server fast, general;
    Loader by_text(fast.ctx, {.destination = to}), by_tree(general.ctx, {.destination = to});
    for (const auto& line : lines) {
      REQUIRE(by_text.AddText(line, "l").ok());
      REQUIRE(by_tree.Add(*ParseJson(line, "l"), "l").ok());
    }
    REQUIRE(by_text.Flush().ok());
    REQUIRE(by_tree.Flush().ok());
    CHECK(by_text.counts().calls_new == 3);
    CHECK(Exported(fast) == Exported(general));
    if (to.empty())
      CHECK(Exported(fast) == lines);
    else
      CHECK(Exported(fast)[0].find("weave:///x/y/op/f:abc") != std::string::npos);
  }
}

TEST_CASE("load with a rename rewrites refs and digests of what holds them") {
  testing::Server a, b;
  Fill(a);
  Loader loader(b.ctx, {.destination = "x/y"});
  for (const auto& line : Exported(a, "e/p")) REQUIRE(loader.Add(*ParseJson(line, "l"), "l").ok());
  REQUIRE(loader.Flush().ok());
  Json call = b.Ok("calls_query", {{"project_id", "x/y"}})["calls"][0];
  std::string ref = call["inputs"]["d"];
  CHECK(ref.starts_with("weave:///x/y/object/ds:"));
  Json read = b.Ok("refs_read_batch", {{"refs", {ref + "/key/rows"}}});
  CHECK(std::string(read["vals"][0]).starts_with("weave:///x/y/table/"));
  CHECK(call["op_name"] == "weave:///x/y/op/f:abc");
  CHECK(call["display_name"] == "named");
  CHECK(b.Ok("feedback_query", {{"project_id", "x/y"}})["result"][0]["weave_ref"] ==
        "weave:///x/y/call/c1");
}

TEST_CASE("load with a destination writes every record there, whatever project it names") {
  testing::Server a, b;
  Fill(a);
  b.Ok("call_start", {{"start",
                       {{"project_id", "mine/other"},
                        {"id", "c2"},
                        {"trace_id", "t"},
                        {"op_name", "keep"},
                        {"started_at", "2024-01-01T00:00:00Z"},
                        {"attributes", Json::object()},
                        {"inputs", Json::object()}}}});
  Loader loader(b.ctx, {.destination = "x/y"});
  for (const auto& line : Exported(a)) REQUIRE(loader.Add(*ParseJson(line, "l"), "l").ok());
  REQUIRE(loader.Flush().ok());
  CHECK(*ListProjects(b.ctx) == std::vector<std::string>{"mine/other", "x/y"});
  CHECK(b.Ok("calls_query_stats", {{"project_id", "x/y"}})["count"] == 2);
  CHECK(b.Ok("call_read", {{"project_id", "mine/other"}, {"id", "c2"}})["call"]["op_name"] ==
        "keep");
}

TEST_CASE("load keeps a call the store holds with other content unless told to replace it") {
  testing::Server a, b;
  Fill(a);
  auto lines = Exported(a, "e/p");
  for (bool replace : {false, true}) {
    b.Ok("call_upsert_batch", {{"batch",
                                {{{"mode", "start"},
                                  {"req",
                                   {{"start",
                                     {{"project_id", "e/p"},
                                      {"id", "c1"},
                                      {"trace_id", "t1"},
                                      {"op_name", "local"},
                                      {"started_at", "2024-01-01T00:00:00Z"},
                                      {"attributes", Json::object()},
                                      {"inputs", Json::object()}}}}}}}}});
    Loader loader(b.ctx, {.destination = "", .replace = replace});
    for (const auto& line : lines) REQUIRE(loader.Add(*ParseJson(line, "l"), "l").ok());
    REQUIRE(loader.Flush().ok());
    const LoadCounts& c = loader.counts();
    CHECK(c.calls_kept == (replace ? 0 : 1));
    CHECK(c.calls_replaced == (replace ? 1 : 0));
    std::string op = b.Ok("call_read", {{"project_id", "e/p"}, {"id", "c1"}})["call"]["op_name"];
    CHECK(op == (replace ? "weave:///e/p/op/f:abc" : "local"));
    if (!replace)
      CHECK(DescribeCounts(c).find("1 calls kept as the store has them") != std::string::npos);
    if (!replace) b.Ok("calls_delete", {{"project_id", "e/p"}, {"call_ids", {"c1"}}});
  }
}

TEST_CASE("load recomputes digests and refuses records whose digest is not their content's") {
  testing::Server a, b;
  Fill(a);
  for (const auto& line : Exported(a, "e/p")) {
    Json record = *ParseJson(line, "l");
    std::string kind = record.begin().key();
    if (kind != "object" && kind != "table") continue;
    Json forged = record;
    forged[kind]["digest"] = kind == "table" ? std::string(64, 'a') : "forged";
    Loader loader(b.ctx);
    Status st = loader.Add(forged, "line 2");
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message == "line 2: " + kind + ".digest: does not match the " +
                                    (kind == "table" ? "table's rows" : "object's value"));
  }
  CHECK(Exported(b).empty());
}

TEST_CASE("load refuses bad records, naming where") {
  testing::Server b;
  Loader loader(b.ctx);
  auto err = [&](const Json& record) {
    Status st = loader.Add(record, "line 9");
    REQUIRE_FALSE(st.ok());
    return st.error();
  };
  CHECK(err(Json{{"nope", {{"project_id", "e/p"}}}}).message ==
        "line 9: unknown record kind 'nope'");
  CHECK(err(Json{{"call", 1}}).kind == ErrorKind::kInvalid);
  CHECK(err(Json{{"file", {{"project_id", "e/p"}, {"content", "!!"}}}}).message.find("base64") !=
        std::string::npos);
  CHECK(err(Json{{"file", {{"project_id", "e/p"}, {"digest", "x"}, {"content", "aGk="}}}})
            .message.find("digest") != std::string::npos);
  CHECK(err(Json{{"call", {{"project_id", "e/p"}, {"id", "c"}}}})
            .message.find("line 9: call.start.") == 0);
  CHECK(err(Json{{"object",
                  {{"project_id", "e/p"},
                   {"object_id", "o"},
                   {"kind", "thing"},
                   {"val", 1},
                   {"created_at", "2024-01-01T00:00:00Z"}}}})
            .message.find("kind") != std::string::npos);
  CHECK(Exported(b).empty());
}

TEST_CASE("sync state is kept per project and destination") {
  testing::Server s;
  SyncState one(s.ctx, "e/p", "http://a", "t/q"), two(s.ctx, "e/p", "http://b", "t/q");
  REQUIRE(one.Put({{"call/c1", "[true,null]"}, {"ref/object/o:D", "object/o:E"}}).ok());
  CHECK(*one.Get({"call/c1", "call/c2"}) ==
        std::vector<std::optional<std::string>>{"[true,null]", std::nullopt});
  CHECK((*two.Get({"call/c1"}))[0] == std::nullopt);
  CHECK(*one.Page("ref/", "", 10) == SyncState::Items{{"object/o:D", "object/o:E"}});
  REQUIRE(one.Put({{"call/c2", "[]"}, {"call/c3", "[]"}, {"call/c30", "[]"}}).ok());
  CHECK(*one.Page("call/", "", 2) == SyncState::Items{{"c1", "[true,null]"}, {"c2", "[]"}});
  CHECK(*one.Page("call/", "c2", 10) == SyncState::Items{{"c3", "[]"}, {"c30", "[]"}});
  CHECK(one.Page("call/", "c30", 10)->empty());
  REQUIRE(
      one.Put({{"call/c2", std::nullopt}, {"call/c3", std::nullopt}, {"call/c30", std::nullopt}})
          .ok());
  REQUIRE(one.Put({{"call/c1", std::nullopt}}).ok());
  CHECK((*one.Get({"call/c1"}))[0] == std::nullopt);
  CHECK(ListProjects(s.ctx)->empty());  // sync records are not data
  CHECK(*GoneCalls(s.ctx, "e/p", {"c1"}) == std::vector<std::string>{"c1"});
}

TEST_CASE(
    "project_rename moves every record to the new name with refs rewritten; project_delete leaves "
    "nothing") {
  testing::Server s;
  auto add = [&](const std::string& project) {
    Json table =
        s.Ok("table_create", {{"table", {{"project_id", project}, {"rows", {{{"q", 1}}}}}}});
    Json ds = s.Ok(
        "obj_create",
        {{"obj",
          {{"project_id", project},
           {"object_id", "ds"},
           {"val",
            {{"rows", "weave:///" + project + "/table/" + table["digest"].get<std::string>()}}}}}});
    s.Ok("call_start",
         {{"start",
           {{"project_id", project},
            {"id", "c1"},
            {"trace_id", "t"},
            {"op_name", "o"},
            {"started_at", "2026-01-01T00:00:00Z"},
            {"attributes", Json::object()},
            {"inputs",
             {{"ds", "weave:///" + project + "/object/ds:" + ds["digest"].get<std::string>()}}}}}});
    s.Ok("feedback_create", {{"project_id", project},
                             {"weave_ref", "weave:///" + project + "/call/c1"},
                             {"feedback_type", "note"},
                             {"payload", {{"note", "hi"}}}});
    s.Ok("cost_create",
         {{"project_id", project},
          {"costs", {{"m", {{"prompt_token_cost", 1}, {"completion_token_cost", 2}}}}}});
  };
  add("e/old");
  add("e/other");
  Json plan = s.Ok("project_rename", {{"project_id", "e/old"}, {"to", "e/new"}, {"dry_run", true}});
  CHECK(plan["would_move"] == Json{{"calls", 1},
                                   {"objects", 1},
                                   {"tables", 1},
                                   {"files", 0},
                                   {"feedback", 1},
                                   {"prices", 1}});
  CHECK(s.Err("project_rename", {{"project_id", "e/old"}, {"to", "e/other"}})
            .message.find("already holds") != std::string::npos);
  s.Ok("project_rename", {{"project_id", "e/old"}, {"to", "e/new"}});
  Json call = s.Ok("call_read", {{"project_id", "e/new"}, {"id", "c1"}})["call"];
  std::string ref = call["inputs"]["ds"];
  CHECK(ref.starts_with("weave:///e/new/object/ds:"));
  Json ds = s.Ok("refs_read_batch", {{"refs", {ref + "/attr/rows"}}})["vals"][0];
  CHECK(ds.get<std::string>().starts_with("weave:///e/new/table/"));
  CHECK(s.Ok("cost_query", {{"project_id", "e/new"}})["results"].size() == 1);
  CHECK(s.Ok("feedback_query", {{"project_id", "e/new"}})["result"][0]["weave_ref"] ==
        "weave:///e/new/call/c1");
  Json gone = s.Ok("project_delete", {{"project_id", "e/old"}, {"dry_run", true}})["would_delete"];
  for (const auto& [kind, n] : gone.items()) CHECK_MESSAGE(n == 0, kind);
  CHECK(s.Ok("call_read", {{"project_id", "e/other"}, {"id", "c1"}})["call"]
            .is_object());  // untouched
  Json deleted = s.Ok("project_delete", {{"project_id", "e/other"}})["deleted"];
  CHECK(deleted["calls"] == 1);
  CHECK(s.Ok("call_read", {{"project_id", "e/other"}, {"id", "c1"}})["call"].is_null());
  auto report = CheckStore(*s.ctx.store);
  REQUIRE(report.ok());
  CHECK((*report)["ok"] == true);
}

TEST_CASE(
    "a summary the cursor declines (an integer past 18 digits) is exported as CallSchema has it") {
  testing::Server s;
  s.Ok("call_upsert_batch", {{"batch",
                              {{{"mode", "start"},
                                {"req",
                                 {{"start",
                                   {{"project_id", "e/p"},
                                    {"id", "c"},
                                    {"trace_id", "t"},
                                    {"op_name", "f"},
                                    {"started_at", "2024-01-01T00:00:00Z"},
                                    {"attributes", Json::object()},
                                    {"inputs", Json::object()}}}}}},
                               {{"mode", "end"},
                                {"req",
                                 {{"end",
                                   {{"project_id", "e/p"},
                                    {"id", "c"},
                                    {"ended_at", "2024-01-01T00:00:01Z"},
                                    {"summary",
                                     {{"big", 18446744073709551615ULL},
                                      {"weave", {{"n", 12345678901234567890ULL}}}}}}}}}}}}});
  Json streamed = s.Ok("calls_query", {{"project_id", "e/p"}})["calls"][0];
  CHECK(Exported(s, "e/p")[0] == CompactDumps(Json{{"call", streamed}}));
}
