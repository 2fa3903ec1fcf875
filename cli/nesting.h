// Where a call started from the command line nests: a start whose parent is
// given (--parent, WEFT_PARENT_ID) without a trace id joins its parent's
// trace, read from the store, so that it shows in that trace's tree; and
// what `call end --export` hands back, so that nested `call start --export`
// spans close in order (docs/command-line.md#nesting).
#pragma once

#include <optional>
#include <string>

#include "base/json.h"
#include "core/api/context.h"

namespace weft::cli {

// A span named by W3C trace context in the environment (TRACEPARENT).
struct TraceParent {
  std::string trace_id, span_id;  // 32 and 16 lower-case hex digits
};
// TRACEPARENT's value when it is valid: version (not ff), trace id, parent
// id (neither all zeros), flags, all lower-case hex.
std::optional<TraceParent> ReadTraceparent(const char* value);
// The TRACEPARENT that names a call as the parent span: "" when its trace id
// (dashes aside) is not 32 hex digits or its id not 16.
std::string TraceparentOf(const std::string& trace_id, const std::string& call_id);
// A start with neither trace nor parent joins the span TRACEPARENT names,
// as its child, with a span-shaped id of its own (docs/otel.md#traceparent).
void JoinTraceparent(Json& start);

// Fills start.trace_id from the stored parent when start has a parent_id
// and no trace_id. A parent the store does not hold is an error then.
Status TraceFromParent(Json& start, Context& ctx);

// The stored call an end request ends (null when the store has none), read
// before it is ended; a warning when it had ended already.
Result<Json> CallBeingEnded(const Json& end, Context& ctx);

// The shell lines of `call start --export`: the store, the project, and
// the started call as the enclosing call of its trace (and as TRACEPARENT
// when its ids have OTel's shape).
std::string StartLines(const std::string& store, const Json& project, const Json& started);

// The shell lines that make the ended call's parent the enclosing call
// again (`unset` at the root of a trace).
std::string RestoreLines(const Json& ended);

}  // namespace weft::cli
