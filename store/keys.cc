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

namespace {

constexpr char kBinaryId = '\x01';  // ids never hold control characters
constexpr char kHex[] = "0123456789abcdef";

int Nibble(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

bool IsUuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i)
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? id[i] != '-' : Nibble(id[i]) < 0) return false;
  return true;
}

}  // namespace

Key& Key::AddId(std::string_view id) {
  if (!IsUuid(id)) return Add(id);
  s_ += '\0';
  s_ += kBinaryId;
  for (size_t i = 0; i < 36; i += 2) {
    if (id[i] == '-') ++i;
    s_ += static_cast<char>(Nibble(id[i]) << 4 | Nibble(id[i + 1]));
  }
  return *this;
}

std::string DecodeId(std::string_view b) {
  if (b.size() != 17 || b[0] != kBinaryId) return std::string(b);
  std::string id;
  for (size_t i = 1; i < 17; ++i) {
    if (i == 5 || i == 7 || i == 9 || i == 11) id += '-';
    id += kHex[static_cast<unsigned char>(b[i]) >> 4];
    id += kHex[static_cast<unsigned char>(b[i]) & 15];
  }
  return id;
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
