// Quantiles of a sample, by linear interpolation between the closest ranks
// (numpy's default): thread turn durations, call latency percentiles.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/json.h"

namespace weft {

// The q-quantile of v (0 <= q <= 1), or null for an empty sample.
inline Json Quantile(std::vector<double> v, double q) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  double at = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(at)), hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (at - static_cast<double>(lo));
}

}  // namespace weft
