// libFuzzer target: the HTTP parsers of http/wire/ on bytes as a client
// could send them. The input is read as a request head, as a multipart body
// (its first line the Content-Type), as a chunked body (fed whole and a
// byte at a time, which must decode alike) and as a gzip body.
#include <cstdint>
#include <cstdlib>

#include "http/wire/chunked.h"
#include "http/wire/inflate.h"
#include "http/wire/multipart.h"
#include "http/wire/request_head.h"

namespace {

using namespace weft::http;

void Multipart(std::string_view in) {
  size_t newline = in.find('\n');
  if (newline == std::string_view::npos) return;
  auto boundary = MultipartBoundary(in.substr(0, newline));
  if (!boundary.ok()) return;
  std::string_view body = in.substr(newline + 1);
  auto parts = ParseMultipart(body, *boundary);
  if (!parts.ok()) return;
  for (const FormPart& p : *parts)  // every part's data lies inside the body
    if (p.data.data() < body.data() || p.data.data() + p.data.size() > body.data() + body.size()) std::abort();
}

void Chunked(std::string_view in) {
  ChunkedDecoder whole, bytewise;
  std::string a, b;
  auto used = whole.Feed(in, a);
  std::string pending;
  bool failed = false;
  for (char c : in) {
    if (bytewise.done()) break;
    pending += c;
    auto n = bytewise.Feed(pending, b);
    if (!n.ok()) {
      failed = true;
      break;
    }
    pending.erase(0, *n);
  }
  if (used.ok() && whole.done() && (failed || !bytewise.done() || a != b)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (size_t n = HeadLength(in)) (void)ParseRequestHead(in.substr(0, n));
  Multipart(in);
  Chunked(in);
  auto inflated = Inflate(in, 1 << 20);
  if (inflated.ok() && inflated->data.size() > (1 << 20)) std::abort();
  return 0;
}
