// Call roll-ups on a real store (store format 4): they follow each write of
// a call, calls_summary answers the same from them as from the calls, a
// format 3 store gains them in its first write, and weft check verifies
// them and repair rebuilds them.
#include <doctest/doctest.h>

#include "core/calls/call_rollups.h"
#include "core/check.h"
#include "core/records/records.h"
#include "server_fixture.h"
#include "store/store.h"

using namespace weft;

namespace {

// The roll-ups of project e/p: (hour, status, op name) -> roll-up.
std::map<std::tuple<int64_t, std::string, std::string>, CallRollup> Rollups(testing::Server& s) {
  std::map<std::tuple<int64_t, std::string, std::string>, CallRollup> out;
  REQUIRE(s.ctx.store
              ->Read([&](Txn& txn) {
                return ForEachRollup(
                    txn, "e/p", INT64_MIN, INT64_MAX,
                    [&](int64_t hour, std::string_view status, const CallRollup& r) {
                      out[{hour, std::string(status), r.op_name}] = r;
                      return true;
                    });
              })
              .ok());
  return out;
}

void Start(testing::Server& s, const std::string& id, const std::string& op,
           const std::string& at) {
  s.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", id},
                        {"trace_id", "t"},
                        {"op_name", op},
                        {"started_at", at},
                        {"inputs", Json::object()},
                        {"attributes", Json::object()}}}});
}

void End(testing::Server& s, const std::string& id, const std::string& at, const Json& usage,
         bool failed = false) {
  Json end = {{"project_id", "e/p"}, {"id", id}, {"ended_at", at}, {"summary", {{"usage", usage}}}};
  if (failed) end["exception"] = "ValueError: x";
  s.Ok("call_end", {{"end", end}});
}

Json Check(testing::Server& s) {
  auto report = CheckStore(*s.ctx.store);
  REQUIRE(report.ok());
  return *report;
}

const int64_t kHour0 = *ParseTime("2026-01-01T00:00:00Z");

// The time `seconds` after 2026-01-01T00:00:00Z, as a call sends it.
std::string At(int64_t seconds, int64_t ms = 0) {
  return FormatTime(kHour0 + seconds * 1000000 + ms * 1000);
}

}  // namespace

TEST_CASE("a call's share of the roll-ups moves with its start, end, update and delete") {
  testing::Server s;
  Start(s, "a", "chat", "2026-01-01T00:10:00Z");
  auto rows = Rollups(s);
  REQUIRE(rows.size() == 1);
  const CallRollup& running = rows[{kHour0, "running", "chat"}];
  CHECK(running.count == 1);
  CHECK(running.latency.empty());
  CHECK(running.models.count("") == 1);  // counted among the calls without usage

  End(s, "a", "2026-01-01T00:10:01.5Z",
      {{"gpt-4o", {{"prompt_tokens", 100}, {"output_tokens", 5}}}});
  rows = Rollups(s);
  REQUIRE(rows.size() == 1);
  const CallRollup& done = rows[{kHour0, "success", "chat"}];
  CHECK(done.count == 1);
  CHECK(done.latency.Quantile(0.5) == 1500.0);
  REQUIRE(done.models.size() == 1);
  CHECK(done.models.at("gpt-4o").tokens.prompt_tokens == 100);
  CHECK(done.models.at("gpt-4o").tokens.completion_tokens == 5);
  CHECK(done.models.at("gpt-4o").tokens.total_tokens == 105);
  CHECK(Check(s)["ok"] == true);

  s.Ok("call_update", {{"project_id", "e/p"}, {"call_id", "a"}, {"display_name", "renamed"}});
  CHECK(Rollups(s).size() == 1);
  s.Ok("calls_delete", {{"project_id", "e/p"}, {"call_ids", {"a"}}});
  CHECK(Rollups(s).empty());
  CHECK(Check(s)["ok"] == true);
}

