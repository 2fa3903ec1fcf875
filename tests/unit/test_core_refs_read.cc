// refs_read_batch (core/refs_read.cc): keys, indexes, nested object refs,
// missing targets.
#include <doctest/doctest.h>

#include "server_fixture.h"

using namespace weft;
using weft::testing::Obj;
using weft::testing::Server;

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
