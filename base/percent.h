// Percent-encoding (RFC 3986) as Python's urllib.parse quotes and unquotes
// it: for refs (core/refs.cc), URLs weft prints, and RFC 8187 filenames.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace weft {

// The value of a hex digit, or -1.
inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// urllib.parse.quote(s, safe): every byte but letters, digits, "_.-~" and
// those of `safe` as %XX.
inline std::string PercentEncode(std::string_view s, std::string_view safe = "") {
  std::string out;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '.' || c == '-' || c == '~' ||
                 safe.find(ch) != std::string_view::npos;
    if (plain) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// urllib.parse.unquote: valid escapes decoded, invalid ones kept as they are.
inline std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace weft
