// Weave's digests (docs/semantics.md#digests): SHA-256 in Weave's base64 variant for
// objects, rows and files; lowercase hex for tables.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"

namespace weft {

// SHA-256 of the bytes, URL-safe base64 with '-'->'X', '_'->'Y', no '='.
std::string BytesDigest(std::string_view bytes);

// Digest of an object or table row: BytesDigest(PythonDumps(v)).
std::string ValueDigest(const Json& v);

// Lowercase hex SHA-256 of the bytes (the table digest over the
// concatenated row digests).
std::string HexDigest(std::string_view bytes);

// A client's expected_digest against ours, as Weave's DigestMismatchError
// words it: "<at>: client <what> digest E != server digest A".
Status CheckExpectedDigest(const std::optional<std::string>& expected, const std::string& actual,
                           const std::string& at, const std::string& what);

}  // namespace weft
