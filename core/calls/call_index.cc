// Index maintenance for calls.
#include "core/calls/call_index.h"

#include <algorithm>

#include "core/calls/call_rollups.h"
#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

bool Visible(const CallRecord& c) { return c.started() && !c.deleted_at; }

using Entries = std::vector<std::pair<Db, std::string>>;

// Format 3's entries of a visible call (store/FORMAT.md#format-3).
void AddEntriesII(Entries& out, const std::string& project, const CallRecord& c) {
  Micros t = *c.started_at;
  auto add = [&](Db db, std::string_view value, int64_t at) {
    out.emplace_back(db, keys::CallIndex(db, project, value, at, c.id));
  };
  if (std::string_view status = StatusOf(c); status != "success")
    add(Db::kCallsByStatus, status, t);
  if (c.wb_user_id) add(Db::kCallsByUser, *c.wb_user_id, t);
  if (c.thread_id) add(Db::kCallsByThread, *c.thread_id, t);
  if (c.display_name) add(Db::kCallsByName, *c.display_name, t);
  if (c.ended_at) add(Db::kCallsByEnd, "", *c.ended_at);
  if (auto ms = LatencyMs(c))
    out.emplace_back(Db::kCallsByLatency, keys::LatencyIndex(project, t, *ms, c.id));
}

}  // namespace

Entries IndexEntries(const std::string& project, const CallRecord& c, int format) {
  auto k = keys::CallIndexes(project, c.trace_id, c.parent_id.value_or(""), c.op_name,
                             *c.started_at, c.id);
  Entries out = {{Db::kCallsByStart, std::move(k[0])},
                 {Db::kCallsByTrace, std::move(k[1])},
                 {Db::kCallsByParent, std::move(k[2])},
                 {Db::kCallsByOp, std::move(k[3])}};
  if (format >= kFirstFormatWithCallIndexesII) AddEntriesII(out, project, c);
  return out;
}

Result<std::optional<CallRecord>> LoadCall(Txn& txn, const std::string& project,
                                           const std::string& id) {
  WEFT_ASSIGN(auto bytes, txn.Get(Db::kCalls, keys::Call(project, id)));
  if (!bytes) return std::optional<CallRecord>();
  WEFT_ASSIGN(CallRecord c, DecodeCall(*bytes));
  return std::optional<CallRecord>(std::move(c));
}

NewCallWrite PrepareNewCall(const std::string& project, const CallRecord& c, int format) {
  NewCallWrite w{format, keys::Call(project, c.id), EncodeCall(c)};
  if (!Visible(c)) return w;
  w.entries = IndexEntries(project, c, format);
  if (format >= kFirstFormatWithRollups) {
    CallShare share(c);
    w.share.emplace(share.Key(project), std::move(share.rollup));
  }
  return w;
}

Status SaveNewCall(Txn& txn, const NewCallWrite& w) {
  WEFT_TRY(txn.Put(Db::kCalls, w.key, w.bytes));
  for (const auto& [db, key] : w.entries) WEFT_TRY(txn.Put(db, key, ""));
  return w.share ? AddRollupShare(txn, w.share->first, w.share->second, 1) : Status::OK();
}

Status SaveCall(Txn& txn, const std::string& project, const std::optional<CallRecord>& before,
                const CallRecord& after) {
  if (!before) return SaveNewCall(txn, PrepareNewCall(project, after, txn.format()));
  WEFT_TRY(txn.Put(Db::kCalls, keys::Call(project, after.id), EncodeCall(after)));
  Entries was, is;
  if (Visible(*before)) was = IndexEntries(project, *before, txn.format());
  if (Visible(after)) is = IndexEntries(project, after, txn.format());
  for (const auto& entry : was)
    if (std::find(is.begin(), is.end(), entry) == is.end())
      WEFT_TRY(txn.Del(entry.first, entry.second));
  for (const auto& entry : is)
    if (std::find(was.begin(), was.end(), entry) == was.end())
      WEFT_TRY(txn.Put(entry.first, entry.second, ""));
  return MoveRollups(txn, project, was.empty() ? nullptr : &*before, is.empty() ? nullptr : &after);
}

Status UpgradeCalls(Txn& txn, int from) {
  Entries entries;
  WEFT_TRY(txn.Clear(Db::kCallRollups));  // an older weft never wrote them: start from none
  return txn.ForEach(Db::kCalls, "",
                     [&](std::string_view key, std::string_view bytes) -> Result<bool> {
                       WEFT_ASSIGN(CallView view, ViewCall(bytes));
                       if (!view.visible()) return true;
                       WEFT_ASSIGN(CallRecord c, DecodeCall(bytes));
                       std::string project(keys::ProjectOf(key));
                       entries.clear();
                       if (from < kFirstFormatWithCallIndexesII) AddEntriesII(entries, project, c);
                       for (const auto& [db, k] : entries) WEFT_TRY(txn.Put(db, k, ""));
                       WEFT_TRY(MoveRollups(txn, project, nullptr, &c));
                       return true;
                     });
}

}  // namespace weft
