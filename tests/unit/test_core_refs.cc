// Weave refs (core/api/refs.h): every form, with extra paths.
#include <doctest/doctest.h>

#include "core/api/refs.h"

using namespace weft;

TEST_CASE("refs parse every form, with extra paths") {
  auto r = ParseRef("weave:///acme/app/object/ds:abc/attr/rows/id/XYZ");
  REQUIRE(r.ok());
  CHECK(r->project_id == "acme/app");
  CHECK(r->kind == "object");
  CHECK(r->name == "ds");
  CHECK(r->version == "abc");
  REQUIRE(r->extra.size() == 2);
  CHECK(r->extra[1] == std::pair<std::string, std::string>{"id", "XYZ"});
  CHECK(FormatRef(*r) == "weave:///acme/app/object/ds:abc/attr/rows/id/XYZ");
  CHECK(ParseRef("weave:///acme/app/op/f:*").ok());
  CHECK(ParseRef("weave:///acme/app/table/deadbeef")->name == "deadbeef");
  CHECK(ParseRef("weave:///acme/app/call/0192")->kind == "call");
  auto quoted = ParseRef("weave:///e/p/object/o:d/key/a%2Fb/index/-1");
  REQUIRE(quoted.ok());
  CHECK(quoted->extra[0].second == "a/b");
  CHECK(FormatRef(*quoted) == "weave:///e/p/object/o:d/key/a%2Fb/index/-1");
  for (const char* bad : {"weave:///e/p/object/noversion", "weave:///e/p/object/o:d/key",
                          "weave:///e/p/object/o:d/size/3", "weave:///e/p/object/o:d/index/x",
                          "weave:///e/p/blob/x", "weave://e/p/object/o:d", "weave:///e"}) {
    auto b = ParseRef(bad);
    CHECK_FALSE(b.ok());
    if (!b.ok()) CHECK(b.error().message.find(bad) != std::string::npos);
  }
}

TEST_CASE(
    "a ref whose last extra value is empty formats to a ref that parses the same (found by "
    "fuzz_refs)") {
  for (const char* uri : {"weave:///e/p/object/o:d/key//", "weave:///e/p/object/o:d/key/",
                          "weave:///e/p/table/t/key/a/key//"}) {
    auto ref = weft::ParseRef(uri);
    if (!ref.ok()) continue;
    auto again = weft::ParseRef(weft::FormatRef(*ref));
    REQUIRE(again.ok());
    CHECK(again->extra == ref->extra);
  }
  CHECK(weft::ParseRef("weave:///e/p/object/o:d/key//")->extra ==
        std::vector<std::pair<std::string, std::string>>{{"key", ""}});
}
