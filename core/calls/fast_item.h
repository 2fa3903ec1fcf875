// A fast reader for the usual shape of bulk-ingest items (and of weft
// export's call records), on JsonCursor:
// {"mode": "start"|"end", "req": {"start"|"end": {...}}} with only known
// fields of the right types and no refs in the values. It answers nothing
// for anything else, and the general reader (which explains problems and
// warns about unknown fields) takes over, so both readers agree on every
// item the fast one accepts.
#pragma once

#include <optional>
#include <string_view>

#include "core/calls/calls.h"

namespace weft {

// Thread-safe.
std::optional<CallPart> ReadItemFast(std::string_view line, const Context& ctx);

// The same for a weft export's call record, {"call": CallSchema} (as
// AppendCallSchemaText writes it): its start part and, when it has ended,
// its end part, as ReadCallSchema reads them, for weft import.
std::optional<std::vector<CallPart>> ReadCallRecordFast(std::string_view line, const Context& ctx);

}  // namespace weft
