// Counts for people: 12345 -> "12,345" (summary lines, the tree's usage).
#pragma once

#include <string>

namespace weft {

inline std::string Grouped(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace weft
