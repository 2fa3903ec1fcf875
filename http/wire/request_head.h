// An HTTP/1.1 request head (request line and header fields, RFC 9112),
// read strictly: every form that two parsers could frame differently
// (request smuggling material behind a proxy) is refused rather than
// guessed at (docs/http-api.md#transport).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace weft::http {

// Limits of a head; past them the request is refused (431).
inline constexpr size_t kMaxHeadBytes = 64 * 1024;
inline constexpr size_t kMaxHeaderFields = 100;

enum class BodyFraming { kNone, kLength, kChunked };

struct RequestHead {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/calls/query?x=1"
  std::string path;    // the target without its query
  std::string query;   // after '?', or ""
  bool http10 = false;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;  // with kLength
  bool keep_alive = true;
  bool expect_continue = false;

  // The value of the header of that (lower-case) name, or "" when absent.
  std::string_view Header(std::string_view name) const;
  bool Has(std::string_view name) const;
};

// The length of the head at the start of buf, its blank line included, or
// 0 while it is incomplete.
size_t HeadLength(std::string_view buf);

// Parses a complete head (HeadLength bytes). Errors are kInvalid with a
// message for the 400 answer.
Result<RequestHead> ParseRequestHead(std::string_view head);

}  // namespace weft::http
