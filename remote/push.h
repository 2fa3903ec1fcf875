// weft push (docs/transfer.md#push): a project's records, in dependency
// order, to a Weave trace server, sending only what the sync state says the
// destination lacks, and recording each item once the server acknowledged it.
#pragma once

#include "core/api/context.h"
#include "remote/client.h"
#include "remote/job.h"

namespace weft::remote {

// Prints progress on a terminal and the summary line at the end.
Status Push(const Job& job, Context& ctx, const ClientOptions& opts);

}  // namespace weft::remote
