// Feedback (core/feedback.cc): batches, replace, and the refs each
// feedback type may carry.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Server;

TEST_CASE("feedback_create_batch keeps client ids and times, all or nothing; replace swaps a row") {
  testing::Server s;
  Json item = {{"project_id", "e/p"},
               {"weave_ref", "weave:///e/p/call/c1"},
               {"feedback_type", "wandb.note.1"},
               {"payload", {{"note", "n"}}},
               {"id", "fb-1"},
               {"created_at", "2024-05-01T00:00:00Z"}};
  Json bad = item;
  bad["id"] = "fb-2";
  bad["payload"] = {{"note", ""}};
  CHECK(s.Err("feedback_create_batch", {{"batch", {item, bad}}}).kind == ErrorKind::kInvalid);
  CHECK(s.Ok("feedback_query", {{"project_id", "e/p"}})["result"].empty());
  Json res = s.Ok("feedback_create_batch", {{"batch", {item}}});
  CHECK(res["res"][0]["id"] == "fb-1");
  CHECK(res["res"][0]["created_at"] == "2024-05-01T00:00:00.000000Z");
  CHECK(res["res"][0]["wb_user_id"] == "tester");
  Json other = item;
  other.erase("id");
  other.erase("created_at");
  other["feedback_id"] = "fb-1";
  other["payload"] = {{"note", "second"}};
  Json replaced = s.Ok("feedback_replace", other);
  CHECK(replaced["id"] != "fb-1");
  Json rows = s.Ok("feedback_query", {{"project_id", "e/p"}})["result"];
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["payload"]["note"] == "second");
  // fb-1 is gone: replacing it creates the row, as Weave's purge-then-create does.
  CHECK(s.Ok("feedback_replace", other)["id"] != replaced["id"]);
  CHECK(s.Ok("feedback_query", {{"project_id", "e/p"}})["result"].size() == 2);
}

TEST_CASE("feedback ref fields follow the feedback type, as Weave's validation does") {
  testing::Server s;
  Json fb = {{"project_id", "e/p"},
             {"weave_ref", "weave:///e/p/call/c1"},
             {"feedback_type", "wandb.note.1"},
             {"payload", {{"note", "n"}}}};
  Json with_call = fb;
  with_call["call_ref"] = "weave:///e/p/call/c2";
  CHECK(s.Err("feedback_create", with_call).message ==
        "call_ref: call_ref is not allowed for non-runnable feedback");
  Json runnable = {{"project_id", "e/p"},
                   {"weave_ref", "weave:///e/p/call/c1"},
                   {"feedback_type", "wandb.runnable.scorer"},
                   {"payload", {{"output", 1}}}};
  CHECK(s.Err("feedback_create", runnable).message ==
        "runnable_ref: runnable_ref is required for runnable feedback");
  runnable["runnable_ref"] = "weave:///e/p/op/other:abc";
  CHECK(
      s.Err("feedback_create", runnable).message.find("must point to an object with name scorer") !=
      std::string::npos);
  runnable["runnable_ref"] = "weave:///e/p/op/scorer:abc";
  CHECK(s.Err("feedback_create", runnable).message ==
        "call_ref: call_ref is required for runnable feedback on ops");
  runnable["call_ref"] = "weave:///e/p/call/c1";
  s.Ok("feedback_create", runnable);
  Json rows = s.Ok(
      "feedback_query",
      {{"project_id", "e/p"}, {"fields", {"runnable_ref", "call_ref", "trigger_ref"}}})["result"];
  CHECK(rows == Json::array({{{"runnable_ref", "weave:///e/p/op/scorer:abc"},
                              {"call_ref", "weave:///e/p/call/c1"},
                              {"trigger_ref", nullptr}}}));
}

TEST_CASE("feedback refs must belong to the request's project") {
  testing::Server s;
  Error e = s.Err("feedback_create", {{"project_id", "e/p"},
                                      {"weave_ref", "weave:///other/p/call/c1"},
                                      {"feedback_type", "x"},
                                      {"payload", Json::object()}});
  CHECK(e.kind == ErrorKind::kInvalid);
  CHECK(e.message.find("weave_ref") == 0);
}
