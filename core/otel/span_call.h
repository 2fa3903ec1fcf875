// One OpenTelemetry span as Weave's OTLP ingest stores it: a call start
// and end (docs/otel.md#spans-become-calls; Weave's python_spans.py
// Span.to_call and opentelemetry/constants.py decide).
#pragma once

#include <string>

#include "core/api/otlp.h"
#include "core/calls/calls.h"

namespace weft {

struct SpanCall {
  CallPart start, end;
  std::string op;  // the op name (span name, shortened); the caller makes it an op ref
};

// The names otel_dump gives span kinds and status codes, by their numbers.
inline constexpr const char* kSpanKindNames[] = {"UNSPECIFIED", "INTERNAL", "SERVER",
                                                 "CLIENT",      "PRODUCER", "CONSUMER"};
inline constexpr const char* kStatusCodeNames[] = {"UNSET", "OK", "ERROR"};

// The attributes as nested JSON: dotted keys become objects, JSON-looking
// strings are parsed. A key that goes through a value that is not an object
// ("a" = 1 then "a.b" = 2) is a path conflict, refused naming the key.
Result<Json> UnflattenAttributes(const OtelAttributes& attributes);

// The call of a span of a resource (resource: its unflattened attributes).
Result<SpanCall> SpanToCall(const OtelSpan& span, const Json& resource, uint32_t resource_dropped,
                            const std::string& project, const std::string& user);

// Weave's shorten_name (helpers.py): name cut to max_len at a delimiter,
// ending with abbrv.
std::string ShortenName(const std::string& name, size_t max_len, const std::string& abbrv,
                        bool delimiter_in_abbrv);

}  // namespace weft
