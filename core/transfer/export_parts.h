// What the exports share inside core/transfer (export.cc, export_trace.cc,
// push_calls.cc, and the OTLP export): the records of files and tables, and
// calls read a page at a time. The public side is core/api/export.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"
#include "core/api/context.h"
#include "core/calls/call_record.h"
#include "store/txn.h"

namespace weft {

// The export records of one file, and of one table with its rows (nullopt
// for a table the project does not hold): Export and ExportTrace write both.
std::string FileRecord(const std::string& project, std::string_view digest, std::string_view bytes);
Result<std::optional<Json>> TableRecord(Txn& txn, const std::string& project,
                                        const std::string& digest);

// Started, undeleted calls of a project in start order (or by trace, each
// trace's calls together in start order), a page at a time, each page read
// in a transaction of its own.
struct CallsPage {
  std::vector<CallRecord> calls;
  std::string next;  // where the next page starts; empty when this was the last
};
enum class CallsOrder { kByStart, kByTrace };
// Only calls started at `since` or later; pass the page's `next` for the next.
Result<CallsPage> ReadCallsPage(Context& ctx, const std::string& project,
                                std::optional<Micros> since, const std::string& from, size_t limit,
                                CallsOrder order = CallsOrder::kByStart);

}  // namespace weft
