// Big-endian integers in byte strings: they sort as the numbers do, so keys
// and records use them for times and counters.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace weft {

// The last `width` bytes of v, big-endian, appended to out.
inline void AppendBE(std::string& out, uint64_t v, int width) {
  char b[8];
  for (int i = width - 1; i >= 0; --i, v >>= 8) b[i] = static_cast<char>(v & 0xFF);
  out.append(b, width);
}

// The last `width` bytes of v, big-endian.
inline std::string EncodeBE(uint64_t v, int width) {
  std::string b;
  AppendBE(b, v, width);
  return b;
}

// A big-endian number of up to 8 bytes.
inline uint64_t DecodeBE(std::string_view b) {
  if (b.size() >= 8) {
    uint64_t v;
    std::memcpy(&v, b.data(), 8);
    return __builtin_bswap64(v);  // x86 and arm64 Linux are little-endian
  }
  uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

}  // namespace weft
