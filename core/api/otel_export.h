// Storing OTLP spans as calls (docs/otel.md): the otel_export method, and
// the same for a request a front end decoded itself (weft serve's
// /otel/v1/traces, weft otlp import).
#pragma once

#include "core/api/context.h"
#include "core/api/otlp.h"

namespace weft {

struct OtelOutcome {
  size_t spans = 0;
  int64_t rejected = 0;
  std::string message;  // names each rejected span (the first 20)
};

// Spans go to the project their resource names (wandb.entity and
// wandb.project), else default_project; a span that cannot be stored is
// rejected and counted, the others are written in one transaction.
Result<OtelOutcome> ExportSpans(const OtelRequest& request, const std::string& default_project,
                                Context& ctx);

}  // namespace weft
