// Methods through CallMethod on a real store: objects, tables, files, refs.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Server;

namespace {

Json Obj(const char* name, Json val) {
  return {{"obj", {{"project_id", "e/p"}, {"object_id", name}, {"val", std::move(val)}}}};
}

}  // namespace

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

TEST_CASE("tables: update operations in order, query in table order") {
  Server s;
  Json created = s.Ok("table_create",
                      {{"table", {{"project_id", "e/p"}, {"rows", {{{"x", 1}}, {{"x", 2}}}}}}});
  CHECK(created["digest"] == "ed8bd1f8cb829eeb6b3fef95a7cd8401f7e5af825c4c9aa144a1ceb9f32c3654");
  Json updates = Json::parse(
      R"([{"insert": {"index": 0, "row": {"x": 0}}}, {"pop": {"index": 2}}, {"append": {"row": {"x": 0}}}])");
  std::string t = s.Ok(
      "table_update",
      {{"project_id", "e/p"}, {"base_digest", created["digest"]}, {"updates", updates}})["digest"];
  Json rows = s.Ok("table_query", {{"project_id", "e/p"}, {"digest", t}})["rows"];
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["val"]["x"] == 0);
  CHECK(rows[1]["val"]["x"] == 1);
  CHECK(rows[2]["val"]["x"] == 0);
  Json only = s.Ok("table_query", {{"project_id", "e/p"},
                                   {"digest", t},
                                   {"filter", {{"row_digests", {rows[0]["digest"]}}}}})["rows"];
  CHECK(only.size() == 2);  // duplicates included
  Error e =
      s.Err("table_update",
            {{"project_id", "e/p"}, {"base_digest", t}, {"updates", {{{"pop", {{"index", 3}}}}}}});
  CHECK(IsInvalid(e.kind));
}

TEST_CASE("table_query: later Weave's sort_by on row paths") {
  Server s;
  Json rows =
      Json::parse(R"([{"n": 2, "s": "b"}, {"n": 10, "s": "a"}, {"s": "c"}, {"n": 2, "s": "a"}])");
  std::string t =
      s.Ok("table_create", {{"table", {{"project_id", "e/p"}, {"rows", rows}}}})["digest"];
  auto order = [&](const char* sort, Json extra = Json::object()) {
    Json req = {{"project_id", "e/p"}, {"digest", t}, {"sort_by", Json::parse(sort)}};
    req.update(extra);
    std::vector<int> idx;
    Json res = s.Ok("table_query", req);
    for (const auto& r : res["rows"]) idx.push_back(r["original_index"]);
    return idx;
  };
  CHECK(order(R"([{"field": "n", "direction": "asc"}])") == std::vector<int>{0, 3, 1, 2});
  CHECK(order(R"([{"field": "n", "direction": "desc"}, {"field": "s", "direction": "asc"}])") ==
        std::vector<int>{1, 3, 0, 2});
  CHECK(order(R"([{"field": "n", "direction": "desc"}])", {{"offset", 1}, {"limit", 2}}) ==
        std::vector<int>{0, 3});
  CHECK(s.Err("table_query", {{"project_id", "e/p"},
                              {"digest", t},
                              {"sort_by", Json::parse(R"([{"field": "a..b"}])")}})
            .kind == ErrorKind::kModel);  // no direction: the model refuses it
}

TEST_CASE("refs: keys, indexes, nested object refs, missing targets") {
  Server s;
  std::string inner = s.Ok("obj_create", Obj("inner", {{"deep", {10, 20, 30}}}))["digest"];
  s.Ok("obj_create",
       Obj("outer", {{"child", "weave:///e/p/object/inner:" + inner}, {"list", {1, 2}}}));
  Json vals =
      s.Ok("refs_read_batch",
           {{"refs",
             {"weave:///e/p/object/outer:latest/key/child/key/deep/index/-1",
              "weave:///e/p/object/outer:latest/key/list/index/5",
              "weave:///e/p/object/outer:latest/key/child", "weave:///e/p/object/missing:latest",
              "weave:///x/y/object/outer:latest"}}})["vals"];
  CHECK(vals[0] == 30);
  CHECK(vals[1].is_null());
  CHECK(vals[2] == "weave:///e/p/object/inner:" + inner);
  CHECK(vals[3].is_null());
  CHECK(vals[4].is_null());
}

TEST_CASE("files are per project") {
  Server s;
  std::string d = s.Ok(
      "file_create", {{"project_id", "e/p"}, {"name", "a"}, {"content", "hello world"}})["digest"];
  CHECK(d == "uU0nuZNNPgilLlLX2n2rXsSE7XN6U4DukIj3rOLvzek");
  CHECK(s.Ok("file_content_read", {{"project_id", "e/p"}, {"digest", d}})["content"]
            .get_binary()
            .size() == 11);
  CHECK(s.Err("file_content_read", {{"project_id", "e/q"}, {"digest", d}}).kind ==
        ErrorKind::kNotFound);
}
