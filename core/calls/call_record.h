// A call as stored: the merge of its start, end, updates and deletion
// (docs/semantics.md#calls), and its CallSchema JSON with the derived
// summary.weave fields (docs/semantics.md#derived-summary). Its encoding is
// core/records/records.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"
#include "core/calls/call_fields.h"

namespace weft {

struct CallRecord {
#define WEFT_FIELD_MEMBER(name, kind, part, bit, flags) \
  FieldType<FieldKind::kind>::type name = FieldType<FieldKind::kind>::Initial();
  WEFT_CALL_FIELDS(WEFT_FIELD_MEMBER)  // no started_at: the end came first
#undef WEFT_FIELD_MEMBER

  bool started() const { return started_at.has_value(); }
  bool ended() const { return ended_at.has_value(); }
};

// Every string inside a JSON value (not keys) that is a ref
// (weave://, wandb-artifact://, weave-trace-internal://).
std::vector<std::string> FindRefs(const Json& v);

// The derived summary (docs/semantics.md#derived-summary): the stored summary (or {}) with
// summary.weave holding status, latency_ms (when ended) and trace_name or display_name.
Json DerivedSummary(const CallRecord& c, const Json& stored_summary);
// Removes the derived fields from a summary (and summary.weave when that empties it).
void DropDerived(Json& summary);
// Whether a key of summary.weave is one the store derives (and so drops).
bool IsDerivedKey(std::string_view key);

// The derived fields: status (error, running or success), latency in whole
// milliseconds once ended, and the trace name (display name, else op name).
const char* StatusOf(const CallRecord& c);
std::optional<int64_t> LatencyMs(const CallRecord& c);
std::string TraceNameOf(const CallRecord& c);

// The CallSchema JSON. `columns`, when given, keeps only those columns
// (plus id, project_id, trace_id, op_name, started_at); others read as
// null, or {} for inputs and attributes.
Json CallSchema(const CallRecord& c, const std::string& project_id,
                const std::vector<std::string>* columns = nullptr);
// Whether CallSchema shows field f's value for columns (nullptr: all):
// f is always shown, or a column names it or a path under it.
bool ColumnWanted(const CallFieldInfo& f, const std::vector<std::string>* columns);

}  // namespace weft