TEST_CASE(
    "a roll-up record encodes and decodes whole; a model of every call shares its latencies") {
  CallRollup r;
  r.op_name = std::string(300, 'o');
  r.count = 3;
  for (int64_t ms : {5, 900, 123456}) r.latency.Add(ms);
  r.models[""] = {3, r.latency, {}};
  RollupModel m{1, {}, {}};
  m.latency.Add(-2);
  m.tokens.total_tokens = -7;  // clients may send anything; sums stay exact
  r.models["gpt"] = m;
  auto back = DecodeRollup(EncodeRollup(r));
  REQUIRE(back.ok());
  CHECK(EncodeRollup(*back) == EncodeRollup(r));
  CHECK(back->models.at("").latency == r.latency);
  CHECK(back->models.at("gpt").tokens.total_tokens == -7);
  CHECK_FALSE(DecodeRollup(EncodeRollup(r).substr(0, 9)).ok());
  CHECK_FALSE(DecodeRollup("").ok());
}

TEST_CASE("calls_summary answers the same from the roll-ups as from every call") {
  testing::Server s;
  // A project price taking effect inside an hour: that hour is read call by call.
  s.Ok("cost_create", {{"project_id", "e/p"},
                       {"costs",
                        {{"m-x",
                          {{"prompt_token_cost", 0.1},
                           {"completion_token_cost", 0.3},
                           {"effective_date", At(2 * 3600 + 1800)}}}}}});
  std::string long_a = std::string(250, 'a') + "1", long_b = std::string(250, 'a') + "2";
  std::vector<std::string> ops = {"weave:///e/p/op/chat:v1", "weave:///e/p/op/chat:v2",
                                  "weave:///e/p/op/embed:v1", "weave:///e/p/op/" + long_a + ":v",
                                  "weave:///e/p/op/" + long_b + ":v"};
  std::vector<Json> usages = {
      Json::object(),
      {{"gpt-4o", {{"prompt_tokens", 120}, {"completion_tokens", 30}}}},
      {{"m-x", {{"input_tokens", 7}, {"output_tokens", 3}, {"cache_read_input_tokens", 2}}}},
      {{"gpt-4o", {{"prompt_tokens", 5}}}, {"m-x", {{"total_tokens", 9}}}},
      // Counts past what a sum can hold wrap around, the same on both paths.
      {{"huge", {{"prompt_tokens", int64_t{1} << 62}, {"input_tokens", int64_t{1} << 62}}}}};
  for (int i = 0; i < 120; ++i) {
    std::string id = "c" + std::to_string(i);
    int64_t start = i * 217;  // about 7 hours
    Start(s, id, ops[i % ops.size()], At(start));
    if (i % 11 == 3) continue;  // still running
    End(s, id, At(start + (i * 37) % 5, (i * 7919) % 1000), usages[(i / 3) % usages.size()],
        i % 6 == 1);
  }
  s.Ok("calls_delete", {{"project_id", "e/p"}, {"call_ids", {"c5"}}});
  CHECK(Check(s)["ok"] == true);

  Json groupings = {{{"every", "1h"}},
                    {{"by", "op"}},
                    {{"by", "model"}},
                    {{"by", "status"}, {"every", "2h"}},
                    {{"by", "model"}, {"every", "1d"}}};
  auto status_since = [](const std::string& status, const std::string& from,
                         const std::string& to) {
    return Json{{"$expr",
                 {{"$and",
                   {{{"$eq", {{{"$getField", "summary.weave.status"}}, {{"$literal", status}}}}},
                    {{"$gte", {{{"$getField", "started_at"}}, {{"$literal", from}}}}},
                    {{"$lt", {{{"$getField", "started_at"}}, {{"$literal", to}}}}}}}}}};
  };
  std::vector<Json> selections = {
      Json::object(),
      {{"filter", {{"op_names", {"weave:///e/p/op/chat:*"}}}}},
      {{"filter", {{"op_names", {"weave:///e/p/op/" + long_b + ":v"}}}}},
      {{"query", status_since("success", At(1800), At(5 * 3600 + 60))}},
      {{"query", status_since("error", At(3600), At(6 * 3600))}},
  };
  for (const Json& selection : selections) {
    Json req = selection;
    req["project_id"] = "e/p";
    req["groupings"] = groupings;
    Json from_rollups = s.Ok("calls_summary", req);
    // A filter the roll-ups cannot answer (every call has this user): the calls alone.
    req["filter"]["wb_user_ids"] = {"tester"};
    Json from_calls = s.Ok("calls_summary", req);
    CHECK_MESSAGE(from_rollups == from_calls, selection.dump());
    CHECK(from_rollups["groupings"][0]["groups"].size() > 0);
  }
  // The plain selection was read from the roll-ups: without them it finds
  // only the hour in which the price takes effect.
  Json plain = {{"project_id", "e/p"}, {"every", "1h"}};
  Json hourly = s.Ok("calls_summary", plain)["groups"];
  REQUIRE(s.ctx.store->Write([](Txn& txn) { return txn.Clear(Db::kCallRollups); }).ok());
  Json without = s.Ok("calls_summary", plain)["groups"];
  REQUIRE(without.size() == 1);
  CHECK(without[0]["start"] == "2026-01-01T02:00:00.000000Z");
  CHECK(hourly.size() > 5);
  // Buckets shorter than an hour are answered from the calls.
  Json quarter = s.Ok("calls_summary", {{"project_id", "e/p"}, {"every", "15m"}})["groups"];
  int64_t total = 0;
  for (const Json& g : quarter) total += g["count"].get<int64_t>();
  CHECK(total == 119);
}

