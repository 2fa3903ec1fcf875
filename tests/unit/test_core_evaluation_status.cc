// evaluation_status (core/calls/evaluation_status.cc).
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Server;

TEST_CASE(
    "evaluation_status follows an Evaluation.evaluate call: running rows of its dataset, then "
    "complete or failed") {
  testing::Server s;
  std::string table =
      s.Ok("table_create",
           {{"table",
             {{"project_id", "e/p"}, {"rows", {{{"q", 1}}, {{"q", 2}}, {{"q", 3}}}}}}})["digest"];
  std::string ds =
      s.Ok("obj_create", {{"obj",
                           {{"project_id", "e/p"},
                            {"object_id", "ds"},
                            {"val", {{"rows", "weave:///e/p/table/" + table}}}}}})["digest"];
  std::string ev =
      s.Ok("obj_create", {{"obj",
                           {{"project_id", "e/p"},
                            {"object_id", "ev"},
                            {"val", {{"dataset", "weave:///e/p/object/ds:" + ds}}}}}})["digest"];
  auto start = [&](const std::string& id, const std::string& op, const Json& parent,
                   const Json& inputs) {
    s.Ok("call_start", {{"start",
                         {{"project_id", "e/p"},
                          {"id", id},
                          {"trace_id", "t"},
                          {"parent_id", parent},
                          {"op_name", op},
                          {"started_at", "2026-01-01T00:00:00Z"},
                          {"attributes", Json::object()},
                          {"inputs", inputs}}}});
  };
  auto status = [&](const std::string& id) {
    return s.Ok("evaluation_status", {{"project_id", "e/p"}, {"call_id", id}})["status"];
  };
  CHECK(status("none") == Json{{"code", "not_found"}});
  start("eval", "weave:///e/p/op/Evaluation.evaluate:abc", nullptr,
        {{"self", "weave:///e/p/object/ev:" + ev}});
  start("row1", "predict_and_score", "eval", Json::object());
  start("row2", "predict_and_score", "eval", Json::object());
  s.Ok("call_end", {{"end",
                     {{"project_id", "e/p"},
                      {"id", "row1"},
                      {"ended_at", "2026-01-01T00:00:01Z"},
                      {"summary", Json::object()}}}});
  CHECK(status("eval") == Json{{"code", "running"}, {"completed_rows", 1}, {"total_rows", 3}});
  s.Ok("call_end", {{"end",
                     {{"project_id", "e/p"},
                      {"id", "eval"},
                      {"ended_at", "2026-01-01T00:00:05Z"},
                      {"output", {{"score", 0.5}}},
                      {"summary", Json::object()}}}});
  CHECK(status("eval") == Json{{"code", "complete"}, {"output", {{"score", 0.5}}}});
  CHECK(s.Err("evaluation_status", {{"project_id", "e/p"}, {"call_id", "row1"}}).kind ==
        ErrorKind::kInvalid);
}
