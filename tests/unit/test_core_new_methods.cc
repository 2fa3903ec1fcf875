// Methods of later Weave servers that the SDKs send: obj_delete,
// table_query_stats(_batch), feedback_create_batch and feedback_replace.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;

TEST_CASE(
    "obj_delete hides versions from reads and listings; creating again restores one as the "
    "newest") {
  testing::Server s;
  std::vector<std::string> digests;
  for (int i = 0; i < 3; ++i)
    digests.push_back(
        s.Ok("obj_create",
             {{"obj", {{"project_id", "e/p"}, {"object_id", "o"}, {"val", i}}}})["digest"]);
  CHECK(s.Ok("obj_delete", {{"project_id", "e/p"},
                            {"object_id", "o"},
                            {"digests", {digests[1]}}})["num_deleted"] == 1);
  Error e = s.Err("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", digests[1]}});
  CHECK(e.kind == ErrorKind::kNotFound);
  CHECK(e.message.find("was deleted at") != std::string::npos);
  CHECK(s.Ok("objs_query", {{"project_id", "e/p"}})["objs"].size() == 2);
  CHECK(s.Err("obj_delete", {{"project_id", "e/p"}, {"object_id", "o"}, {"digests", {"nope"}}})
            .kind == ErrorKind::kNotFound);
  CHECK(s.Ok("obj_delete", {{"project_id", "e/p"}, {"object_id", "o"}})["num_deleted"] == 2);
  CHECK(s.Err("obj_delete", {{"project_id", "e/p"}, {"object_id", "o"}}).kind ==
        ErrorKind::kNotFound);
  s.Ok("obj_create", {{"obj", {{"project_id", "e/p"}, {"object_id", "o"}, {"val", 1}}}});
  Json back =
      s.Ok("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", digests[1]}})["obj"];
  CHECK(back["val"] == 1);
  CHECK(back["version_index"] == 3);  // Weave writes a new row: the newest version
  CHECK(back["is_latest"] == 1);
}

TEST_CASE(
    "obj_delete as Weave's current server: aliases, is_latest and :latest move back, refs to "
    "deleted versions are null") {
  testing::Server s;
  auto publish = [&](int i) {
    return s
        .Ok("obj_create",
            {{"obj", {{"project_id", "e/p"}, {"object_id", "o"}, {"val", {{"i", i}}}}}})["digest"]
        .get<std::string>();
  };
  auto del = [&](const Json& digests) {
    return s.Ok("obj_delete", {{"project_id", "e/p"}, {"object_id", "o"}, {"digests", digests}});
  };
  auto live = [&] { return s.Ok("objs_query", {{"project_id", "e/p"}})["objs"]; };
  std::string v0 = publish(1), v1 = publish(2);
  Json res = del({"latest"});
  CHECK(res["num_deleted"] == 1);
  CHECK(res["deleted_versions"] ==
        Json::array(
            {{{"digest", v1}, {"base_object_class", nullptr}, {"leaf_object_class", nullptr}}}));
  REQUIRE(live().size() == 1);
  CHECK(live()[0]["is_latest"] == 1);  // v0 is the latest now
  CHECK(s.Ok("obj_read",
             {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", "latest"}})["obj"]["digest"] ==
        v0);
  Json refs =
      s.Ok("refs_read_batch",
           {{"refs", {"weave:///e/p/object/o:" + v1, "weave:///e/p/object/o:latest"}}})["vals"];
  CHECK(refs == Json::array({nullptr, {{"i", 1}}}));
  Error gone = s.Err("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", v1}});
  CHECK(gone.kind == ErrorKind::kNotFound);
  CHECK_FALSE(gone.deleted_at.empty());
  Error mixed =
      s.Err("obj_delete",
            {{"project_id", "e/p"}, {"object_id", "o"}, {"digests", {v0, "invalid-digest"}}});
  CHECK(mixed.message ==
        "Delete request contains 2 digests, but found 1 objects to delete. Diff digests: "
        "{'invalid-digest'}");
  CHECK(del({v0, v0})["num_deleted"] == 1);  // duplicates count once
  CHECK(live().empty());
  // #6298: re-publishing the digest of a deleted version makes it live and latest again.
  CHECK(publish(1) == v0);
  Json latest =
      s.Ok("objs_query", {{"project_id", "e/p"}, {"filter", {{"latest_only", true}}}})["objs"];
  REQUIRE(latest.size() == 1);
  CHECK(latest[0]["digest"] == v0);
  CHECK(latest[0]["is_latest"] == 1);
  CHECK(del(Json::array())["num_deleted"] == 1);  // no digests: every version, as in Weave
}

