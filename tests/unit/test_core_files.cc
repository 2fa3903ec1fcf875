// Files (core/files.cc): kept per project.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Server;

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
