// RFC 3339 times, UUIDv7 ids, id validation and ref parsing.
#include <doctest/doctest.h>

#include "base/clock.h"
#include "base/ids.h"
#include "core/api/refs.h"

using namespace weft;

TEST_CASE("times parse any offset and print UTC with microseconds") {
  CHECK(FormatTime(*ParseTime("2024-09-01T12:00:00Z")) == "2024-09-01T12:00:00.000000Z");
  CHECK(FormatTime(*ParseTime("2024-09-01T14:00:00.5+02:00")) == "2024-09-01T12:00:00.500000Z");
  CHECK(FormatTime(*ParseTime("2024-09-01 12:00:00.1234567")) == "2024-09-01T12:00:00.123456Z");
  CHECK(FormatTime(*ParseTime("1969-12-31T23:59:59.999999Z")) == "1969-12-31T23:59:59.999999Z");
  CHECK(FormatTime(*ParseTime("2024-02-29T00:00:00-05:30")) == "2024-02-29T05:30:00.000000Z");
  CHECK(*ParseTime("1970-01-01T00:00:01Z") == 1000000);
  for (const char* bad :
       {"", "2024-09-01", "2024-13-01T00:00:00Z", "2024-09-01T12:00:00Zjunk", "yesterday"})
    CHECK_FALSE(ParseTime(bad).has_value());
}

TEST_CASE("new ids are lowercase UUIDv7 and increase") {
  std::string a = NewId(), b = NewId();
  CHECK(a.size() == 36);
  CHECK(a[14] == '7');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
  CHECK(a != b);
  CHECK(a.substr(0, 8) <= b.substr(0, 8));
}

TEST_CASE("project and object ids") {
  CHECK(CheckProjectId("acme/app", "p").ok());
  for (const char* bad : {"acme", "/app", "acme/", "a/b/c", ""})
    CHECK_FALSE(CheckProjectId(bad, "p").ok());
  CHECK(CheckObjectId("my-obj_1.v2", "o").ok());
  CHECK_FALSE(CheckObjectId("", "o").ok());
  CHECK_FALSE(CheckObjectId("a/b", "o").ok());
  CHECK_FALSE(CheckObjectId(std::string(128, 'a'), "o").ok());
  CHECK(CheckObjectId(std::string(127, 'a'), "o").ok());
}

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
