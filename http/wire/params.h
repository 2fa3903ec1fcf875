// Header values of the form `value; name=param; name="quoted param"`
// (RFC 9110 §5.6.6), as Content-Type and Content-Disposition carry them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace weft::http {

struct ParamHeader {
  std::string value;  // lower-cased: "multipart/form-data", "form-data"
  std::vector<std::pair<std::string, std::string>> params;  // names lower-cased, values unquoted

  // The first parameter of that (lower-case) name, or nullptr.
  const std::string* Param(std::string_view name) const;
};

// Parses a parameterised header value; quoted strings may hold escaped
// characters (`\"`). A malformed one is an error naming `what`.
Result<ParamHeader> ParseParamHeader(std::string_view text, std::string_view what);

// ASCII lower case.
std::string Lower(std::string_view s);

// Whether c may appear in an HTTP token (RFC 9110 §5.6.2).
bool IsTokenChar(char c);

}  // namespace weft::http
