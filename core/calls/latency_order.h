// Calls in order of latency, from the calls_by_latency index, whose
// entries are grouped by the hour a call started in (store/FORMAT.md#format-3):
// the hours are merged, so a sort by latency stops at its page.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "store/txn.h"

namespace weft {

// Hands fn the ids of the project's ended calls that started within
// [from, to) (give or take the hours at its edges: callers check), by
// latency, descending or not, ties by id ascending, until fn answers false.
Status WalkByLatency(Txn& txn, const std::string& project, bool descending, Micros from,
                     Micros to, const std::function<Result<bool>(std::string_view id)>& fn);

}  // namespace weft
