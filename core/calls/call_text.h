// A stored call written straight to JSON text, its JSON columns (inputs,
// attributes, output) spliced in as stored rather than parsed and printed
// again (export's, when IsCompactDumps finds them canonical): weft
// export's call records, and weft push's upsert_batch items.
// docs/transfer.md says what the records hold.
#pragma once

#include <string>

#include "core/calls/call_record.h"

namespace weft {

class RefMap;  // core/api/ref_map.h

// The CallSchema of a started call, as calls_query_stream answers it (the
// same text as CompactDumps(CallSchema(c, project, columns))), appended to
// out; with_dump adds otel_dump when the call has one (weft export's
// records).
void AppendCallSchemaText(std::string& out, const CallRecord& c, const std::string& project,
                          bool with_dump, const std::vector<std::string>* columns = nullptr);

// The upsert_batch items of a call for another server: its start (with the
// display name it has now), and its end when it has ended, comma-separated;
// refs are rewritten through map and the project is map.to().
std::string StartItemText(const CallRecord& c, const RefMap& map);
std::string EndItemText(const CallRecord& c, const RefMap& map);

}  // namespace weft
