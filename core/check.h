// weft check: reads every record of the store and answers what is wrong
// with it, without changing anything.
#pragma once

#include "base/json.h"
#include "base/status.h"

namespace weft {

class Store;

// {"ok", "records", "damaged": [..], "index_problems": [..],
//  "digest_mismatches": [..], "unresolved_refs": N}. A record that fails
// its checksum or does not decode is damaged; a call index entry without
// its call, or a call without its entries, is an index problem; an object,
// row, table or file whose digest does not recompute is a mismatch. Refs
// inside objects that resolve nowhere are counted, not errors.
Result<Json> CheckStore(Store& store);

// Repairs what can be repaired, in one write transaction: records that
// fail their checksum or do not decode are dropped, and the call indexes
// are rebuilt from the call records. Answers the report of a check after.
// The caller backs the store up first.
Result<Json> RepairStore(Store& store);

}  // namespace weft
