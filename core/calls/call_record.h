// A call as stored: the merge of its start, end, updates and deletion
// (docs/semantics.md#calls), its compact binary encoding, and its CallSchema JSON with
// the derived summary.weave fields (docs/semantics.md#derived-summary).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"

namespace weft {

struct CallRecord {
  std::string id, op_name, trace_id;
  std::optional<std::string> display_name, parent_id, exception, wb_user_id, wb_run_id;
  std::optional<Micros> started_at, ended_at, deleted_at;  // no started_at: the end came first
  // JSON texts (compact); output and summary are empty until the call ends.
  std::string attributes = "{}", inputs = "{}", output, summary;
  std::vector<std::string> input_refs, output_refs;

  bool started() const { return started_at.has_value(); }
  bool ended() const { return ended_at.has_value(); }
};

// An encoded record read in place, without copying: the views point into
// the bytes given to ViewCall. Scans use it to skip calls cheaply.
struct CallView {
  enum {
    kId, kOpName, kTraceId,
    kDisplayName, kParentId, kException, kWbUserId, kWbRunId,  // optional, in presence bit order
    kAttributes, kInputs, kOutput, kSummary, kInputRefs, kOutputRefs,
    kStrings
  };
  uint64_t presence = 0;  // bits 0-4: the optional strings; 5-7: started, ended, deleted
  Micros times[3] = {};
  std::string_view strings[kStrings];

  bool Has(int optional_string) const { return presence & (1u << (optional_string - kDisplayName)); }
  bool deleted() const { return presence & (1u << 7); }
  bool visible() const { return (presence & (1u << 5)) && !deleted(); }
};

std::string EncodeCall(const CallRecord& c);
Result<CallView> ViewCall(std::string_view bytes);
Result<CallRecord> DecodeCall(std::string_view bytes);

// Every string inside a JSON value (not keys) that is a ref
// (weave://, wandb-artifact://, weave-trace-internal://).
std::vector<std::string> FindRefs(const Json& v);

// The derived summary (docs/semantics.md#derived-summary): the stored summary (or {}) with summary.weave
// holding status, latency_ms (when ended) and trace_name or display_name.
Json DerivedSummary(const CallRecord& c, const Json& stored_summary);

// The derived fields: status (error, running or success), latency in whole
// milliseconds once ended, and the trace name (display name, else op name).
const char* StatusOf(const CallRecord& c);
std::optional<int64_t> LatencyMs(const CallRecord& c);
std::string TraceNameOf(const CallRecord& c);

// The name part of an op ref op_name, or op_name itself.
std::string TraceName(const std::string& op_name);

// The CallSchema JSON. `columns`, when given, keeps only those columns
// (plus id, project_id, trace_id, op_name, started_at); others read as
// null, or {} for inputs and attributes.
Json CallSchema(const CallRecord& c, const std::string& project_id,
                const std::vector<std::string>* columns = nullptr);

}  // namespace weft
