// OTLP trace requests (ExportTraceServiceRequest) read from protobuf or from
// OTLP JSON into one shape, and the response written back
// (docs/otel.md#ingest). Attribute values become JSON as Weave's
// resolve_pb_any_value gives them; keys stay flat, as sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace weft {

using OtelAttributes = std::vector<std::pair<std::string, Json>>;

struct OtelEvent {
  std::string name;
  uint64_t time_ns = 0;
  OtelAttributes attributes;
  uint32_t dropped_attributes_count = 0;
};

struct OtelLink {
  std::string trace_id, span_id, trace_state;  // ids in lower-case hex
  OtelAttributes attributes;
  uint32_t dropped_attributes_count = 0, flags = 0;
};

struct OtelSpan {
  std::string trace_id, span_id, parent_id;  // lower-case hex; parent_id empty for a root
  std::string trace_state, name;
  int kind = 0;
  uint32_t flags = 0;
  uint64_t start_ns = 0, end_ns = 0;
  OtelAttributes attributes;
  uint32_t dropped_attributes_count = 0, dropped_events_count = 0, dropped_links_count = 0;
  std::vector<OtelEvent> events;
  std::vector<OtelLink> links;
  int status_code = 0;  // 0 unset, 1 ok, 2 error
  std::string status_message;
};

struct OtelResourceSpans {
  OtelAttributes resource;
  uint32_t resource_dropped = 0;
  std::vector<OtelSpan> spans;  // of every scope
};

using OtelRequest = std::vector<OtelResourceSpans>;

// An ExportTraceServiceRequest in protobuf; unknown fields are skipped.
Result<OtelRequest> DecodeOtlpProto(std::string_view bytes);
// The same request as OTLP JSON (camelCase names, hex ids, 64-bit integers
// as strings or numbers).
Result<OtelRequest> DecodeOtlpJson(const Json& request);

// A request written out, as OTLP JSON (what weft export --format otlp
// writes a line of) and as protobuf (what weft push --otlp sends).
Json OtlpJson(const OtelRequest& request);
std::string OtlpProto(const OtelRequest& request);

// An ExportTraceServiceResponse: empty when nothing was rejected, else with
// partial_success {rejected_spans, error_message}.
std::string OtlpResponseProto(int64_t rejected, const std::string& message);
// A server's protobuf ExportTraceServiceResponse: rejected spans and message.
Result<std::pair<int64_t, std::string>> DecodeOtlpResponseProto(std::string_view bytes);
Json OtlpResponseJson(int64_t rejected, const std::string& message);

}  // namespace weft
