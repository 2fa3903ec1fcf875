// Whole calls at once (core/calls/call_batch.cc): calls_complete, and
// call_upsert_batch read and answered as text, its calls' writes prepared
// before its transaction.
#include <doctest/doctest.h>

#include <map>

#include "core/api/method_table.h"
#include "core/check.h"
#include "server_fixture.h"
#include "store/store.h"

using namespace weft;
using weft::testing::Server;

TEST_CASE("calls_complete writes whole calls at once, all or nothing; an open call is refused") {
  testing::Server s;
  Json whole = {{"project_id", "e/p"},
                {"id", "c1"},
                {"trace_id", "t"},
                {"op_name", "op"},
                {"started_at", "2026-01-01T00:00:00Z"},
                {"ended_at", "2026-01-01T00:00:02Z"},
                {"attributes", Json::object()},
                {"inputs", {{"x", 1}}},
                {"output", 2},
                {"summary", Json::object()},
                {"thread_id", "th"},
                {"wb_run_step", 3},
                {"wb_run_step_end", 4}};
  CHECK(s.Ok("calls_complete", {{"batch", {whole}}}) == Json::object());
  Json call = s.Ok("call_read", {{"project_id", "e/p"}, {"id", "c1"}})["call"];
  CHECK(call["output"] == 2);
  CHECK(call["thread_id"] == "th");
  CHECK(call["wb_run_step_end"] == 4);
  CHECK(call["summary"]["weave"]["latency_ms"] == 2000);
  Json open = whole;
  open["id"] = "c2";
  open.erase("ended_at");
  Json second = whole;
  second["id"] = "c3";
  Error e = s.Err("calls_complete", {{"batch", {second, open}}});
  CHECK(e.message.find("batch.1.ended_at") != std::string::npos);
  CHECK(s.Ok("call_read", {{"project_id", "e/p"}, {"id", "c3"}})["call"].is_null());
}

TEST_CASE("call_upsert_batch from its text answers CompactDumps of the JSON way's answer") {
  Json start = {{"project_id", "e/p"},
                {"id", "c\"1\u2028"},
                {"trace_id", "t\\1"},
                {"op_name", "op"},
                {"started_at", "2026-01-01T00:00:00Z"},
                {"attributes", Json::object()},
                {"inputs", {{"x", 1}}}};
  Json end = {{"project_id", "e/p"},
              {"id", "c\"1\u2028"},
              {"ended_at", "2026-01-01T00:00:01Z"},
              {"output", 2},
              {"summary", Json::object()}};
  Json batch = {{"batch",
                 {{{"mode", "start"}, {"req", {{"start", start}}}},
                  {{"mode", "end"}, {"req", {{"end", end}}}}}}};
  testing::Server json_way;
  std::string expected = CompactDumps(json_way.Ok("call_upsert_batch", batch));
  CHECK(expected.find("\"res\":[{\"id\":") != std::string::npos);
  // The plain shape is read item by item; an escaped key makes it parse whole.
  std::string escaped = CompactDumps(batch);
  escaped.replace(escaped.find("batch"), 5, "bat\\u0063h");
  for (const std::string& text : {CompactDumps(batch), batch.dump(2), escaped}) {
    testing::Server s;
    std::string out;
    REQUIRE(FindMethod("call_upsert_batch")->from_text(text, s.ctx, out).ok());
    CHECK(out == expected);
  }
}

namespace {

// Every key and value of a store but its projects' creation times.
std::map<std::pair<int, std::string>, std::string> Contents(testing::Server& s) {
  std::map<std::pair<int, std::string>, std::string> out;
  REQUIRE(s.ctx.store
              ->Read([&](Txn& txn) -> Status {
                for (int db = 0; db < kDbCount; ++db) {
                  if (Db(db) == Db::kProjects) continue;
                  WEFT_TRY(txn.ForEach(Db(db), "", [&](std::string_view k, std::string_view v) {
                    out[{db, std::string(k)}] = v;
                    return true;
                  }));
                }
                return Status::OK();
              })
              .ok());
  return out;
}

Json Item(const char* mode, Json part) {
  part["project_id"] = "e/p";
  return {{"mode", mode}, {"req", {{mode, std::move(part)}}}};
}

Json StartOf(const std::string& id, const std::string& op) {
  return {{"id", id},
          {"trace_id", "t"},
          {"op_name", op},
          {"started_at", "2026-01-01T00:00:00Z"},
          {"inputs", {{"q", id}}},
          {"attributes", Json::object()}};
}

Json EndOf(const std::string& id) {
  return {{"id", id},
          {"ended_at", "2026-01-01T00:00:03Z"},
          {"output", "done"},
          {"summary", {{"usage", {{"m", {{"requests", 1}, {"prompt_tokens", 5}}}}}}}};
}

Status UpsertText(testing::Server& s, const Json& items) {
  std::string out;
  return FindMethod("call_upsert_batch")->from_text(CompactDumps({{"batch", items}}), s.ctx, out);
}

}  // namespace

TEST_CASE("call_upsert_batch writes its new calls as prepared, and merges into the calls stored") {
  // Each call of a batch is worked out before the write transaction
  // (call_batch.cc, Prepare); the writer stores that only when the store
  // has none of the call. calls_import works it out inside, the one way.
  Json items = {Item("start", StartOf("c1", "f")), Item("end", EndOf("c1")),
                Item("start", StartOf("c2", "g")), Item("start", StartOf("c1", "f"))};
  testing::Server prepared, inside;
  REQUIRE(UpsertText(prepared, items).ok());
  std::string ndjson;
  for (const Json& item : items) ndjson += CompactDumps(item) + "\n";
  inside.Ok("calls_import", {{"ndjson", ndjson}});
  CHECK(Contents(prepared) == Contents(inside));

  // c2 is stored: its end merges into it. c3's start and end come in two
  // requests of one batch's kind, the second finding the first.
  REQUIRE(UpsertText(prepared, {Item("end", EndOf("c2")), Item("start", StartOf("c3", "h"))}).ok());
  REQUIRE(UpsertText(prepared, Json::array({Item("end", EndOf("c3"))})).ok());
  for (const char* id : {"c2", "c3"}) {
    Json call = prepared.Ok("call_read", {{"project_id", "e/p"}, {"id", id}})["call"];
    CHECK(call["inputs"]["q"] == id);
    CHECK(call["output"] == "done");
    CHECK(call["summary"]["weave"]["status"] == "success");
  }
  auto report = CheckStore(*prepared.ctx.store);
  REQUIRE(report.ok());
  CHECK((*report)["ok"] == true);

  // Another start of a stored call, or two unlike starts of a new one:
  // refused, naming the item, and the store is as it was.
  auto before = Contents(prepared);
  Status again = UpsertText(
      prepared, {Item("start", StartOf("c4", "x")), Item("start", StartOf("c1", "other"))});
  CHECK(again.error().message == "batch.1: start.id: call c1 has already started");
  Status twice =
      UpsertText(prepared, {Item("start", StartOf("c5", "x")), Item("start", StartOf("c5", "y"))});
  CHECK(twice.error().message == "batch.1: start.id: call c5 has already started");
  CHECK(Contents(prepared) == before);
}
