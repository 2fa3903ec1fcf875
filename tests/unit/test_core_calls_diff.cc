// calls_diff and evaluations_compare: traces aligned by op path, and
// evaluations of one dataset row by row (core/calls/calls_diff.cc,
// core/calls/evaluations_compare.cc).
#include <doctest/doctest.h>

#include "server_fixture.h"

using weft::Json;
using weft::testing::Server;

namespace {

// One whole call of project e/p.
void Call(Server& s, const std::string& id, const std::string& trace, const char* parent,
          const std::string& op, int second, Json output = nullptr, const char* exception = nullptr,
          Json inputs = Json::object()) {
  Json call = {{"project_id", "e/p"},
               {"id", id},
               {"trace_id", trace},
               {"parent_id", parent ? Json(parent) : Json(nullptr)},
               {"op_name", op},
               {"started_at", "2026-01-01T00:00:0" + std::to_string(second) + "Z"},
               {"ended_at", "2026-01-01T00:00:0" + std::to_string(second + 1) + "Z"},
               {"inputs", inputs},
               {"output", output},
               {"exception", exception ? Json(exception) : Json(nullptr)},
               {"attributes", Json::object()},
               {"summary", Json::object()}};
  s.Ok("calls_complete", {{"batch", {call}}});
}

}  // namespace

TEST_CASE("calls_diff lines two runs up by op path, whatever their ids") {
  Server s;
  Call(s, "a1", "ta", nullptr, "ci", 0);
  Call(s, "a2", "ta", "a1", "build", 1);
  Call(s, "a3", "ta", "a1", "test", 2);
  Call(s, "b1", "tb", nullptr, "ci", 0);
  Call(s, "b2", "tb", "b1", "build", 1);
  Call(s, "b3", "tb", "b1", "test", 2, nullptr, "AssertionError");
  Call(s, "b4", "tb", "b1", "lint", 3);
  Json d = s.Ok("calls_diff", {{"project_id", "e/p"}, {"a", "ta"}, {"b", "b1"}});
  CHECK(d["a"] == "ta");
  CHECK(d["b"] == "tb");
  CHECK(d["changed"] == 2);
  std::vector<std::string> seen;
  for (const Json& r : d["rows"])
    seen.push_back(r["path"].get<std::string>() + " " + r["change"].get<std::string>() + " " +
                   std::to_string(r["depth"].get<int>()));
  CHECK(seen == std::vector<std::string>{"ci same 0", "ci/build same 1", "ci/test status 1",
                                         "ci/lint added 1"});
  CHECK(d["rows"][2]["b"]["exception"] == "AssertionError");
  CHECK(d["rows"][3]["a"].is_null());
  CHECK(s.Err("calls_diff", {{"project_id", "e/p"}, {"a", "ta"}, {"b", "nope"}}).kind ==
        weft::ErrorKind::kNotFound);
}

TEST_CASE("evaluations_compare lines evaluations up by dataset row, regressions first") {
  Server s;
  for (auto [eval, correct] : {std::pair{"e1", true}, std::pair{"e2", false}}) {
    Call(s, eval, std::string("t-") + eval, nullptr, "Evaluation.evaluate", 0, {{"exact", 0.5}});
    for (int row = 0; row < 2; ++row)
      Call(s, std::string(eval) + "-r" + std::to_string(row), std::string("t-") + eval, eval,
           "Evaluation.predict_and_score", 1 + row,
           {{"output", "answer " + std::to_string(row)},
            {"scores", {{"exact", {{"correct", row == 0 ? correct : true}}}}}},
           nullptr, {{"example", {{"q", row}}}});
  }
  Json c =
      s.Ok("evaluations_compare", {{"project_id", "e/p"}, {"evaluation_call_ids", {"e1", "e2"}}});
  CHECK(c["regressed"] == true);
  CHECK(c["metrics"]["exact.correct"]["means"] == Json{1.0, 0.5});
  CHECK(c["evaluations"][0]["summary"] == Json{{"exact", 0.5}});
  REQUIRE(c["rows"].size() == 2);
  CHECK(c["rows"][0]["regressed"] == Json{"exact.correct"});
  CHECK(c["rows"][0]["outputs"] == Json{"answer 0", "answer 0"});
  CHECK(c["rows"][0]["call_ids"] == Json{"e1-r0", "e2-r0"});
  Json one = s.Ok("evaluations_compare", {{"project_id", "e/p"}, {"evaluation_call_ids", {"e2"}}});
  CHECK(one["rows"].size() == 2);
  CHECK(
      s.Err("evaluations_compare", {{"project_id", "e/p"}, {"evaluation_call_ids", Json::array()}})
          .message.find("evaluation_call_ids") != std::string::npos);
  CHECK(s.Err("evaluations_compare", {{"project_id", "e/p"}, {"evaluation_call_ids", {"e1-r0"}}})
            .message.find("not an evaluation") != std::string::npos);
}
