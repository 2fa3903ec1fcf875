// The chunked transfer coding of request bodies (RFC 9112 §7.1), decoded
// as bytes arrive. Chunk extensions and trailer fields are read and
// dropped; a malformed chunk size or a missing CRLF is an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace weft::http {

class ChunkedDecoder {
 public:
  // Decodes what it can of `in`, appending data to `out`; answers how
  // many bytes of `in` it used (the rest waits for more input, or, once
  // done(), belongs to the next request on the connection).
  Result<size_t> Feed(std::string_view in, std::string& out);
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kSize, kData, kDataEnd, kTrailer, kDone };
  State state_ = State::kSize;
  uint64_t left_ = 0;         // bytes of the current chunk still to come
  size_t trailer_bytes_ = 0;  // read of the trailer section so far
};

}  // namespace weft::http
