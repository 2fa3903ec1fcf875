// The walk of weft check: checksums (by reading), decoding, call indexes
// and roll-ups against call records, digests against contents, refs inside
// objects.
#include "core/check.h"

#include <algorithm>

#include "core/api/refs.h"
#include "core/calls/call_index.h"
#include "core/calls/call_rollups.h"
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
        if (IsCallIndex(db)) ++entries_[static_cast<int>(db)];
        if (!value) return Problem(damaged_, db, key, "fails its checksum");
        Record(db, key, *value);
      }));
    }
    // Every visible call has all of its entries (Record looked them up);
    // an index that holds more entries than those has strays, looked for
    // entry by entry. Memory stays flat whatever the store holds.
    for (Db index : kCallIndexDbs)
      if (entries_[static_cast<int>(index)] > present_[static_cast<int>(index)])
        WEFT_TRY(FindStrays(index));
    return txn_.format() >= kFirstFormatWithRollups ? CheckRollups() : Status::OK();
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
          for (const auto& [index, entry] : IndexEntries(project, *call, txn_.format())) {
            auto got = txn_.Get(index, entry);  // a damaged entry is reported as damaged
            if (got.ok() && !*got)
              Problem(index_, index, entry, "is missing for its call");
            else
              ++present_[static_cast<int>(index)];
          }
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
      case Db::kCallRollups:
        ++rollup_rows_;
        if (!DecodeRollup(value).ok()) Problem(damaged_, db, key, "does not decode");
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

  // The entries of index that belong to no visible call, or not as they are.
  Status FindStrays(Db index) {
    return txn_.ScanAll(index, [&](std::string_view key, std::optional<std::string_view>) {
      std::string project(keys::ProjectOf(key));
      auto call = LoadCall(txn_, project, keys::DecodeCallIndexTail(key).call_id);
      if (!call.ok()) return;  // reported as damaged
      if (!*call || !(*call)->started() || (*call)->deleted_at)
        return Problem(index_, index, key, "names no started call");
      auto entries = IndexEntries(project, **call, txn_.format());
      if (std::find(entries.begin(), entries.end(), std::pair{index, std::string(key)}) ==
          entries.end())
        Problem(index_, index, key, "does not match its call");
    });
  }

  // The roll-ups against the calls, an hour at a time: the calls in start
  // order, summed per hour, then the stored rows of that hour compared with
  // the sums; rows left over belong to hours without calls. Memory holds
  // one hour's rows.
  Status CheckRollups() {
    Hour h;
    WEFT_TRY(txn_.ForEach(
        Db::kCallsByStart, "", [&](std::string_view key, std::string_view) -> Result<bool> {
          auto entry = keys::DecodeCallIndexTail(key);
          if (keys::ProjectOf(key) != h.project || HourOf(entry.started_at) != h.hour) {
            WEFT_TRY(CompareHour(h));
            h.project = keys::ProjectOf(key);
            h.hour = HourOf(entry.started_at);
          }
          auto call = LoadCall(txn_, h.project, entry.call_id);
          if (!call.ok() || !*call || !(*call)->started()) return true;  // reported above
          CallShare share(**call);
          CallRollup& sum = h.sums[share.Key(h.project)];
          sum.op_name = share.rollup.op_name;
          sum.Add(share.rollup, 1);
          return true;
        }));
    WEFT_TRY(CompareHour(h));
    return rollups_compared_ == rollup_rows_ ? Status::OK() : FindStrayRollups();
  }

  // One hour's calls summed, per roll-up key.
  struct Hour {
    std::string project;
    int64_t hour = 0;
    std::map<std::string, CallRollup> sums;
  };

  // The stored rows of an hour against its sums, which it empties.
  Status CompareHour(Hour& h) {
    if (h.sums.empty()) return Status::OK();
    WEFT_TRY(txn_.ForEach(
        Db::kCallRollups,
        Txn::KeyRange{keys::ProjectPrefix(h.project), keys::CallRollupAt(h.project, h.hour),
                      keys::CallRollupAt(h.project, h.hour + keys::kRollupHour)},
        [&](std::string_view key, std::string_view value) -> Result<bool> {
          ++rollups_compared_;
          auto sum = h.sums.find(std::string(key));
          if (sum == h.sums.end()) return StrayRollup(key), true;
          if (DecodeRollup(value).ok() && value != EncodeRollup(sum->second))
            Problem(index_, Db::kCallRollups, key, "does not match its calls");
          h.sums.erase(sum);
          return true;
        }));
    for (const auto& [key, r] : h.sums)
      Problem(index_, Db::kCallRollups, key, "is missing for its calls");
    h.sums.clear();
    return Status::OK();
  }

  // The rows of hours in which no call started.
  Status FindStrayRollups() {
    return txn_.ScanAll(
        Db::kCallRollups, [&](std::string_view key, std::optional<std::string_view>) {
          std::string project(keys::ProjectOf(key));
          auto parts = keys::DecodeCallRollup(key, project);
          if (!parts) return StrayRollup(key);
          std::string prefix = keys::CallIndexPrefix(Db::kCallsByStart, project);
          bool any = false;
          auto found = txn_.ForEach(
              Db::kCallsByStart,
              Txn::KeyRange{prefix, keys::CallIndexAt(prefix, parts->hour),
                            keys::CallIndexAt(prefix, parts->hour + keys::kRollupHour)},
              [&](std::string_view, std::string_view) { return any = true, false; });
          if (found.ok() && !any) StrayRollup(key);
        });
  }

  void StrayRollup(std::string_view key) {
    Problem(index_, Db::kCallRollups, key, "counts calls not there");
  }

  Txn& txn_;
  size_t records_ = 0, unresolved_ = 0;
  size_t rollup_rows_ = 0, rollups_compared_ = 0;           // stored, and met
  size_t entries_[kDbCount] = {}, present_[kDbCount] = {};  // per index: all, and those calls need
  Json damaged_ = Json::array(), index_ = Json::array(), digests_ = Json::array();
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
      if (db == Db::kMeta || IsCallIndex(db) || db == Db::kCallRollups) continue;
      WEFT_TRY(txn.ScanAll(db, [&](std::string_view key, std::optional<std::string_view> value) {
        if (Unreadable(db, key, value, calls)) doomed.emplace_back(db, std::string(key));
      }));
    }
    for (const auto& [db, key] : doomed) WEFT_TRY(txn.Del(db, key));
    for (Db index : kCallIndexDbs) WEFT_TRY(txn.Clear(index));
    WEFT_TRY(txn.Clear(Db::kCallRollups));
    for (const auto& [project, call] : calls) {
      for (const auto& [index, key] : IndexEntries(project, call, txn.format()))
        WEFT_TRY(txn.Put(index, key, ""));
      WEFT_TRY(MoveRollups(txn, project, nullptr, &call));
    }
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
