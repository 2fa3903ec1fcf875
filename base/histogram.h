// Latency histograms: counts per bucket of milliseconds, exact below 512 ms
// and within 1/256 (0.4%) above, so that per-hour roll-ups of millions of
// calls stay small and still give percentiles (docs/semantics.md#call-statistics).
// Sums and differences of histograms are exact: a call counted in and out
// again leaves no trace.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/json.h"

namespace weft {

class Histogram {
 public:
  // The bucket v falls in, named by its lowest value (its sign kept).
  static int64_t Bucket(int64_t v);

  // Counts n more (or, negative, fewer) of v; a bucket that reaches 0 goes.
  void Add(int64_t v, int64_t n = 1);
  // Adds (sign 1) or takes away (sign -1) every count of other.
  void Merge(const Histogram& other, int64_t sign = 1);

  int64_t total() const { return total_; }
  bool empty() const { return buckets_.empty(); }
  // (bucket, count), buckets ascending.
  const std::vector<std::pair<int64_t, int64_t>>& buckets() const { return buckets_; }
  bool operator==(const Histogram& o) const { return buckets_ == o.buckets_; }

  // The q-quantile (0 <= q <= 1) by linear interpolation between the
  // closest ranks, each read as its bucket's value (base/quantile.h's rule),
  // or null when empty.
  Json Quantile(double q) const;

 private:
  std::vector<std::pair<int64_t, int64_t>> buckets_;
  int64_t total_ = 0;
};

}  // namespace weft
