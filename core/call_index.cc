// Index maintenance for calls.
#include "core/call_index.h"

#include "store/keys.h"

namespace weft {
namespace {

bool Visible(const CallRecord& c) { return c.started() && !c.deleted_at; }

struct Entry {
  Db db;
  std::string key;
};

std::vector<Entry> Entries(const std::string& project, const CallRecord& c) {
  Micros t = *c.started_at;
  return {
      {Db::kCallsByStart, Key(project).AddTime(t).Add(c.id).str()},
      {Db::kCallsByTrace, Key(project).Add(c.trace_id).AddTime(t).Add(c.id).str()},
      {Db::kCallsByParent, Key(project).Add(c.parent_id.value_or("")).AddTime(t).Add(c.id).str()},
      {Db::kCallsByOp, Key(project).Add(c.op_name).AddTime(t).Add(c.id).str()},
  };
}

bool SameEntries(const CallRecord& a, const CallRecord& b) {
  return a.started_at == b.started_at && a.trace_id == b.trace_id && a.parent_id == b.parent_id &&
         a.op_name == b.op_name;
}

}  // namespace

Result<std::optional<CallRecord>> LoadCall(Txn& txn, const std::string& project, const std::string& id) {
  WEFT_ASSIGN(auto bytes, txn.Get(Db::kCalls, Key(project).Add(id)));
  if (!bytes) return std::optional<CallRecord>();
  WEFT_ASSIGN(CallRecord c, DecodeCall(*bytes));
  return std::optional<CallRecord>(std::move(c));
}

Status SaveCall(Txn& txn, const std::string& project, const std::optional<CallRecord>& before,
                const CallRecord& after) {
  WEFT_TRY(txn.Put(Db::kCalls, Key(project).Add(after.id), EncodeCall(after)));
  bool was = before && Visible(*before), is = Visible(after);
  if (was && is && SameEntries(*before, after)) return Status::OK();
  if (was)
    for (const Entry& e : Entries(project, *before)) WEFT_TRY(txn.Del(e.db, e.key));
  if (is)
    for (const Entry& e : Entries(project, after)) WEFT_TRY(txn.Put(e.db, e.key, ""));
  return Status::OK();
}

std::string IndexPrefix(Db index, const std::string& project, const std::string& value) {
  if (index == Db::kCallsByStart) return Key(project).Prefix();
  return Key(project).Add(value).Prefix();
}

std::string_view IdOfIndexKey(std::string_view key, size_t prefix_size) {
  // prefix, 8 bytes of time, '\0', id
  return key.size() > prefix_size + 9 ? key.substr(prefix_size + 9) : std::string_view();
}

}  // namespace weft
