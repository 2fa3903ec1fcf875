// weft export's records (docs/transfer.md#the-export-format): one project,
// or every project of the store, as a stream of self-describing JSON
// records in dependency order — files, tables, objects and ops (oldest
// first), calls (by start), feedback (by creation). weft push sends the
// same stream to a Weave server.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"
#include "core/api/context.h"

namespace weft {

// The format version in the header line; a reader refuses a newer one.
inline constexpr int kExportFormat = 1;

// The first line of an export: {"weft_export": kExportFormat}.
Json ExportHeader();

struct ExportOptions {
  std::optional<std::string> project;  // every project when unset
  std::optional<Micros> since;         // only calls started and feedback created from then on
};

// Each record is {"file"|"table"|"object"|"call"|"feedback": {...}}, as
// compact JSON text (no newline); emit answers false to stop early.
using RecordSink = std::function<bool(std::string_view record)>;
Status Export(Context& ctx, const ExportOptions& opts, const RecordSink& emit);

// One trace of a project with the objects, ops, tables and files its calls
// refer to (refs inside those followed) and the feedback on any of them,
// each record after what it refers to; NotFound for a trace without calls.
Status ExportTrace(Context& ctx, const std::string& project, const std::string& trace,
                   const RecordSink& emit);

// What Export writes but the calls: files, tables, objects, feedback.
Status ExportAllButCalls(Context& ctx, const std::string& project, const ExportOptions& opts,
                         const RecordSink& emit);

// Of the given call ids of a project, those that are deleted or missing
// (weft push deletes them at the destination).
Result<std::vector<std::string>> GoneCalls(Context& ctx, const std::string& project,
                                           const std::vector<std::string>& ids);

// Every project that holds anything, in order.
Result<std::vector<std::string>> ListProjects(Context& ctx);

}  // namespace weft
