// Histogram's buckets, merges and quantiles (histogram.h).
#include "base/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "base/wrapping.h"

namespace weft {

int64_t Histogram::Bucket(int64_t v) {
  constexpr int kExactBits = 9;  // 0..511 exact; above, the top 8 bits after the leading one
  if (v < 0) return v == INT64_MIN ? v : -Bucket(-v);
  int width = std::bit_width(static_cast<uint64_t>(v));
  if (width <= kExactBits) return v;
  int drop = width - kExactBits;
  return (v >> drop) << drop;
}

void Histogram::Add(int64_t v, int64_t n) {
  int64_t b = Bucket(v);
  auto it = std::lower_bound(buckets_.begin(), buckets_.end(), std::pair{b, INT64_MIN});
  total_ = WrapAdd(total_, n);
  if (it != buckets_.end() && it->first == b) {
    if ((it->second = WrapAdd(it->second, n)) == 0) buckets_.erase(it);
  } else if (n != 0) {
    buckets_.insert(it, {b, n});
  }
}

void Histogram::Merge(const Histogram& other, int64_t sign) {
  if (other.empty()) return;
  std::vector<std::pair<int64_t, int64_t>> out;
  out.reserve(buckets_.size() + other.buckets_.size());
  auto a = buckets_.cbegin(), b = other.buckets_.cbegin();
  while (a != buckets_.cend() || b != other.buckets_.end()) {
    if (b == other.buckets_.end() || (a != buckets_.cend() && a->first < b->first)) {
      out.push_back(*a++);
    } else if (a == buckets_.cend() || b->first < a->first) {
      out.emplace_back(b->first, WrapMul(sign, b->second));
      ++b;
    } else {
      if (int64_t n = WrapAdd(a->second, WrapMul(sign, b->second))) out.emplace_back(a->first, n);
      ++a, ++b;
    }
  }
  buckets_ = std::move(out);
  total_ = WrapAdd(total_, WrapMul(sign, other.total_));
}

Json Histogram::Quantile(double q) const {
  if (total_ <= 0) return nullptr;
  double at = q * static_cast<double>(total_ - 1);
  int64_t lo = static_cast<int64_t>(std::floor(at)), hi = std::min(lo + 1, total_ - 1);
  // The values at ranks lo and hi (0-based), walking the counts once.
  double lo_value = 0, hi_value = 0;
  int64_t seen = 0;
  for (const auto& [bucket, count] : buckets_) {
    int64_t next = WrapAdd(seen, count);
    if (seen <= lo && lo < next) lo_value = static_cast<double>(bucket);
    if (seen <= hi && hi < next) {
      hi_value = static_cast<double>(bucket);
      break;
    }
    seen = next;
  }
  return lo_value + (hi_value - lo_value) * (at - static_cast<double>(lo));
}

}  // namespace weft
