// The call indexes on a real store: format 3's entries follow each write
// of a call, a format 2 store gains them in its first write, and weft check
// verifies them both ways (store/FORMAT.md#format-3).
#include <doctest/doctest.h>

#include "core/check.h"
#include "server_fixture.h"
#include "store/store.h"

using namespace weft;

namespace {

// The ids in one index of project e/p, in key order: under one value, or
// all of them.
std::vector<std::string> Indexed(testing::Server& s, Db db,
                                 const std::optional<std::string>& value = std::nullopt) {
  std::vector<std::string> ids;
  REQUIRE(s.ctx.store
              ->Read([&](Txn& txn) {
                std::string prefix =
                    value ? keys::CallIndexPrefix(db, "e/p", *value) : keys::ProjectPrefix("e/p");
                return txn.ForEach(db, prefix, [&](std::string_view key, std::string_view) {
                  ids.push_back(keys::DecodeCallIndexTail(key).call_id);
                  return true;
                });
              })
              .ok());
  return ids;
}

void Start(testing::Server& s, const std::string& id, const std::string& at, Json extra = {}) {
  Json start = {{"project_id", "e/p"},
                {"id", id},
                {"trace_id", "t"},
                {"op_name", "f"},
                {"started_at", at},
                {"inputs", Json::object()},
                {"attributes", Json::object()}};
  if (extra.is_object()) start.update(extra);
  s.Ok("call_start", {{"start", start}});
}

void End(testing::Server& s, const std::string& id, const std::string& at, Json extra = {}) {
  Json end = {{"project_id", "e/p"}, {"id", id}, {"ended_at", at}, {"summary", Json::object()}};
  if (extra.is_object()) end.update(extra);
  s.Ok("call_end", {{"end", end}});
}

Json Check(testing::Server& s) {
  auto report = CheckStore(*s.ctx.store);
  REQUIRE(report.ok());
  return *report;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("format 3's call indexes follow a call through start, end, rename and delete") {
  testing::Server s;
  Start(s, "a", "2026-01-01T00:00:00Z", {{"thread_id", "th"}});
  Start(s, "b", "2026-01-01T00:00:01Z");
  CHECK(Indexed(s, Db::kCallsByStatus, "running") == Ids{"a", "b"});
  CHECK(Indexed(s, Db::kCallsByThread, "th") == Ids{"a"});
  CHECK(Indexed(s, Db::kCallsByUser, "tester") == Ids{"a", "b"});
  CHECK(Indexed(s, Db::kCallsByEnd).empty());

  End(s, "a", "2026-01-01T00:00:02.5Z");                                  // 2500 ms
  End(s, "b", "2026-01-01T00:00:02Z", {{"exception", "ValueError: x"}});  // 1000 ms
  CHECK(Indexed(s, Db::kCallsByStatus, "running").empty());
  CHECK(Indexed(s, Db::kCallsByStatus, "success").empty());  // most calls: not worth an entry
  CHECK(Indexed(s, Db::kCallsByStatus, "error") == Ids{"b"});
  CHECK(Indexed(s, Db::kCallsByEnd) == Ids{"b", "a"});
  CHECK(Indexed(s, Db::kCallsByLatency) == Ids{"b", "a"});

  s.Ok("call_update", {{"project_id", "e/p"}, {"call_id", "a"}, {"display_name", "first"}});
  s.Ok("call_update", {{"project_id", "e/p"}, {"call_id", "a"}, {"display_name", "second"}});
  CHECK(Indexed(s, Db::kCallsByName, "first").empty());
  CHECK(Indexed(s, Db::kCallsByName, "second") == Ids{"a"});
  CHECK(Check(s)["ok"] == true);

  s.Ok("calls_delete", {{"project_id", "e/p"}, {"call_ids", {"a"}}});
  for (Db db : kCallIndexDbs)
    for (const auto& id : Indexed(s, db)) CHECK(id != "a");
  CHECK(Indexed(s, Db::kCallsByName, "second").empty());
  CHECK(Check(s)["ok"] == true);
}

TEST_CASE("a display name past 200 bytes is indexed by its start") {
  testing::Server s;
  std::string long_name(300, 'n');
  Start(s, "a", "2026-01-01T00:00:00Z", {{"display_name", long_name}});
  CHECK(Indexed(s, Db::kCallsByName, long_name.substr(0, 200)) == Ids{"a"});
  CHECK_FALSE(keys::KeyPartIsWhole(Db::kCallsByName, long_name));
  CHECK_FALSE(keys::KeyPartIsWhole(Db::kCallsByName, std::string("x\0y", 3)));
  CHECK(keys::KeyPartIsWhole(Db::kCallsByName, "x"));
  CHECK(Check(s)["ok"] == true);
}

TEST_CASE("a format 2 store gains format 3's indexes in its first write") {
  testing::Server s;
  Start(s, "a", "2026-01-01T00:00:00Z", {{"display_name", "n"}});
  End(s, "a", "2026-01-01T00:00:01Z");
  Start(s, "b", "2026-01-01T00:00:02Z");
  // Made a format 2 store: the stamp, and none of the newer entries.
  REQUIRE(s.ctx.store
              ->Write([](Txn& txn) -> Status {
                for (Db db : {Db::kCallsByStatus, Db::kCallsByUser, Db::kCallsByThread,
                              Db::kCallsByName, Db::kCallsByEnd, Db::kCallsByLatency})
                  WEFT_TRY(txn.Clear(db));
                return txn.Put(Db::kMeta, keys::kFormat, "2");
              })
              .ok());
  int format = 0;
  auto read_format = [&](Txn& txn) { return format = txn.format(), Status::OK(); };
  REQUIRE(s.ctx.store->Read(read_format).ok());
  CHECK(format == 2);
  // Read as format 2: check expects the four indexes only, queries find all.
  CHECK(Check(s)["ok"] == true);
  CHECK(s.CallIds({{"query", Json::parse(R"({"$expr": {"$eq": [{"$getField":
        "summary.weave.status"}, {"$literal": "running"}]}})")}}) == Ids{"b"});

  Start(s, "c", "2026-01-01T00:00:03Z");  // the first write upgrades
  REQUIRE(s.ctx.store->Read(read_format).ok());
  CHECK(format == kFormatVersion);
  CHECK(Indexed(s, Db::kCallsByStatus, "running") == Ids{"b", "c"});
  CHECK(Indexed(s, Db::kCallsByName, "n") == Ids{"a"});
  CHECK(Indexed(s, Db::kCallsByLatency) == Ids{"a"});
  CHECK(Check(s)["ok"] == true);
}

TEST_CASE("weft check finds format 3's entries missing and astray, and repair rebuilds them") {
  testing::Server s;
  Start(s, "a", "2026-01-01T00:00:00Z");
  End(s, "a", "2026-01-01T00:00:01Z");
  REQUIRE(s.ctx.store
              ->Write([](Txn& txn) -> Status {
                WEFT_TRY(txn.Clear(Db::kCallsByLatency));
                return txn.Put(Db::kCallsByStatus,
                               keys::CallIndex(Db::kCallsByStatus, "e/p", "error", 5, "ghost"), "");
              })
              .ok());
  Json report = Check(s);
  CHECK(report["ok"] == false);
  REQUIRE(report["index_problems"].size() == 2);
  std::string problems = report["index_problems"].dump();
  CHECK(problems.find("calls_by_status: project e/p, status error, started 5 us, call ghost: "
                      "names no started call") != std::string::npos);
  CHECK(problems.find("calls_by_latency: project e/p, bucket 1767225600000000 us, latency 1000 ms, "
                      "call a: is missing for its call") != std::string::npos);
  auto repaired = RepairStore(*s.ctx.store);
  REQUIRE(repaired.ok());
  CHECK((*repaired)["ok"] == true);
  CHECK(Indexed(s, Db::kCallsByLatency) == Ids{"a"});
}
