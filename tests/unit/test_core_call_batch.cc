// Whole calls at once (core/calls/call_batch.cc): calls_complete, and
// call_upsert_batch read and answered as text.
#include <doctest/doctest.h>

#include "core/api/method_table.h"
#include "server_fixture.h"

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
