// JSON values: strict parsing of request text, and the Python
// json.dumps(sort_keys=True) text that Weave hashes (docs/semantics.md#digests).
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace weft {

// Objects are std::map: keys are kept sorted by UTF-8 bytes, which is
// code-point order, the order Python's sort_keys gives.
using Json = nlohmann::json;

// How deep arrays and objects may nest in a request (Weave's own Python
// server gives out near 1,000 levels); deeper is an invalid request, so no
// recursive walk of a value (digest, print, store) can overflow the stack.
inline constexpr size_t kMaxJsonDepth = 1000;

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
// Python's int(v) for a JSON value (an integer, a float truncated, a bool,
// a string of digits), 0 where Python's would fail or v is null.
int64_t PythonInt(const Json& v);

std::string CompactDumps(const Json& v);

// Whether text is exactly what CompactDumps writes for the value it holds.
// Conservative: false may only mean "not sure" (an escape other than the
// usual ones, an exponent, nesting past 64 levels), never the reverse.
bool IsCompactDumps(std::string_view text);

// CompactDumps of the value JSON text holds: the text itself when
// IsCompactDumps, else parsed and written again (unparseable text as it is).
std::string CanonicalText(std::string_view text);
// The same appended to out (no copy made of text that is canonical).
void AppendCanonical(std::string& out, std::string_view text);

// v written to out as CompactDumps (indent < 0) or dump(indent) would
// write it, without building the text first (answers may be 100 MB).
void DumpTo(std::FILE* out, const Json& v, int indent = -1);

// A string as CompactDumps writes it (quoted; `"`, `\` and control
// characters escaped), appended to out. The string must be valid UTF-8.
void AppendJsonString(std::string& out, std::string_view s);
// `"key":json` appended to the text of an object being written (a comma
// first unless it is just opened).
void AppendMember(std::string& object, std::string_view key, std::string_view json);

}  // namespace weft
