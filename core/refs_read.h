// Reading the value behind a ref, as refs_read_batch and calls_query's
// expand_columns do.
#pragma once

#include "base/json.h"
#include "core/refs.h"
#include "store/txn.h"

namespace weft {

// The value an object or op ref (with its extra path) points at; null when
// the object, key, index or row is missing.
Result<Json> ResolveRef(Txn& txn, const Ref& ref);

}  // namespace weft