TEST_CASE("a format 3 store gains the roll-ups in its first write") {
  testing::Server s;
  Start(s, "a", "chat", "2026-01-01T00:00:00Z");
  End(s, "a", "2026-01-01T00:00:01Z", Json::object());
  Start(s, "b", "chat", "2026-01-01T01:00:00Z");
  Json before = s.Ok("calls_summary", {{"project_id", "e/p"}, {"by", "op"}, {"every", "1h"}});
  REQUIRE(s.ctx.store
              ->Write([](Txn& txn) -> Status {
                WEFT_TRY(txn.Clear(Db::kCallRollups));
                return txn.Put(Db::kMeta, keys::kFormat, "3");
              })
              .ok());
  CHECK(Check(s)["ok"] == true);  // read as format 3: no roll-ups expected
  CHECK(s.Ok("calls_summary", {{"project_id", "e/p"}, {"by", "op"}, {"every", "1h"}}) == before);

  Start(s, "c", "chat", "2026-01-01T02:00:00Z");  // the first write upgrades
  int format = 0;
  REQUIRE(s.ctx.store->Read([&](Txn& txn) { return format = txn.format(), Status::OK(); }).ok());
  CHECK(format == kFormatVersion);
  CHECK(Rollups(s).size() == 3);
  CHECK(Check(s)["ok"] == true);
}

TEST_CASE("weft check finds roll-ups missing, wrong and astray, and repair rebuilds them") {
  testing::Server s;
  Start(s, "a", "chat", "2026-01-01T00:00:00Z");
  End(s, "a", "2026-01-01T00:00:01Z", Json::object());
  Start(s, "b", "chat", "2026-01-01T01:00:00Z");
  Json summary = s.Ok("calls_summary", {{"project_id", "e/p"}, {"every", "1h"}});
  REQUIRE(s.ctx.store
              ->Write([](Txn& txn) -> Status {
                std::string hour1 = RollupKey("e/p", kHour0 + 3600000000, "running", "chat");
                WEFT_TRY(txn.Del(Db::kCallRollups, hour1));  // missing
                CallRollup wrong;
                wrong.op_name = "chat";
                wrong.count = 5;
                WEFT_TRY(txn.Put(Db::kCallRollups, RollupKey("e/p", kHour0, "success", "chat"),
                                 EncodeRollup(wrong)));  // wrong
                return txn.Put(Db::kCallRollups,
                               RollupKey("e/p", kHour0 + 7200000000, "error", "x"),
                               EncodeRollup(wrong));  // astray: no call in that hour
              })
              .ok());
  Json report = Check(s);
  CHECK(report["ok"] == false);
  REQUIRE(report["index_problems"].size() == 3);
  std::string problems = report["index_problems"].dump();
  CHECK(problems.find("is missing for its calls") != std::string::npos);
  CHECK(problems.find("does not match its calls") != std::string::npos);
  CHECK(problems.find("counts calls not there") != std::string::npos);
  CHECK(problems.find("call_rollups: project e/p, hour") != std::string::npos);

  auto repaired = RepairStore(*s.ctx.store);
  REQUIRE(repaired.ok());
  CHECK((*repaired)["ok"] == true);
  CHECK(s.Ok("calls_summary", {{"project_id", "e/p"}, {"every", "1h"}}) == summary);
}
