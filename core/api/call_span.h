// Stored calls as OTLP spans, for any OpenTelemetry backend
// (docs/otel.md#otlp-out): a call that came in as a span goes out as that
// span again; any other call as a span of weft's own shape.
#pragma once

#include <functional>
#include <optional>

#include "base/clock.h"
#include "core/api/context.h"
#include "core/api/otlp.h"

namespace weft {

// The 16-hex span id of a call id (itself when it is one already) and the
// 32-hex trace id of a trace id.
std::string SpanIdOf(const std::string& call_id);
std::string TraceIdOf(const std::string& trace_id);

// Nested attributes as OTLP's flat ones: objects become dotted keys.
OtelAttributes FlattenAttributes(const Json& nested);

// The calls of one project, one OTLP request per trace (its spans grouped
// by resource), in trace order; calls still running are left out (OTLP
// carries ended spans). emit answers false to stop.
Status ExportOtlp(Context& ctx, const std::string& project, std::optional<Micros> since,
                  const std::function<bool(const OtelRequest&)>& emit);

}  // namespace weft
