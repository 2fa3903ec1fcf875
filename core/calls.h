// The parts of a call (start and end) as read from requests and merged
// into the store; shared by call_start/call_end and the batch ingest.
#pragma once

#include <string>
#include <utility>

#include "core/call_record.h"
#include "core/fields.h"
#include "core/server.h"
#include "store/txn.h"

namespace weft {

// Reads CallStartReq / CallEndReq; answers (project_id, the part).
Result<std::pair<std::string, CallRecord>> ReadStart(Fields& f, Context& ctx);
Result<std::pair<std::string, CallRecord>> ReadEnd(Fields& f);

// Merges a part into the stored call. A second start of one id is invalid.
Status ApplyStart(Txn& txn, const std::string& project, CallRecord start);
Status ApplyEnd(Txn& txn, const std::string& project, const CallRecord& end);

}  // namespace weft
