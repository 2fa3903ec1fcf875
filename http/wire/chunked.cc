// Incremental decoding of chunked request bodies (RFC 9112 §7.1).
#include "http/wire/chunked.h"

#include <algorithm>

#include "base/percent.h"

namespace weft::http {
namespace {

constexpr size_t kMaxLine = 4096;  // a chunk-size line or a trailer field

// chunk-size [ chunk-ext ]: hex digits, then nothing or ';' extensions
// (or whitespace before them, which RFC 9112 calls BWS).
Result<uint64_t> ChunkSize(std::string_view line) {
  size_t i = 0;
  uint64_t n = 0;
  for (; i < line.size() && HexValue(line[i]) >= 0; ++i) {
    if (i == 15) return Invalid("chunked body: a chunk size over 15 hex digits");
    n = n * 16 + static_cast<uint64_t>(HexValue(line[i]));
  }
  if (i == 0) return Invalid("chunked body: a malformed chunk size");
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && line[i] != ';') return Invalid("chunked body: a malformed chunk size");
  for (; i < line.size(); ++i)
    if (static_cast<unsigned char>(line[i]) < 0x20 && line[i] != '\t')
      return Invalid("chunked body: a control character in a chunk extension");
  return n;
}

}  // namespace

Result<size_t> ChunkedDecoder::Feed(std::string_view in, std::string& out) {
  size_t at = 0;
  while (at < in.size() && state_ != State::kDone) {
    if (state_ == State::kData) {
      size_t take = static_cast<size_t>(std::min<uint64_t>(left_, in.size() - at));
      out.append(in.data() + at, take);
      at += take;
      left_ -= take;
      if (left_ == 0) state_ = State::kDataEnd;
      continue;
    }
    if (state_ == State::kDataEnd) {
      if (in.size() - at < 2) break;
      if (in.compare(at, 2, "\r\n") != 0)
        return Invalid("chunked body: a chunk not followed by CRLF");
      at += 2;
      state_ = State::kSize;
      continue;
    }
    size_t eol = in.find("\r\n", at);
    if (eol == std::string_view::npos) {
      if (in.size() - at > kMaxLine) return Invalid("chunked body: a line over 4 KiB");
      break;
    }
    std::string_view line = in.substr(at, eol - at);
    if (line.size() > kMaxLine || line.find('\n') != std::string_view::npos)
      return Invalid("chunked body: a malformed line");
    at = eol + 2;
    if (state_ == State::kSize) {
      WEFT_ASSIGN(left_, ChunkSize(line));
      state_ = left_ == 0 ? State::kTrailer : State::kData;
    } else if (line.empty()) {  // kTrailer: the blank line ends the body
      state_ = State::kDone;
    } else {
      trailer_bytes_ += line.size();
      if (trailer_bytes_ > kMaxLine * 4) return Invalid("chunked body: trailer fields over 16 KiB");
      size_t colon = line.find(':');
      if (colon == 0 || colon == std::string_view::npos)
        return Invalid("chunked body: a malformed trailer field");
    }
  }
  return at;
}

}  // namespace weft::http
