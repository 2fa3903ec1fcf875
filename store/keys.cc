// Sub-database names and big-endian integer encoding for keys.
#include "store/keys.h"

#include <cstring>

namespace weft {

const char* DbName(Db db) {
  static constexpr const char* kNames[kDbCount] = {
      "meta", "projects", "objects", "obj_versions", "rows", "tables", "files",
      "calls", "calls_by_start", "calls_by_trace", "calls_by_parent", "calls_by_op", "feedback"};
  return kNames[static_cast<int>(db)];
}

std::string EncodeBE(uint64_t v, int width) {
  std::string b(width, '\0');
  for (int i = width - 1; i >= 0; --i, v >>= 8) b[i] = static_cast<char>(v & 0xFF);
  return b;
}

uint64_t DecodeBE(std::string_view b) {
  if (b.size() >= 8) {
    uint64_t v;
    std::memcpy(&v, b.data(), 8);
    return __builtin_bswap64(v);  // x86 and arm64 Linux are little-endian
  }
  uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

Key& Key::AddU32(uint32_t v) {
  s_ += '\0';
  s_ += EncodeBE(v, 4);
  return *this;
}

Key& Key::AddU64(uint64_t v) {
  s_ += '\0';
  s_ += EncodeBE(v, 8);
  return *this;
}

}  // namespace weft
