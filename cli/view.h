// Output for people: aligned tables (--format table), short local times,
// values cut to a width, and colour only on a terminal.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"

namespace weft::cli {

// An RFC 3339 UTC time as local "YYYY-MM-DD HH:MM:SS"; other text as is.
std::string LocalTime(const std::string& rfc3339);

// A JSON value as one short line: strings raw, others as compact JSON, cut
// to `width` characters with an ellipsis.
std::string Preview(const Json& v, size_t width);

// Prints items as aligned columns; a column is a dotted path into each item.
void PrintTable(const Json& items, const std::vector<std::string>& columns);

// Whether to colour standard output: --color always|never|auto, NO_COLOR,
// and whether it is a terminal.
bool UseColor(const std::string& mode);

}  // namespace weft::cli
