// Identifiers: generated UUIDv7 ids (docs/semantics.md#ids-and-projects) and the validation of
// project ids and object ids.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace weft {

// Length limits that keep every store key under LMDB's 511 bytes.
inline constexpr size_t kMaxProjectId = 160;
inline constexpr size_t kMaxClientId = 128;

// A fresh lowercase UUIDv7 (time-ordered), 8-4-4-4-12.
std::string NewId();
// OpenTelemetry-shaped ids (docs/otel.md#traceparent): a trace id as 32
// lower-case hex digits (a UUIDv7 without its dashes, so time-ordered) and a
// span id as 16 random ones.
std::string NewTraceId();
std::string NewSpanId();

// "entity/project", both parts non-empty, no further '/', no control
// characters. `field` names the request field in the error.
Status CheckProjectId(std::string_view id, std::string_view field);

// 1-127 characters of letters, digits, '_', '.', '-'.
Status CheckObjectId(std::string_view id, std::string_view field);

// Ids given by clients are kept as given, but must be non-empty printable
// text without '/' (they become parts of store keys and refs).
Status CheckClientId(std::string_view id, std::string_view field);

}  // namespace weft
