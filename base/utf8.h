// UTF-8 text: counting characters (code points), as Python's len() does.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weft {

// The number of code points in UTF-8 text.
inline size_t CountCodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The length of the well-formed UTF-8 sequence starting at s[i] (1 to 4),
// or 0 where there is none (overlong forms, surrogates, code points past
// U+10FFFF, or a sequence cut short).
inline size_t Utf8SequenceAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 4;
  if (n == 4 || i + n >= s.size() + (n == 0)) return 0;
  uint32_t cp = n == 0 ? c : c & (0x3F >> n);
  for (size_t k = 1; k <= n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (cc & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n + 1;
}

// Whether s is well-formed UTF-8, as JSON text must be.
inline bool ValidUtf8(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n)
    if (!(n = Utf8SequenceAt(s, i))) return false;
  return true;
}

// Whether s holds a control character (below U+0020, or DEL).
inline bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

}  // namespace weft
