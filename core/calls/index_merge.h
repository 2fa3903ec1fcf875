// Key ranges of one call index walked as one, in (time, id) order: a
// trace's calls among many traces, an op's versions, calls_by_latency's
// time buckets (store/FORMAT.md#format-3), or one range newest first. Each
// range is already in that order, so a heap of their next entries hands
// them on lazily and a page stops early.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "store/txn.h"

namespace weft {

// The entries of one index value (prefix), from first on and before end
// ("" for unbounded), as Txn::KeyRange. `lead`, when known, is the time of
// the entry the range's walk starts with: the merge opens the range only
// once it gets there.
struct IndexRange {
  std::string prefix, first, end;
  std::optional<int64_t> lead;
};

using IdSink = std::function<Result<bool>(std::string_view id)>;

// Hands fn the ids of every range's entries by their time field (a start
// or end time, or a latency), descending when asked, ids ascending within
// a time, until fn answers false. The ranges must not share an entry.
Status MergeRanges(Txn& txn, Db db, const std::vector<IndexRange>& ranges, bool descending,
                   const IdSink& fn);

// The prefixes of the values of an index that start with value_start (a
// prefix that ends inside the value part, as keys::OpNameStartPrefix).
Result<std::vector<std::string>> ValuePrefixes(Txn& txn, Db db, std::string_view value_start);

// The ranges of calls_by_latency's buckets that may hold calls started within
// [from, to) (callers check the start times at the edges), each with its
// lead for a walk in this direction.
Result<std::vector<IndexRange>> LatencyBuckets(Txn& txn, const std::string& project, Micros from,
                                               Micros to, bool descending);

}  // namespace weft
