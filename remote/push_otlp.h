// weft push --otlp (docs/otel.md#push-to-an-otel-backend): a project's calls
// as OTLP/HTTP protobuf, gzip-compressed, to any OpenTelemetry backend,
// sending only spans the sync state says the destination lacks.
#pragma once

#include "core/api/context.h"
#include "remote/client.h"
#include "remote/job.h"

namespace weft::remote {

// Prints progress on a terminal and the summary line at the end.
Status PushOtlp(const Job& job, Context& ctx, const ClientOptions& opts);

}  // namespace weft::remote
