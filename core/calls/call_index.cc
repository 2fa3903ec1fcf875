// Index maintenance for calls.
#include "core/calls/call_index.h"

#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

bool Visible(const CallRecord& c) { return c.started() && !c.deleted_at; }

bool SameEntries(const CallRecord& a, const CallRecord& b) {
  return a.started_at == b.started_at && a.trace_id == b.trace_id && a.parent_id == b.parent_id &&
         a.op_name == b.op_name;
}

}  // namespace

std::vector<std::pair<Db, std::string>> IndexEntries(const std::string& project,
                                                     const CallRecord& c) {
  auto k = keys::CallIndexes(project, c.trace_id, c.parent_id.value_or(""), c.op_name,
                             *c.started_at, c.id);
  return {{Db::kCallsByStart, std::move(k[0])},
          {Db::kCallsByTrace, std::move(k[1])},
          {Db::kCallsByParent, std::move(k[2])},
          {Db::kCallsByOp, std::move(k[3])}};
}

Result<std::optional<CallRecord>> LoadCall(Txn& txn, const std::string& project,
                                           const std::string& id) {
  WEFT_ASSIGN(auto bytes, txn.Get(Db::kCalls, keys::Call(project, id)));
  if (!bytes) return std::optional<CallRecord>();
  WEFT_ASSIGN(CallRecord c, DecodeCall(*bytes));
  return std::optional<CallRecord>(std::move(c));
}

Status SaveCall(Txn& txn, const std::string& project, const std::optional<CallRecord>& before,
                const CallRecord& after) {
  WEFT_TRY(txn.Put(Db::kCalls, keys::Call(project, after.id), EncodeCall(after)));
  bool was = before && Visible(*before), is = Visible(after);
  if (was && is && SameEntries(*before, after)) return Status::OK();
  if (was)
    for (const auto& [db, key] : IndexEntries(project, *before)) WEFT_TRY(txn.Del(db, key));
  if (is)
    for (const auto& [db, key] : IndexEntries(project, after)) WEFT_TRY(txn.Put(db, key, ""));
  return Status::OK();
}

}  // namespace weft
