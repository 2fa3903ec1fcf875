// Per-hour roll-ups of calls (store format 4; core/records/FORMAT.md#call-roll-ups):
// for each project, hour, status and op, the calls that started in that
// hour: how many, their latencies as a histogram, and their token usage per
// model (each model with its own count and latencies; "" for calls without
// usage). SaveCall moves a call's share on every write, summed over the
// transaction and written once at its end, so an import rewrites each row
// once a commit; calls_summary reads whole hours from them instead of every
// call (summary.cc, docs/semantics.md#call-statistics).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/histogram.h"
#include "core/api/usage.h"
#include "core/calls/call_record.h"
#include "store/txn.h"

namespace weft {

// The calls of one model in a roll-up: tokens holds counts only (no costs).
struct RollupModel {
  int64_t count = 0;
  Histogram latency;
  LlmUsage tokens;
};

struct CallRollup {
  std::string op_name;
  int64_t count = 0;
  Histogram latency;  // of the ended calls
  std::map<std::string, RollupModel> models;

  // Adds (sign 1) or takes away (sign -1) another roll-up of the same row.
  void Add(const CallRollup& other, int64_t sign);
  bool empty() const { return count == 0 && latency.empty() && models.empty(); }
};

// One call's share: a roll-up of count 1, and the hour and status it
// belongs under. The summary is parsed only when it may hold usage.
struct CallShare {
  int64_t hour = 0;
  std::string status;
  CallRollup rollup;
  explicit CallShare(const CallRecord& c);
  // Its row's key in project (RollupKey).
  std::string Key(const std::string& project) const;
};

// Moves a started, undeleted call's share from what `before` had (either
// may be null: not visible). Written when the transaction ends.
Status MoveRollups(Txn& txn, const std::string& project, const CallRecord* before,
                   const CallRecord* after);

// Adds (sign 1) or takes away (-1) a share under its row's key (CallShare::Key),
// as MoveRollups does: for a share worked out before the transaction.
Status AddRollupShare(Txn& txn, std::string key, const CallRollup& share, int64_t sign);

// Visits the roll-ups of project's hours in [from, to) (hours, floored),
// in hour order; fn answers false to stop.
using RollupVisit =
    std::function<bool(int64_t hour, std::string_view status, const CallRollup& rollup)>;
Status ForEachRollup(Txn& txn, const std::string& project, int64_t from, int64_t to,
                     const RollupVisit& fn);

// The hour a time falls in (floored).
int64_t HourOf(int64_t t);

// The key of a call's share (keys::CallRollup with its op key).
std::string RollupKey(const std::string& project, int64_t hour, std::string_view status,
                      const std::string& op_name);

}  // namespace weft
