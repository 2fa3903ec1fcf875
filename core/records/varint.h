// Varints and the reader of length-prefixed fields shared by the binary
// records (core/records/FORMAT.md): calls and call roll-ups.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace weft {

// Appends v in 7-bit groups, low first.
inline void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// Reads varints, length-prefixed strings and big-endian numbers in turn;
// after a read past the end ok() is false and every later read answers 0.
class RecordReader {
 public:
  explicit RecordReader(std::string_view b) : b_(b) {}
  bool ok() const { return ok_; }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) return Bad();
      unsigned char c = b_[pos_++];
      v |= static_cast<uint64_t>(c & 0x7F) << shift;
      if (!(c & 0x80)) return v;
    }
    return Bad();
  }
  std::string_view Str() {
    uint64_t n = Varint();
    if (!ok_ || n > b_.size() - pos_) return Bad(), std::string_view();
    std::string_view s = b_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint64_t Fixed64() {
    if (b_.size() - pos_ < 8) return Bad();
    uint64_t v = DecodeBE(b_.substr(pos_, 8));
    pos_ += 8;
    return v;
  }

 private:
  uint64_t Bad() {
    ok_ = false;
    pos_ = b_.size();
    return 0;
  }
  std::string_view b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace weft
