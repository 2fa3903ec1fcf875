// Where calls live in the store: the calls sub-database and its secondary
// indexes (by start time, trace, parent, op; from format 3 also by status,
// user, thread, display name, end time and latency: store/FORMAT.md), kept
// in step on every write. Only started, undeleted calls are indexed, so
// queries never see a call whose start has not arrived
// (docs/semantics.md#calls) or that was deleted.
#pragma once

#include <optional>
#include <string>

#include "core/calls/call_record.h"
#include "core/calls/call_rollups.h"
#include "store/txn.h"

namespace weft {

Result<std::optional<CallRecord>> LoadCall(Txn& txn, const std::string& project,
                                           const std::string& id);

// The index entries of a started, undeleted call in a store of this
// format: (index, key).
std::vector<std::pair<Db, std::string>> IndexEntries(const std::string& project,
                                                     const CallRecord& c, int format);

// What SaveCall writes for a call the store does not hold yet, worked out
// before the write transaction, off the store's one writer (call_batch.cc
// prepares a batch's calls while other writes run). It fits stores of its
// format only.
struct NewCallWrite {
  int format = 0;
  std::string key, bytes;                                   // the call's Db::kCalls entry
  std::vector<std::pair<Db, std::string>> entries;          // its index entries
  std::optional<std::pair<std::string, CallRollup>> share;  // its roll-up row's key, its share
};
NewCallWrite PrepareNewCall(const std::string& project, const CallRecord& c, int format);
// Writes it; txn.format() is its format.
Status SaveNewCall(Txn& txn, const NewCallWrite& w);

// Writes `after`, moving its index entries and its share of the roll-ups
// (call_rollups.h) from what `before` had.
Status SaveCall(Txn& txn, const std::string& project, const std::optional<CallRecord>& before,
                const CallRecord& after);

// Brings the calls of a format `from` store up to this weft's format: format
// 3's indexes (from 2) and format 4's roll-ups (from 2 or 3) of every call
// (the upgrade Store runs in the first write).
Status UpgradeCalls(Txn& txn, int from);

}  // namespace weft
