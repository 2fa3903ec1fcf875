// A response body written in full before it is sent: in memory up to a
// few MiB, then in an unlinked temporary file. calls/stream_query writes
// into one inside its read transaction, so the transaction ends at the
// store's speed, never at the client's (docs/http-api.md#threads-and-the-store).
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace weft::http {

class Spool {
 public:
  Spool() = default;
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool();

  // Appends bytes; false when the temporary file cannot take them.
  bool Write(std::string_view bytes);
  size_t size() const { return size_; }

  // Hands the body to `send` a piece at a time; stops at the first false.
  bool ForEachPiece(const std::function<bool(std::string_view)>& send);

 private:
  static constexpr size_t kInMemory = size_t{4} << 20;
  std::string memory_;
  std::FILE* file_ = nullptr;
  size_t size_ = 0;
};

}  // namespace weft::http
