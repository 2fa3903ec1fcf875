// Where a call started from the command line nests: a start whose parent is
// given (--parent, WEFT_PARENT_ID) without a trace id joins its parent's
// trace, read from the store, so that it shows in that trace's tree
// (docs/command-line.md#nesting).
#pragma once

#include "base/json.h"
#include "core/server.h"

namespace weft::cli {

// Fills start.trace_id from the stored parent when start has a parent_id
// and no trace_id. A parent the store does not hold is an error then.
Status TraceFromParent(Json& start, Context& ctx);

}  // namespace weft::cli
