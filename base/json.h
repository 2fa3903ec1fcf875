// JSON values: strict parsing of request text, and the Python
// json.dumps(sort_keys=True) text that Weave hashes (docs/semantics.md#digests).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace weft {

// Objects are std::map: keys are kept sorted by UTF-8 bytes, which is
// code-point order, the order Python's sort_keys gives.
using Json = nlohmann::json;

// Parses JSON text. Integers beyond 64 bits and floats beyond double range
// are rejected rather than silently changed. `what` names the input in the
// error message ("--json", "--inputs", ...).
Result<Json> ParseJson(std::string_view text, std::string_view what);

// Python's json.dumps(v, sort_keys=True): ", " and ": " separators,
// ensure_ascii escapes, float repr, integers exactly.
std::string PythonDumps(const Json& v);

// Python's repr() of a finite double: shortest round-trip digits,
// positional for exponents -4..15, else d.ddde+XX.
std::string PythonFloatRepr(double d);

// Compact JSON for output and storage (UTF-8, floats as PythonFloatRepr).
std::string CompactDumps(const Json& v);

}  // namespace weft
