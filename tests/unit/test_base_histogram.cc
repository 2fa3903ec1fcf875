// Latency histograms: exact buckets below 512 ms, within 1/256 above;
// quantiles as base/quantile.h computes them on exact values; sums and
// differences exact.
#include <doctest/doctest.h>

#include "base/histogram.h"
#include "base/quantile.h"

using namespace weft;

TEST_CASE("a histogram's buckets are exact below 512 ms and within 1/256 above") {
  for (int64_t v : {0, 1, 7, 511}) CHECK(Histogram::Bucket(v) == v);
  CHECK(Histogram::Bucket(512) == 512);
  CHECK(Histogram::Bucket(513) == 512);  // 512..1023 in steps of 2
  CHECK(Histogram::Bucket(1500) == 1500);
  CHECK(Histogram::Bucket(1501) == 1500);
  CHECK(Histogram::Bucket(-3) == -3);
  CHECK(Histogram::Bucket(-1501) == -1500);
  for (int64_t v = 1; v < (int64_t{1} << 40); v = v * 3 + 1) {
    int64_t b = Histogram::Bucket(v);
    CHECK(b <= v);
    CHECK(static_cast<double>(v - b) / static_cast<double>(v) < 1.0 / 256);
    CHECK(Histogram::Bucket(b) == b);
  }
  CHECK(Histogram::Bucket(INT64_MAX) <= INT64_MAX);
}

TEST_CASE("quantiles of exact values are base/quantile.h's; sums and differences are exact") {
  std::vector<double> values = {10, 20, 20, 35, 400, 3, 0};
  Histogram h;
  for (double v : values) h.Add(static_cast<int64_t>(v));
  for (double q : {0.0, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0})
    CHECK(h.Quantile(q) == Quantile(values, q));
  CHECK(Histogram().Quantile(0.5).is_null());
  CHECK(h.total() == 7);

  Histogram other;
  other.Add(20);
  other.Add(9000);
  Histogram sum = h;
  sum.Merge(other);
  CHECK(sum.total() == 9);
  sum.Merge(other, -1);
  CHECK(sum == h);
  sum.Merge(h, -1);
  CHECK(sum.empty());
  CHECK(sum.total() == 0);
  h.Add(35, -1);
  CHECK(h.total() == 6);
  CHECK(h.buckets().size() == 5);  // 35's bucket went with its last count
}
