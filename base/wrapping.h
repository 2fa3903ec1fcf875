// Two's-complement sums that wrap instead of overflowing (undefined in
// C++): counts and token totals summed from what clients send stay exact
// under adding and taking away again, and a damaged record cannot make a
// reader misbehave.
#pragma once

#include <cstdint>

namespace weft {

inline int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

inline int64_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

}  // namespace weft
