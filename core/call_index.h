// Where calls live in the store: the calls sub-database and its four
// secondary indexes (by start time, trace, parent, op), kept in step on
// every write. Only started, undeleted calls are indexed, so queries never
// see a call whose start has not arrived (D4) or that was deleted.
#pragma once

#include <optional>
#include <string>

#include "core/call_record.h"
#include "store/txn.h"

namespace weft {

// The key of a call in the calls sub-database.
std::string CallKey(const std::string& project, std::string_view id);

Result<std::optional<CallRecord>> LoadCall(Txn& txn, const std::string& project, const std::string& id);

// Writes `after`, moving its index entries from what `before` had.
Status SaveCall(Txn& txn, const std::string& project, const std::optional<CallRecord>& before,
                const CallRecord& after);

// The key prefix of the entries of one index value (a trace id, a parent
// id or "" for roots, an op name) or, for kCallsByStart, of the project.
std::string IndexPrefix(Db index, const std::string& project, const std::string& value = "");

// Op names past this length are indexed by their first kMaxOpKeyPart bytes
// (long op refs); queries check the whole name.
inline constexpr size_t kMaxOpKeyPart = 200;
std::string_view OpKeyPart(std::string_view op_name);

// The call id at the end of an index key, after the prefix of its range.
std::string IdOfIndexKey(std::string_view key, size_t prefix_size);

}  // namespace weft
