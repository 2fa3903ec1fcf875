// Times as microseconds since the Unix epoch (docs/semantics.md#times): RFC 3339 in,
// YYYY-MM-DDTHH:MM:SS.ffffffZ out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft {

using Micros = int64_t;

Micros NowMicros();

// Parses RFC 3339 / ISO 8601 ("2024-09-01T12:00:00Z", "...12:00:00.5+02:00",
// a space for 'T'; no offset means UTC). Digits past microseconds are cut.
std::optional<Micros> ParseTime(std::string_view text);

std::string FormatTime(Micros t);

}  // namespace weft
