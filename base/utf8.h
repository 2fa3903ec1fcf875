// UTF-8 text: counting characters (code points), as Python's len() does.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace weft {

// The number of code points in UTF-8 text.
inline size_t CountCodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace weft
