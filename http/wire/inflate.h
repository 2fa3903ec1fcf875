// gzip and deflate request bodies (Content-Encoding), decoded with zlib
// under a limit on the decoded size and on the ratio, so that a few KB
// on the wire cannot become gigabytes in memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace weft::http {

// Past this many decoded bytes per encoded byte (after the first MiB) a
// body is refused as a compression bomb.
inline constexpr size_t kMaxInflateRatio = 200;

struct Inflated {
  std::string data;
  bool too_large = false;  // past max_out or the ratio: answered 413
};

// Decodes a gzip (or zlib) stream. Corrupt or truncated data is an error.
Result<Inflated> Inflate(std::string_view in, size_t max_out);

}  // namespace weft::http
