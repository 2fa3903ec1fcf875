// Tables (core/tables.cc): updates, queries in table order and by row
// paths, row counts.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Server;

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