TEST_CASE("table_query_stats and its batch count rows; unknown tables count nothing") {
  testing::Server s;
  std::string d =
      s.Ok("table_create",
           {{"table",
             {{"project_id", "e/p"}, {"rows", {{{"x", 1}}, {{"x", 2}}, {{"x", 1}}}}}}})["digest"];
  CHECK(s.Ok("table_query_stats", {{"project_id", "e/p"}, {"digest", d}}) == Json{{"count", 3}});
  CHECK(s.Ok("table_query_stats", {{"project_id", "e/p"}, {"digest", "none"}}) ==
        Json{{"count", 0}});
  CHECK(s.Ok("table_query_stats_batch", {{"project_id", "e/p"}, {"digests", {d, "none"}}}) ==
        Json{{"tables", {{{"digest", d}, {"count", 3}}}}});
}

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

TEST_CASE("metadata_only answers every field but val, without decoding values") {
  testing::Server s;
  Json big = Json::object();
  big["nested"] = {{"val", 1},
                   {"version_index", 7},
                   {"s", ",\"val\":"}};  // key names of the record inside the value
  s.Ok("obj_create", {{"obj", {{"project_id", "e/p"}, {"object_id", "o"}, {"val", big}}}});
  s.Ok("obj_create",
       {{"obj", {{"project_id", "e/p"}, {"object_id", "o"}, {"val", {{"_type", "Dataset"}}}}}});
  Json full = s.Ok("objs_query", {{"project_id", "e/p"}})["objs"];
  Json meta = s.Ok("objs_query", {{"project_id", "e/p"}, {"metadata_only", true}})["objs"];
  REQUIRE(meta.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(meta[i]["val"] == Json::object());
    full[i]["val"] = Json::object();
    CHECK(meta[i] == full[i]);
  }
  Json one = s.Ok("obj_read", {{"project_id", "e/p"},
                               {"object_id", "o"},
                               {"digest", "v0"},
                               {"metadata_only", true}})["obj"];
  CHECK(one["version_index"] == 0);
  CHECK(one["val"] == Json::object());
  CHECK(one["is_latest"] == 0);
}

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

TEST_CASE("project_stats and files_stats count the bytes a project keeps, each part on request") {
  testing::Server s;
  s.Ok("file_create",
       {{"project_id", "e/p"}, {"name", "f"}, {"content", Json::binary({1, 2, 3, 4, 5})}});
  s.Ok("obj_create", {{"obj", {{"project_id", "e/p"}, {"object_id", "o"}, {"val", 1}}}});
  CHECK(s.Ok("files_stats", {{"project_id", "e/p"}}) == Json{{"total_size_bytes", 5}});
  Json stats =
      s.Ok("project_stats", {{"project_id", "e/p"}, {"include_object_storage_size", false}});
  CHECK(stats["files_storage_size_bytes"] == 5);
  CHECK(stats["objects_storage_size_bytes"] == 0);
  CHECK(stats["trace_storage_size_bytes"] == 0);
  CHECK(
      s.Ok("project_stats", {{"project_id", "e/p"}})["objects_storage_size_bytes"].get<int64_t>() >
      0);
  CHECK(s.Ok("files_stats", {{"project_id", "other/p"}}) == Json{{"total_size_bytes", 0}});
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

TEST_CASE(
    "objs_query filters on base classes to leave out and on leaf classes, and answers "
    "leaf_object_class and size_bytes") {
  weft::testing::Server s;
  auto create = [&](const char* id, const Json& val) {
    s.Ok("obj_create", {{"obj", {{"project_id", "e/p"}, {"object_id", id}, {"val", val}}}});
  };
  create("m",
         {{"_bases", {"Model", "Object", "BaseModel"}}, {"_class_name", "MyModel"}, {"name", "m"}});
  create("d", {{"_bases", {"Object", "BaseModel"}}, {"_class_name", "Dataset"}, {"rows", "x"}});
  create("plain", {{"a", 1}});
  auto ids = [&](const Json& filter) {
    std::vector<std::string> out;
    Json res = s.Ok("objs_query", {{"project_id", "e/p"}, {"filter", filter}});
    for (const auto& o : res["objs"]) out.push_back(o["object_id"]);
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(ids({{"exclude_base_object_classes", Json::array({"Model"})}}) ==
        std::vector<std::string>{"d", "plain"});
  CHECK(ids({{"leaf_object_classes", Json::array({"MyModel"})}}) == std::vector<std::string>{"m"});
  CHECK(ids({{"leaf_object_classes", Json::array({"Dataset"})},
             {"exclude_base_object_classes", Json::array({"Dataset"})}})
            .empty());
  Json res = s.Ok("objs_query", {{"project_id", "e/p"},
                                 {"filter", {{"object_ids", Json::array({"m"})}}},
                                 {"metadata_only", true},
                                 {"include_storage_size", true}});
  const Json& m = res["objs"][0];
  CHECK(m["base_object_class"] == "Model");
  CHECK(m["leaf_object_class"] == "MyModel");
  CHECK(m["val"] == Json::object());
  Json full =
      s.Ok("obj_read", {{"project_id", "e/p"}, {"object_id", "m"}, {"digest", "latest"}})["obj"];
  CHECK(m["size_bytes"] == weft::CompactDumps(full["val"]).size());
  CHECK(full["leaf_object_class"] == "MyModel");
}
