// The parts of a call (start and end) as read from requests and merged
// into the store; shared by call_start/call_end and the batch ingest.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/api/context.h"
#include "core/calls/call_index.h"
#include "core/calls/call_record.h"
#include "core/fields.h"
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

// The calls a calls_query_stream request selects, each handed to `each` as
// CallSchema JSON: for core's own roll-ups (the method itself hands ctx.emit
// their text).
Status StreamCalls(const Json& req, Context& ctx, const std::function<void(const Json&)>& each);

// The calls list of a calls_query request on project (req without
// project_id): for core's own readers of a few calls (trace_tree.cc,
// evaluations_compare.cc).
Result<Json> QueryCalls(Context& ctx, const std::string& project, Json req);

// A selection as the call roll-ups (call_rollups.h) can answer it: a
// project, some op names (or every op), one status (or any) and a window of
// start times [from, to).
struct RollupSelection {
  std::string project;
  std::optional<std::vector<std::string>> op_names;
  std::optional<std::string> status;
  Micros from = INT64_MIN, to = INT64_MAX;
  // Whether the calls of this op name and status are selected.
  bool Selects(const std::string& op_name, std::string_view call_status) const;
};
// Reads what it can of a selection from the roll-ups, and answers the
// windows of start times [from, to) left for the calls to give.
using TimeWindows = std::vector<std::pair<Micros, Micros>>;
using RollupReader = std::function<Result<TimeWindows>(Txn& txn, const RollupSelection& s)>;

// The records of the calls a selection (ReadCallSelection: project_id,
// filter, query) selects, in whatever order is quickest, with no CallSchema
// JSON built: for core's own roll-ups of many calls (summary.cc). With
// `rollups`, a selection they can answer (filter only by op names, query
// only by status and start times) is first offered to it, in the same
// read transaction, and only the calls of the windows it leaves are given.
Status ForEachCallRecord(const Json& req, Context& ctx,
                         const std::function<void(const CallRecord&)>& each,
                         const RollupReader& rollups = nullptr);

// The calls a request selects by project_id, filter and query, as a
// calls_query_stream request to add columns and options to (usage.cc).
Json ReadCallSelection(Fields& f);

// The checks on a part's ids, names and sizes; `at` is the path of the
// start or end model in messages ("start", "req.end").
Status CheckStart(const CallPart& p, const std::string& at);
Status CheckEnd(const CallPart& p, const std::string& at);

// The wb_user_id the server fills in when the request leaves it out.
std::string UserOf(const std::optional<std::string>& given, const Context& ctx);

// Whether start is the start a stored (or earlier) call has: a start sent
// again, which is accepted and skipped.
bool SameStart(const CallRecord& stored, const CallRecord& start);

// Sets the fields a start (or an end) carries; a later end wins.
void MergePart(CallRecord& into, const CallPart& part);

// Merges parts of one call, in order, into the stored call with one read
// and one write. A start of a call that has started is invalid unless it
// is the same start again (a batch or an import sent twice); where(part)
// names the refused one at the front of the message ("line 7: ").
// `prepared`, PrepareParts' answer for the same parts, is what is written
// when the store holds none of the call.
using PartName = std::function<std::string(const CallPart&)>;
Status ApplyParts(Txn& txn, const std::string& project, std::span<const CallPart* const> parts,
                  const PartName& where = {}, const NewCallWrite* prepared = nullptr);

// The write of the call that parts make on a store that holds none of it,
// worked out outside the write transaction; nullopt when they cannot make
// one (two different starts: ApplyParts says why).
std::optional<NewCallWrite> PrepareParts(const std::string& project,
                                         std::span<const CallPart* const> parts);

// What ReplaceCall found and did.
enum class CallOutcome { kNew, kUnchanged, kReplaced, kKept };

// Writes the call the parts make as its source has it now (weft import and
// pull). A call already there with other content is replaced only when
// `replace`; otherwise it is kept as it is (kKept).
Result<CallOutcome> ReplaceCall(Txn& txn, const std::string& project,
                                std::span<const CallPart* const> parts, bool replace);

// The start model and, for an ended call, the end model of a CallSchema
// record, without the derived summary.weave fields (push sends them).
std::pair<Json, std::optional<Json>> StartEndOf(const Json& call);

// The start and (for an ended call) end parts of a CallSchema record, read
// with the checks of call_start and call_end; the derived summary.weave
// fields are dropped. `where` prefixes the field paths in messages.
Result<std::vector<CallPart>> ReadCallSchema(const Json& call, Context& ctx,
                                             const std::string& where);

}  // namespace weft
