// Standard base64 (RFC 4648, with padding): file bytes in export records,
// Basic auth headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace weft {

std::string Base64Encode(std::string_view bytes);
// nullopt when text is not padded base64 of the standard alphabet.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace weft
