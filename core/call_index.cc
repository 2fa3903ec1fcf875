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
      {Db::kCallsByStart, Key(project).AddTime(t).AddId(c.id).str()},
      {Db::kCallsByTrace, Key(project).AddId(c.trace_id).AddTime(t).AddId(c.id).str()},
      {Db::kCallsByParent, Key(project).AddId(c.parent_id.value_or("")).AddTime(t).AddId(c.id).str()},
      {Db::kCallsByOp, Key(project).Add(OpKeyPart(c.op_name)).AddTime(t).AddId(c.id).str()},
  };
}

bool SameEntries(const CallRecord& a, const CallRecord& b) {
  return a.started_at == b.started_at && a.trace_id == b.trace_id && a.parent_id == b.parent_id &&
         a.op_name == b.op_name;
}

}  // namespace

Result<std::optional<CallRecord>> LoadCall(Txn& txn, const std::string& project, const std::string& id) {
  WEFT_ASSIGN(auto bytes, txn.Get(Db::kCalls, CallKey(project, id)));
  if (!bytes) return std::optional<CallRecord>();
  WEFT_ASSIGN(CallRecord c, DecodeCall(*bytes));
  return std::optional<CallRecord>(std::move(c));
}

Status SaveCall(Txn& txn, const std::string& project, const std::optional<CallRecord>& before,
                const CallRecord& after) {
  WEFT_TRY(txn.Put(Db::kCalls, CallKey(project, after.id), EncodeCall(after)));
  bool was = before && Visible(*before), is = Visible(after);
  if (was && is && SameEntries(*before, after)) return Status::OK();
  if (was)
    for (const Entry& e : Entries(project, *before)) WEFT_TRY(txn.Del(e.db, e.key));
  if (is)
    for (const Entry& e : Entries(project, after)) WEFT_TRY(txn.Put(e.db, e.key, ""));
  return Status::OK();
}

std::string_view OpKeyPart(std::string_view op_name) { return op_name.substr(0, kMaxOpKeyPart); }

std::string CallKey(const std::string& project, std::string_view id) { return Key(project).AddId(id).str(); }

std::string IndexPrefix(Db index, const std::string& project, const std::string& value) {
  if (index == Db::kCallsByStart) return Key(project).Prefix();
  if (index == Db::kCallsByOp) return Key(project).Add(OpKeyPart(value)).Prefix();
  return Key(project).AddId(value).Prefix();
}

std::string IdOfIndexKey(std::string_view key, size_t prefix_size) {
  // prefix, 8 bytes of time, '\0', id
  return key.size() > prefix_size + 9 ? DecodeId(key.substr(prefix_size + 9)) : std::string();
}

}  // namespace weft
