// The record codecs (core/records/): what one writes, the other reads back,
// and a listing without values reads every field but the value.
#include <doctest/doctest.h>

#include "core/records/records.h"
#include "store/keys.h"

using namespace weft;

TEST_CASE("an object record reads back whole, and without its value") {
  ObjectVersion v;
  v.created_at = 1700000000000000;
  v.version_index = 3;
  v.base_object_class = "Model";
  v.leaf_object_class = "MyModel";
  v.deleted_at = 1700000000000001;
  Json val = {{"_class_name", "MyModel"}, {"big", std::string(1000, 'x')}, {"n", 1}};
  std::string key = keys::Object("e/p", "object", "m", "DIGEST");
  std::string record = EncodeObjectRecord(v, val);
  auto whole = DecodeObjectRecord(key, record);
  auto meta = DecodeObjectMetadata(key, record);
  REQUIRE(whole.ok());
  REQUIRE(meta.ok());
  for (const ObjectVersion* r : {&*whole, &*meta}) {
    CHECK(r->object_id == "m");
    CHECK(r->digest == "DIGEST");
    CHECK(r->created_at == v.created_at);
    CHECK(r->version_index == 3);
    CHECK(r->base_object_class == "Model");
    CHECK(r->leaf_object_class == "MyModel");
    CHECK(r->deleted_at == v.deleted_at);
    CHECK(r->val_bytes == CompactDumps(val).size());
  }
  CHECK(whole->val == val);
  CHECK(meta->val == Json::object());
}

TEST_CASE("an object record without a leaf class takes it from its value, listed or not") {
  std::string key = keys::Object("e/p", "object", "m", "D");
  std::string old =
      R"({"base_object_class":"Model","created_at":5,"val":{"_bases":["Model","Object","BaseModel"],"_class_name":"Mine","_type":"Mine"},"version_index":0})";
  auto meta = DecodeObjectMetadata(key, old);
  auto whole = DecodeObjectRecord(key, old);
  REQUIRE(meta.ok());
  REQUIRE(whole.ok());
  CHECK(meta->leaf_object_class == ClassesOf(whole->val).leaf);
  CHECK(meta->leaf_object_class == "Mine");
  CHECK(meta->val == Json::object());
  CHECK_FALSE(DecodeObjectMetadata(key, R"({"created_at":"x","val":1,"version_index":0})").ok());
  CHECK_FALSE(DecodeObjectRecord(key, "{").ok());
}

TEST_CASE("a table record is its row digests in order") {
  std::vector<std::string> rows = {std::string(kRowDigestLength, 'a'),
                                   std::string(kRowDigestLength, 'b')};
  CHECK(DecodeTable(EncodeTable(rows)) == rows);
  CHECK(DecodeTable("").empty());
}
