// weft pull (docs/transfer.md#pull): the calls a server matches, and every
// object, op, table, file and feedback row they refer to, loaded into the
// store with refs rewritten for the local project.
#pragma once

#include "core/api/context.h"
#include "remote/client.h"
#include "remote/job.h"

namespace weft::remote {

// Prints progress on a terminal and the summary line at the end.
Status Pull(const Job& job, Context& ctx, const ClientOptions& opts);

}  // namespace weft::remote
