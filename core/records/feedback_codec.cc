// Feedback records (FORMAT.md#feedback): the row as compact JSON.
#include "core/records/records.h"

namespace weft {

std::string EncodeFeedback(const Json& row) { return CompactDumps(row); }

Result<Json> DecodeFeedback(std::string_view value) { return ParseJson(value, "stored feedback"); }

}  // namespace weft
