// Writes responses to standard output: JSON (compact or --pretty), NDJSON
// lines, or raw bytes.
#pragma once

#include <cstdio>

#include "cli/commands.h"
#include "core/json.h"

namespace weft::cli {

void PrintJson(const Json& v, bool pretty, std::FILE* out = stdout);

// The response of a method, in the form its command promises.
void PrintResponse(const Json& response, OutputKind kind, bool pretty);

}  // namespace weft::cli
