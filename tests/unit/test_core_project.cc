// Project-wide methods (core/project.cc): project_stats and files_stats.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Server;

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
