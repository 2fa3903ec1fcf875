// Every key kind encodes and decodes back to its parts, and keys sort the
// way readers walk them (by time, ids as their text).
#include <doctest/doctest.h>

#include "core/records/records.h"
#include "store/keys.h"

using namespace weft;

TEST_CASE("canonical UUIDs take 16 bytes in keys and read back as text") {
  std::string uuid = "0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f5a6";
  std::string key = keys::Call("p", uuid);
  CHECK(key.size() == 2 + 1 + 16);
  CHECK(keys::Call("p", "0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f5a5") < key);  // binary keeps text order
  for (const char* id : {uuid.c_str(), "c1", "0192F3A4-5B6C-7D8E-9FA0-B1C2D3E4F5A6",
                         "not-a-uuid-but-thirty-six-chars-long"}) {
    std::string prefix = keys::CallIndexPrefix(Db::kCallsByTrace, "p", "t");
    std::string k = keys::CallIndex(Db::kCallsByTrace, "p", "t", -5, id);
    REQUIRE(k.starts_with(prefix));
    auto e = keys::DecodeCallIndex(k, prefix.size());
    CHECK(e.call_id == id);
    CHECK(e.started_at == -5);
  }
}

TEST_CASE("call index keys sort by start time, negative times first") {
  std::string prefix = keys::CallIndexPrefix(Db::kCallsByStart, "p");
  int64_t times[] = {-2'000'000, -1, 0, 1, 1'700'000'000'000'000};
  for (size_t i = 0; i + 1 < std::size(times); ++i)
    CHECK(keys::CallIndex(Db::kCallsByStart, "p", "", times[i], "z") <
          keys::CallIndex(Db::kCallsByStart, "p", "", times[i + 1], "a"));
  CHECK(keys::CallIndex(Db::kCallsByStart, "p", "", 7, "a").starts_with(prefix));
}

TEST_CASE("op index keys hold the first 200 bytes of a name; a name start spans several names") {
  std::string long_name(300, 'x');
  std::string k = keys::CallIndex(Db::kCallsByOp, "p", long_name, 1, "id");
  CHECK(k.starts_with(keys::CallIndexPrefix(Db::kCallsByOp, "p", long_name.substr(0, 200))));
  std::string start = keys::OpNameStartPrefix("p", "weave:///p/op/f:");
  std::string a = keys::CallIndex(Db::kCallsByOp, "p", "weave:///p/op/f:abc", 42, "c1");
  REQUIRE(a.starts_with(start));
  auto e = keys::DecodeCallIndex(
      a, keys::CallIndexPrefix(Db::kCallsByOp, "p", "weave:///p/op/f:abc").size());
  CHECK(e.call_id == "c1");
  CHECK(e.started_at == 42);
}

TEST_CASE("object, version and feedback keys decode to their parts") {
  auto parts = keys::DecodeObject(keys::Object("e/p", "op", "my-op", "abc123"));
  REQUIRE(parts);
  CHECK(parts->project == "e/p");
  CHECK(parts->kind == "op");
  CHECK(parts->object_id == "my-op");
  CHECK(parts->digest == "abc123");
  CHECK_FALSE(keys::DecodeObject("no separators"));
  std::string vprefix = keys::ObjVersionsPrefix("e/p", "object", "o");
  CHECK(keys::DecodeObjVersion(keys::ObjVersion("e/p", "object", "o", 70000), vprefix.size()) ==
        70000);
  std::string fprefix = keys::ProjectPrefix("e/p");
  CHECK(keys::DecodeFeedbackId(keys::Feedback("e/p", 99, "f-1"), fprefix.size()) == "f-1");
  CHECK(keys::Feedback("e/p", 1, "z") < keys::Feedback("e/p", 2, "a"));
}

TEST_CASE("a call's four index entries are the ones CallIndex builds one by one") {
  for (const char* id : {"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "not-a-uuid"}) {
    auto all = keys::CallIndexes("e/p", "trace-1", "", "weave:///e/p/op/f:v0", -12, id);
    CHECK(all[0] == keys::CallIndex(Db::kCallsByStart, "e/p", "", -12, id));
    CHECK(all[1] == keys::CallIndex(Db::kCallsByTrace, "e/p", "trace-1", -12, id));
    CHECK(all[2] == keys::CallIndex(Db::kCallsByParent, "e/p", "", -12, id));
    CHECK(all[3] == keys::CallIndex(Db::kCallsByOp, "e/p", "weave:///e/p/op/f:v0", -12, id));
  }
}

TEST_CASE("DescribeKey puts every kind of key in words, ids decoded") {
  const std::string call = "0192f3a4-1b2c-7d3e-8f40-123456789abc",
                    trace = "0192f3a4-1b2c-7d3e-8f40-000000000001";
  CHECK(keys::DescribeKey(Db::kCalls, keys::Call("e/p", call)) == "project e/p, call " + call);
  CHECK(keys::DescribeKey(Db::kCalls, keys::Call("e/p", "plain-id")) ==
        "project e/p, call plain-id");
  CHECK(keys::DescribeKey(Db::kObjects, keys::Object("e/p", "object", "ds", "D1")) ==
        "project e/p, object ds, digest D1");
  CHECK(keys::DescribeKey(Db::kObjVersions, keys::ObjVersion("e/p", "op", "f", 3)) ==
        "project e/p, op f, version 3");
  CHECK(keys::DescribeKey(Db::kFiles, keys::Digest("e/p", "abc")) == "project e/p, digest abc");
  auto idx = keys::CallIndexes("e/p", trace, "", "weave:///e/p/op/f:1", 1700000000000000, call);
  CHECK(keys::DescribeKey(Db::kCallsByStart, idx[0]) ==
        "project e/p, started 1700000000000000 us, call " + call);
  CHECK(keys::DescribeKey(Db::kCallsByTrace, idx[1]) ==
        "project e/p, trace " + trace + ", started 1700000000000000 us, call " + call);
  CHECK(keys::DescribeKey(Db::kCallsByParent, idx[2]) ==
        "project e/p, parent (none), started 1700000000000000 us, call " + call);
  CHECK(keys::DescribeKey(Db::kCallsByOp, idx[3]) ==
        "project e/p, op weave:///e/p/op/f:1, started 1700000000000000 us, call " + call);
  CHECK(keys::DescribeKey(Db::kFeedback, keys::Feedback("e/p", 5, "fb1")) ==
        "project e/p, feedback fb1");
  CHECK(keys::DescribeKey(Db::kCalls, std::string("e/p\0\x02\xff", 6)) ==
        "project e/p, call \\x02\\xff");
}

TEST_CASE("an index key's time and id read from its end, whatever its value holds") {
  const char* uuid_with_zeros = "00000000-0000-7000-8000-000000000000";
  for (const char* trace : {uuid_with_zeros, "0af7651916cd43dd8448eb211c80319c", "t"})
    for (const char* id :
         {uuid_with_zeros, "b7ad6b7169203331", "0193a4b2-0000-7000-8000-0000000000ff"})
      for (int64_t at : {int64_t{0}, int64_t{-5}, int64_t{1700000000000000}}) {
        auto e =
            keys::DecodeCallIndexTail(keys::CallIndex(Db::kCallsByTrace, "e/p", trace, at, id));
        CHECK(e.call_id == id);
        CHECK(e.started_at == at);
      }
}

TEST_CASE("an object's versions share a prefix no other object's key starts with") {
  std::string prefix = keys::ObjectPrefix("e/p", "object", "o");
  CHECK(keys::Object("e/p", "object", "o", "d1").starts_with(prefix));
  CHECK_FALSE(keys::Object("e/p", "object", "o2", "d1").starts_with(prefix));
  CHECK_FALSE(keys::Object("e/p", "op", "o", "d1").starts_with(prefix));
}

TEST_CASE("a digest key gives its digest back") {
  CHECK(weft::keys::DigestOf(weft::keys::Digest("e/p", "abc")) == "abc");
  CHECK(weft::keys::DigestOf("no separator").empty());
}
