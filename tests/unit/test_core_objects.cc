// Objects and ops (core/objects.cc) through CallMethod on a real store:
// versions, queries, kinds and classes, metadata_only, deletes.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Obj;
using weft::testing::Server;

TEST_CASE("object versions: dedupe, latest, vN, A-B-A") {
  Server s;
  std::string a = s.Ok("obj_create", Obj("o", 1))["digest"];
  std::string b = s.Ok("obj_create", Obj("o", 2))["digest"];
  CHECK(s.Ok("obj_create", Obj("o", 1))["digest"] == a);
  Json latest =
      s.Ok("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", "latest"}})["obj"];
  CHECK(latest["digest"] == b);
  CHECK(latest["version_index"] == 1);
  Json v0 = s.Ok("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", "v0"}})["obj"];
  CHECK(v0["digest"] == a);
  CHECK(v0["is_latest"] == 0);
  CHECK(s.Ok("objs_query", {{"project_id", "e/p"}})["objs"].size() == 2);
  CHECK(s.Ok("objs_query", {{"project_id", "other/p"}})["objs"].empty());
  CHECK(s.Err("obj_read", {{"project_id", "e/p"}, {"object_id", "o"}, {"digest", "v2"}}).kind ==
        ErrorKind::kNotFound);
}

TEST_CASE("objs_query: later Weave's sort_by, limit, offset, metadata_only") {
  Server s;
  for (const char* name : {"b", "a", "c"}) s.Ok("obj_create", Obj(name, name));
  auto ids = [&](Json req) {
    req["project_id"] = "e/p";
    std::string out;
    Json res = s.Ok("objs_query", req);
    for (const auto& o : res["objs"]) out += o["object_id"].get<std::string>();
    return out;
  };
  CHECK(ids(Json::object()) == "bac");
  CHECK(ids({{"sort_by", {{{"field", "object_id"}, {"direction", "desc"}}}}}) == "cba");
  CHECK(ids({{"sort_by", {{{"field", "object_id"}, {"direction", "asc"}}}},
             {"offset", 1},
             {"limit", 1}}) == "b");
  CHECK(ids({{"sort_by", {{{"field", "val"}, {"direction", "asc"}}}}}) ==
        "bac");  // ignored, as Weave does
  Json meta =
      s.Ok("objs_query", {{"project_id", "e/p"}, {"metadata_only", true}, {"limit", 1}})["objs"];
  CHECK(meta[0]["val"] == Json::object());
  CHECK(s.Err("objs_query", {{"project_id", "e/p"}, {"limit", -1}}).kind == ErrorKind::kInvalid);
}

TEST_CASE("kind and base_object_class") {
  Server s;
  Json op = {
      {"_type", "CustomWeaveType"}, {"weave_type", {{"type", "Op"}}}, {"files", Json::object()}};
  s.Ok("obj_create", Obj("f", op));
  s.Ok("obj_create", Obj("m", {{"_bases", {"Model", "Object", "BaseModel"}}}));
  s.Ok("obj_create", Obj("d", {{"_bases", {"Object", "BaseModel"}}, {"_class_name", "Dataset"}}));
  Json objs = s.Ok("objs_query", {{"project_id", "e/p"}})["objs"];
  std::map<std::string, Json> by_name;
  for (const auto& o : objs) by_name[o["object_id"]] = o;
  CHECK(by_name["f"]["kind"] == "op");
  CHECK(by_name["m"]["base_object_class"] == "Model");
  CHECK(by_name["d"]["base_object_class"] == "Dataset");
  CHECK(by_name["f"]["base_object_class"].is_null());
  Json models = s.Ok("objs_query", {{"project_id", "e/p"},
                                    {"filter", {{"base_object_classes", {"Model"}}}}})["objs"];
  CHECK(models.size() == 1);
}

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
