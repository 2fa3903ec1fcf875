// The parts of a call (start and end) as read from requests and merged
// into the store; shared by call_start/call_end and the batch ingest.
#pragma once

#include <span>
#include <string>
#include <utility>

#include "core/calls/call_record.h"
#include "core/fields.h"
#include "core/server.h"
#include "store/txn.h"

namespace weft {

// One start or end of a call, read from a request.
struct CallPart {
  bool start = false;
  std::string project;
  CallRecord call;
};

// Reads CallStartReq / CallEndReq.
Result<CallPart> ReadStart(Fields& f, Context& ctx);
Result<CallPart> ReadEnd(Fields& f);

// The checks on a part's ids, names and sizes; `at` is the path of the
// start or end model in messages ("start", "req.end").
Status CheckStart(const CallPart& p, const std::string& at);
Status CheckEnd(const CallPart& p, const std::string& at);

// The wb_user_id the server fills in when the request leaves it out.
std::string UserOf(const std::optional<std::string>& given, const Context& ctx);

// Sets the fields a start (or an end) carries; a later end wins.
void MergePart(CallRecord& into, const CallPart& part);

// Merges parts of one call, in order, into the stored call with one read
// and one write. A start of a call that has started is invalid.
Status ApplyParts(Txn& txn, const std::string& project, std::span<const CallPart* const> parts);

}  // namespace weft
