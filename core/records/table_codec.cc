// Table records (FORMAT.md#tables): the row digests in table order,
// concatenated, kRowDigestLength bytes each.
#include "core/records/records.h"

namespace weft {

std::string EncodeTable(const std::vector<std::string>& row_digests) {
  std::string joined;
  for (const auto& d : row_digests) joined += d;
  return joined;
}

std::vector<std::string> DecodeTable(std::string_view value) {
  std::vector<std::string> rows;
  for (size_t i = 0; i + kRowDigestLength <= value.size(); i += kRowDigestLength)
    rows.emplace_back(value.substr(i, kRowDigestLength));
  return rows;
}

}  // namespace weft
