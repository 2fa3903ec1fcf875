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
#include "store/txn.h"

namespace weft {

Result<std::optional<CallRecord>> LoadCall(Txn& txn, const std::string& project,
                                           const std::string& id);

// The index entries of a started, undeleted call in a store of this
// format: (index, key).
std::vector<std::pair<Db, std::string>> IndexEntries(const std::string& project,
                                                     const CallRecord& c, int format);

// Writes `after`, moving its index entries and its share of the roll-ups
// (call_rollups.h) from what `before` had.
Status SaveCall(Txn& txn, const std::string& project, const std::optional<CallRecord>& before,
                const CallRecord& after);

// Brings the calls of a format `from` store up to this weft's format: format
// 3's indexes (from 2) and format 4's roll-ups (from 2 or 3) of every call
// (the upgrade Store runs in the first write).
Status UpgradeCalls(Txn& txn, int from);

}  // namespace weft
