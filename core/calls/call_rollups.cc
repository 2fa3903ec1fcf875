// Call roll-ups (call_rollups.h): a call's share, the sums a transaction
// gathers, and reading them back.
#include "core/calls/call_rollups.h"

#include "base/json_cursor.h"
#include "base/wrapping.h"
#include "core/digest.h"
#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

// Rows a transaction holds in memory before writing them (an upgrade of a
// big store touches every row): memory stays bounded.
constexpr size_t kMaxPendingRows = 4096;

// The roll-up changes of one transaction, by key, written at its end (or
// when there are too many).
class PendingRollups : public Txn::Finisher {
 public:
  void Add(std::string key, const CallRollup& share, int64_t sign) {
    CallRollup& delta = rows_[std::move(key)];
    if (delta.op_name.empty()) delta.op_name = share.op_name;
    delta.Add(share, sign);
  }
  bool full() const { return rows_.size() >= kMaxPendingRows; }

  Status Finish(Txn& txn) override {
    for (auto& [key, delta] : rows_) {
      if (delta.empty()) continue;
      WEFT_ASSIGN(auto bytes, txn.Get(Db::kCallRollups, key));
      CallRollup row;
      if (bytes) {
        WEFT_ASSIGN(row, DecodeRollup(*bytes));
      } else {
        row.op_name = delta.op_name;
      }
      row.Add(delta, 1);
      if (row.count == 0)
        WEFT_TRY(txn.Del(Db::kCallRollups, key));
      else
        WEFT_TRY(txn.Put(Db::kCallRollups, key, EncodeRollup(row)));
    }
    rows_.clear();
    return Status::OK();
  }

 private:
  std::map<std::string, CallRollup> rows_;
};

// The op name as a key part: whole up to keys::kMaxOpKeyPart bytes, else
// its start and a digest of the whole name.
std::string OpKey(const std::string& op_name) {
  if (op_name.size() <= keys::kMaxOpKeyPart) return op_name;
  return op_name.substr(0, keys::kMaxOpKeyPart) + '\0' + BytesDigest(op_name);
}

void AddModel(RollupModel& into, const RollupModel& m, int64_t sign) {
  into.count = WrapAdd(into.count, WrapMul(sign, m.count));
  into.latency.Merge(m.latency, sign);
  for (auto count : kUsageCounts)
    into.tokens.*count = WrapAdd(into.tokens.*count, WrapMul(sign, m.tokens.*count));
}

// The token counts of a call's summary.usage. The cursor finds the member
// (the last of that name counts, as in ParseJson) without building the
// rest of the summary, which the writer would otherwise parse for every
// call it saves; text the cursor declines is parsed whole.
ModelUsage SummaryUsage(std::string_view summary) {
  if (summary.find("\"usage\"") == std::string_view::npos) return {};
  JsonCursor in(summary);
  std::string_view key, raw, usage;
  if (in.Object())
    while (in.Member(key) && in.Raw(raw))
      if (key == "usage") usage = raw;
  Json only = Json::object();
  if (!in.ok() || !in.AtEnd()) {
    auto whole = ParseJson(summary, "summary");
    if (!whole.ok()) return {};
    only = std::move(*whole);
  } else if (!usage.empty()) {
    auto parsed = ParseJson(usage, "summary.usage");
    if (!parsed.ok()) return {};
    only["usage"] = std::move(*parsed);
  }
  return UsageOf(only, false);
}

}  // namespace

int64_t HourOf(int64_t t) {
  return t - ((t % keys::kRollupHour) + keys::kRollupHour) % keys::kRollupHour;
}

std::string RollupKey(const std::string& project, int64_t hour, std::string_view status,
                      const std::string& op_name) {
  return keys::CallRollup(project, hour, status, OpKey(op_name));
}

void CallRollup::Add(const CallRollup& other, int64_t sign) {
  count = WrapAdd(count, WrapMul(sign, other.count));
  latency.Merge(other.latency, sign);
  for (const auto& [model, m] : other.models) {
    RollupModel& into = models[model];
    AddModel(into, m, sign);
    if (into.count == 0 && into.latency.empty()) models.erase(model);
  }
}

std::string CallShare::Key(const std::string& project) const {
  return RollupKey(project, hour, status, rollup.op_name);
}

CallShare::CallShare(const CallRecord& c) : hour(HourOf(*c.started_at)), status(StatusOf(c)) {
  rollup.op_name = c.op_name;
  rollup.count = 1;
  if (auto ms = LatencyMs(c)) rollup.latency.Add(*ms);
  ModelUsage usage = SummaryUsage(c.summary);
  if (usage.empty()) usage[""];  // counted among the calls without usage
  for (const auto& [model, u] : usage) {
    RollupModel& m = rollup.models[model];
    m.count = 1;
    m.latency = rollup.latency;
    m.tokens = u;
  }
}

Status AddRollupShare(Txn& txn, std::string key, const CallRollup& share, int64_t sign) {
  if (txn.format() < kFirstFormatWithRollups) return Status::OK();
  auto* pending = dynamic_cast<PendingRollups*>(txn.finisher());
  if (!pending) {
    txn.set_finisher(std::make_unique<PendingRollups>());
    pending = static_cast<PendingRollups*>(txn.finisher());
  }
  pending->Add(std::move(key), share, sign);
  return pending->full() ? pending->Finish(txn) : Status::OK();
}

Status MoveRollups(Txn& txn, const std::string& project, const CallRecord* before,
                   const CallRecord* after) {
  if (txn.format() < kFirstFormatWithRollups) return Status::OK();
  if (before) {
    CallShare was(*before);
    WEFT_TRY(AddRollupShare(txn, was.Key(project), was.rollup, -1));
  }
  if (!after) return Status::OK();
  CallShare is(*after);
  return AddRollupShare(txn, is.Key(project), is.rollup, 1);
}

Status ForEachRollup(Txn& txn, const std::string& project, int64_t from, int64_t to,
                     const RollupVisit& fn) {
  std::string prefix = keys::ProjectPrefix(project);
  std::string first = keys::CallRollupAt(project, from), end = keys::CallRollupAt(project, to);
  return txn.ForEach(Db::kCallRollups, Txn::KeyRange{prefix, first, end},
                     [&](std::string_view key, std::string_view value) -> Result<bool> {
                       auto parts = keys::DecodeCallRollup(key, project);
                       if (!parts) return Damaged(Db::kCallRollups, key);
                       WEFT_ASSIGN(CallRollup rollup, DecodeRollup(value));
                       return fn(parts->hour, parts->status, rollup);
                     });
}

}  // namespace weft
