// UUIDv7 ids and id validation (base/ids.h).
#include <doctest/doctest.h>

#include "base/ids.h"

using namespace weft;

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
