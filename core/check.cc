// The walk of weft check: checksums (by reading), decoding, call indexes
// against call records, digests against contents, refs inside objects.
#include "core/check.h"

#include <algorithm>
#include <set>

#include "core/api/refs.h"
#include "core/calls/call_index.h"
#include "core/costs/prices.h"
#include "core/digest.h"
#include "core/objects.h"
#include "core/records/records.h"
#include "core/tables.h"
#include "store/keys.h"
#include "store/store.h"

namespace weft {
namespace {

class Checker {
 public:
  explicit Checker(Txn& txn) : txn_(txn) {}

  Status Run() {
    for (int i = 0; i < kDbCount; ++i) {
      Db db = static_cast<Db>(i);
      if (db == Db::kMeta) continue;
      WEFT_TRY(txn_.ScanAll(db, [&](std::string_view key, std::optional<std::string_view> value) {
        ++records_;
        if (!value) return Problem(damaged_, db, key, "fails its checksum");
        Record(db, key, *value);
      }));
    }
    // Every index entry belongs to one visible call, which has all of its
    // entries (those of the store's format).
    for (Db index : kCallIndexDbs)
      WEFT_TRY(txn_.ScanAll(index, [&](std::string_view key, std::optional<std::string_view>) {
        if (!expected_.erase({index, std::string(key)}))
          Problem(index_, index, key, "names no started call");
      }));
    for (const auto& [index, key] : expected_)
      Problem(index_, index, key, "is missing for its call");
    return Status::OK();
  }

  Json Report() const {
    bool ok = damaged_.empty() && index_.empty() && digests_.empty();
    return Json{{"ok", ok},
                {"records", records_},
                {"damaged", damaged_},
                {"index_problems", index_},
                {"digest_mismatches", digests_},
                {"unresolved_refs", unresolved_}};
  }

 private:
  void Problem(Json& list, Db db, std::string_view key, const std::string& what) {
    list.push_back(std::string(DbName(db)) + ": " + Readable(keys::DescribeKey(db, key)) + ": " +
                   what);
  }

  void Record(Db db, std::string_view key, std::string_view value) {
    std::string project(keys::ProjectOf(key));
    switch (db) {
      case Db::kCalls: {
        auto call = DecodeCall(value);
        if (!call.ok()) return Problem(damaged_, db, key, "does not decode");
        if (call->started() && !call->deleted_at)
          for (auto& entry : IndexEntries(project, *call, txn_.format())) expected_.insert(std::move(entry));
        return;
      }
      case Db::kObjects: {
        auto parts = keys::DecodeObject(key);
        auto rec = ParseJson(value, "stored object");
        if (!parts || !rec.ok() || !rec->is_object() || !rec->contains("val"))
          return Problem(damaged_, db, key, "does not decode");
        if (ValueDigest((*rec)["val"]) != parts->digest)
          Problem(digests_, db, key, "does not hash to its digest");
        CountUnresolved(project, (*rec)["val"]);
        return;
      }
      case Db::kRows:
      case Db::kFiles:
        if (BytesDigest(value) != keys::DigestOf(key))
          Problem(digests_, db, key, "does not hash to its digest");
        return;
      case Db::kTables:
        if (value.size() % kRowDigestLength != 0 || HexDigest(value) != keys::DigestOf(key))
          Problem(digests_, db, key, "does not hash to its digest");
        return;
      case Db::kFeedback:
        if (!ParseJson(value, "stored feedback").ok())
          Problem(damaged_, db, key, "does not decode");
        return;
      case Db::kCosts: {
        auto row = ParseJson(value, "stored price");
        if (!row.ok() || !Price::FromJson(*row).ok()) Problem(damaged_, db, key, "does not decode");
        return;
      }
      default: return;
    }
  }

  // Object and op refs inside a value that name no stored version.
  void CountUnresolved(const std::string& project, const Json& v) {
    if (v.is_object() || v.is_array()) {
      for (const auto& item : v) CountUnresolved(project, item);
      return;
    }
    if (!v.is_string() || !v.get_ref<const std::string&>().starts_with(kRefScheme)) return;
    auto ref = ParseRef(v.get<std::string>());
    if (!ref.ok() || (ref->kind != "object" && ref->kind != "op")) return;
    auto found = FindObject(txn_, ref->project_id, ref->name, ref->version);
    if (!found.ok() || !*found) ++unresolved_;
  }

  Txn& txn_;
  size_t records_ = 0, unresolved_ = 0;
  Json damaged_ = Json::array(), index_ = Json::array(), digests_ = Json::array();
  std::set<std::pair<Db, std::string>> expected_;  // index entries the calls need, not met yet
};

}  // namespace

namespace {

// Whether a record cannot be read; a readable live call is kept in calls,
// to be indexed again.
bool Unreadable(Db db, std::string_view key, std::optional<std::string_view> value,
                std::vector<std::pair<std::string, CallRecord>>& calls) {
  if (!value) return true;
  if (db == Db::kObjects || db == Db::kFeedback) return !ParseJson(*value, "stored value").ok();
  if (db != Db::kCalls) return false;
  auto call = DecodeCall(*value);
  if (!call.ok()) return true;
  if (call->started() && !call->deleted_at)
    calls.emplace_back(std::string(keys::ProjectOf(key)), *call);
  return false;
}

}  // namespace

Result<Json> RepairStore(Store& store) {
  WEFT_TRY(store.Write([&](Txn& txn) -> Status {
    std::vector<std::pair<Db, std::string>> doomed;
    std::vector<std::pair<std::string, CallRecord>> calls;  // project, call
    for (int i = 0; i < kDbCount; ++i) {
      Db db = static_cast<Db>(i);
      if (db == Db::kMeta || IsCallIndex(db)) continue;
      WEFT_TRY(txn.ScanAll(db, [&](std::string_view key, std::optional<std::string_view> value) {
        if (Unreadable(db, key, value, calls)) doomed.emplace_back(db, std::string(key));
      }));
    }
    for (const auto& [db, key] : doomed) WEFT_TRY(txn.Del(db, key));
    for (Db index : kCallIndexDbs) WEFT_TRY(txn.Clear(index));
    for (const auto& [project, call] : calls)
      for (const auto& [index, key] : IndexEntries(project, call, txn.format()))
        WEFT_TRY(txn.Put(index, key, ""));
    return Status::OK();
  }));
  return CheckStore(store);
}

Result<Json> CheckStore(Store& store) {
  Json report;
  WEFT_TRY(store.Read([&](Txn& txn) -> Status {
    Checker checker(txn);
    WEFT_TRY(checker.Run());
    report = checker.Report();
    return Status::OK();
  }));
  return report;
}

}  // namespace weft
