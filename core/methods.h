// The method implementations, one group per file; method_table.cc gives
// each its row. Inside core, methods call each other directly.
#pragma once

#include "core/api/context.h"
#include "store/store.h"

namespace weft {

// core/objects.cc
Result<Json> ObjCreate(const Json& req, Context& ctx);
Result<Json> ObjRead(const Json& req, Context& ctx);
Result<Json> ObjsQuery(const Json& req, Context& ctx);
Result<Json> ObjDelete(const Json& req, Context& ctx);
Result<Json> OpCreate(const Json& req, Context& ctx);
Result<Json> OpRead(const Json& req, Context& ctx);
Result<Json> OpsQuery(const Json& req, Context& ctx);

// core/calls/calls.cc
Result<Json> CallStart(const Json& req, Context& ctx);
Result<Json> CallEnd(const Json& req, Context& ctx);
Result<Json> CallRead(const Json& req, Context& ctx);
Result<Json> CallUpdate(const Json& req, Context& ctx);
Result<Json> CallsDelete(const Json& req, Context& ctx);

// core/calls/call_batch.cc
Result<Json> CallUpsertBatch(const Json& req, Context& ctx);
// call_upsert_batch from its request's JSON text, the largest request an
// SDK sends: items are parsed one at a time, so that memory stays near the
// text's size; answers and errors are CallUpsertBatch's.
Status CallUpsertBatchText(std::string_view text, Context& ctx, std::string& out);
Result<Json> CallsImport(const Json& req, Context& ctx);
// calls_complete (the v2 write path): {"batch": [a call with its start and
// end fields, ended]}, all in one transaction; answers {}.
Result<Json> CallsComplete(const Json& req, Context& ctx);

// core/calls/calls_query.cc
Result<Json> CallsQuery(const Json& req, Context& ctx);
// calls_query's answer appended to out as CompactDumps writes it, each call
// from its stored text when the request asks for nothing else (call_text.h).
Status CallsQueryText(const Json& req, Context& ctx, std::string& out);
Result<Json> CallsQueryStats(const Json& req, Context& ctx);
Result<Json> CallsQueryStream(const Json& req, Context& ctx);

// core/otel/otel_export.cc: {"project_id", "traces": an ExportTraceServiceRequest in
// OTLP JSON} (or, without traces, such requests a line each from Context::input);
// answers {"partial_success": null or {rejected_spans, error_message}, "spans": N}.
Result<Json> OtelExport(const Json& req, Context& ctx);

// core/calls/usage.cc: each call's LLM usage with its descendants'
// (docs/semantics.md#usage): {"call_usage": {call id: {model: usage}}}.
Result<Json> TraceUsage(const Json& req, Context& ctx);
Result<Json> CallsUsage(const Json& req, Context& ctx);

// core/calls/summary.cc: weft's own aggregate of calls (docs/semantics.md#call-statistics).
Result<Json> CallsSummary(const Json& req, Context& ctx);
Result<Json> CallsDiff(const Json& req, Context& ctx);
Result<Json> EvaluationsCompare(const Json& req, Context& ctx);
Result<Json> CallStats(const Json& req, Context& ctx);
Result<Json> ProjectDelete(const Json& req, Context& ctx);
Result<Json> ProjectRename(const Json& req, Context& ctx);

// core/calls/evaluation_status.cc
Result<Json> EvaluationStatus(const Json& req, Context& ctx);

// core/calls/threads.cc
Result<Json> ThreadsQueryStream(const Json& req, Context& ctx);

// core/feedback.cc
Result<Json> FeedbackCreate(const Json& req, Context& ctx);
Result<Json> FeedbackCreateBatch(const Json& req, Context& ctx);
Result<Json> FeedbackReplace(const Json& req, Context& ctx);
Result<Json> FeedbackQuery(const Json& req, Context& ctx);
Result<Json> FeedbackPurge(const Json& req, Context& ctx);

// core/tables.cc
Result<Json> TableCreate(const Json& req, Context& ctx);
Result<Json> TableUpdate(const Json& req, Context& ctx);
Result<Json> TableQuery(const Json& req, Context& ctx);
Result<Json> TableQueryStream(const Json& req, Context& ctx);
Result<Json> TableCreateFromDigests(const Json& req, Context& ctx);
Result<Json> TableQueryStats(const Json& req, Context& ctx);
Result<Json> TableQueryStatsBatch(const Json& req, Context& ctx);

// core/files.cc
Result<Json> FileCreate(const Json& req, Context& ctx);
Result<Json> FileContentRead(const Json& req, Context& ctx);

// core/refs_read.cc
Result<Json> RefsReadBatch(const Json& req, Context& ctx);

// core/costs/costs.cc
Result<Json> CostCreate(const Json& req, Context& ctx);
Result<Json> CostQuery(const Json& req, Context& ctx);
Result<Json> CostPurge(const Json& req, Context& ctx);
// {"project_id", "prices": a LiteLLM price file's object (or, without it,
// the file from Context::input), "effective_date"?}: the priced models as
// project prices; answers {"created", "unchanged", "skipped"}.
Result<Json> CostImport(const Json& req, Context& ctx);

// core/project.cc
Result<Json> EnsureProjectExists(const Json& req, Context& ctx);
Result<Json> ProjectStats(const Json& req, Context& ctx);
Result<Json> FilesStats(const Json& req, Context& ctx);

}  // namespace weft
