// Strict parsing of HTTP/1.1 request heads (RFC 9112 §2-§6).
#include "http/wire/request_head.h"

#include "http/wire/params.h"

namespace weft::http {
namespace {

bool IsFieldValueChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7F);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status ReadRequestLine(std::string_view line, RequestHead& head) {
  size_t sp1 = line.find(' '), sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    return Invalid("malformed request line");
  head.method = std::string(line.substr(0, sp1));
  head.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  std::string_view version = line.substr(sp2 + 1);
  for (char c : head.method)
    if (!IsTokenChar(c)) return Invalid("malformed request method");
  if (head.method.empty()) return Invalid("malformed request method");
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return Invalid("unsupported HTTP version");
  head.http10 = version == "HTTP/1.0";
  if (head.target.empty() || head.target[0] != '/')
    return Invalid("the request target must be a path");
  for (char c : head.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F)
      return Invalid("a control character in the request target");
  size_t q = head.target.find('?');
  head.path = head.target.substr(0, q);
  head.query = q == std::string::npos ? "" : head.target.substr(q + 1);
  return Status::OK();
}

Status ReadField(std::string_view line, RequestHead& head) {
  if (line.front() == ' ' || line.front() == '\t')
    return Invalid("folded header lines are not accepted");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return Invalid("a header line without a name");
  for (char c : line.substr(0, colon))  // no space before the colon either
    if (!IsTokenChar(c)) return Invalid("a malformed header name");
  std::string_view value = Trim(line.substr(colon + 1));
  for (char c : value)
    if (!IsFieldValueChar(c)) return Invalid("a control character in a header value");
  if (head.headers.size() == kMaxHeaderFields) return Invalid("more than 100 header fields");
  head.headers.emplace_back(Lower(line.substr(0, colon)), std::string(value));
  return Status::OK();
}

// How the body is framed: Content-Length alone, chunked alone, or none.
// Both at once, two lengths, a list, or another coding are refused.
Status ReadFraming(RequestHead& head) {
  int lengths = 0, encodings = 0;
  for (const auto& [name, value] : head.headers) {
    if (name == "content-length") {
      ++lengths;
      if (value.empty() || value.size() > 15) return Invalid("a malformed Content-Length");
      uint64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return Invalid("a malformed Content-Length");
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      head.content_length = n;
    } else if (name == "transfer-encoding") {
      ++encodings;
      if (Lower(value) != "chunked")
        return Invalid("Transfer-Encoding: only 'chunked' is accepted");
    }
  }
  if (lengths > 1) return Invalid("more than one Content-Length");
  if (encodings > 1) return Invalid("more than one Transfer-Encoding");
  if (lengths && encodings) return Invalid("both Content-Length and Transfer-Encoding");
  if (encodings && head.http10) return Invalid("Transfer-Encoding in an HTTP/1.0 request");
  head.framing = encodings ? BodyFraming::kChunked
                 : lengths ? BodyFraming::kLength
                           : BodyFraming::kNone;
  return Status::OK();
}

// Whether a comma-separated header value lists `token` (case-insensitive).
bool Lists(std::string_view value, std::string_view token) {
  std::string lower = Lower(value);
  size_t pos = 0;
  while (pos <= lower.size()) {
    size_t comma = std::min(lower.find(',', pos), lower.size());
    if (Trim(std::string_view(lower).substr(pos, comma - pos)) == token) return true;
    pos = comma + 1;
  }
  return false;
}

}  // namespace

std::string_view RequestHead::Header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return {};
}

bool RequestHead::Has(std::string_view name) const {
  for (const auto& entry : headers)
    if (entry.first == name) return true;
  return false;
}

size_t HeadLength(std::string_view buf) {
  size_t end = buf.find("\r\n\r\n");
  return end == std::string_view::npos ? 0 : end + 4;
}

Result<RequestHead> ParseRequestHead(std::string_view text) {
  RequestHead head;
  if (text.size() > kMaxHeadBytes) return Invalid("the request head is larger than 64 KiB");
  size_t eol = text.find("\r\n");
  WEFT_TRY(ReadRequestLine(text.substr(0, eol), head));
  for (size_t at = eol + 2; at < text.size();) {
    size_t next = text.find("\r\n", at);
    if (next == at) break;  // the blank line
    std::string_view line = text.substr(at, next - at);
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos)
      return Invalid("a bare CR or LF in the request head");
    WEFT_TRY(ReadField(line, head));
    at = next + 2;
  }
  int hosts = 0;
  for (const auto& entry : head.headers) hosts += entry.first == "host";
  if (hosts > 1 || (hosts == 0 && !head.http10))
    return Invalid("an HTTP/1.1 request needs exactly one Host header");
  WEFT_TRY(ReadFraming(head));
  std::string_view connection = head.Header("connection");
  head.keep_alive = head.http10 ? Lists(connection, "keep-alive") : !Lists(connection, "close");
  head.expect_continue = Lists(head.Header("expect"), "100-continue");
  return head;
}

}  // namespace weft::http
