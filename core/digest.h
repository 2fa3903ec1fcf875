// Weave's digests (docs/semantics.md#digests): SHA-256 in Weave's base64 variant for
// objects, rows and files; lowercase hex for tables.
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"

namespace weft {

// SHA-256 of the bytes, URL-safe base64 with '-'->'X', '_'->'Y', no '='.
std::string BytesDigest(std::string_view bytes);

// Digest of an object or table row: BytesDigest(PythonDumps(v)).
std::string ValueDigest(const Json& v);

// Lowercase hex SHA-256 of the bytes (the table digest over the
// concatenated row digests).
std::string HexDigest(std::string_view bytes);

}  // namespace weft
