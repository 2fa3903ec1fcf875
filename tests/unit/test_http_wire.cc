// The HTTP parsers of http/wire/: multipart bodies in every form RFC 2046
// and 7578 allow (node 18's upload among them), strict request framing,
// chunked bodies, bounded gzip.
#include <doctest/doctest.h>
#include <zlib.h>

#include "http/wire/chunked.h"
#include "http/wire/inflate.h"
#include "http/wire/multipart.h"
#include "http/wire/request_head.h"

using namespace weft::http;

namespace {

// The body node 18's undici sends for the TypeScript SDK's file upload:
// no CRLF after the close delimiter.
const std::string kNode18Boundary = "----formdata-undici-008356344562";
const std::string kNode18Body =
    "------formdata-undici-008356344562\r\n"
    "Content-Disposition: form-data; name=\"project_id\"\r\n\r\n"
    "acme/node18\r\n"
    "------formdata-undici-008356344562\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"blob\"\r\n"
    "Content-Type: application/octet-stream\r\n\r\n"
    "async function adder(a, b) { return a + b; }\r\n"
    "------formdata-undici-008356344562--";

std::vector<FormPart> Parts(std::string_view body, std::string_view boundary) {
  auto parts = ParseMultipart(body, boundary);
  REQUIRE_MESSAGE(parts.ok(), parts.error().message);
  return *parts;
}

std::string Gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("multipart: node 18's upload, with no CRLF after the close delimiter") {
  CHECK(kNode18Body.size() == 324);
  auto boundary = MultipartBoundary("multipart/form-data; boundary=" + kNode18Boundary);
  REQUIRE(boundary.ok());
  auto parts = Parts(kNode18Body, *boundary);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].name == "project_id");
  CHECK(parts[0].data == "acme/node18");
  CHECK(parts[1].name == "file");
  CHECK(parts[1].filename == "blob");
  CHECK(parts[1].content_type == "application/octet-stream");
  CHECK(parts[1].data == "async function adder(a, b) { return a + b; }");
}

TEST_CASE("multipart: every form the RFCs allow") {
  // node 20's CRLF after the close delimiter, an epilogue, a preamble
  CHECK(Parts(kNode18Body + "\r\n", kNode18Boundary).size() == 2);
  CHECK(Parts(kNode18Body + "\r\nan epilogue\r\n--x--", kNode18Boundary).size() == 2);
  CHECK(Parts("a preamble\r\n" + kNode18Body, kNode18Boundary).size() == 2);
  // a quoted boundary with characters a token cannot hold, padding after delimiters
  auto quoted = MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a:b=c d\"");
  REQUIRE(quoted.ok());
  CHECK(*quoted == "a:b=c d");
  auto parts = Parts(
      "--a:b=c d \t\r\nContent-Disposition: form-data; name=file; "
      "filename*=UTF-8''%C3%A9t%C3%A9.txt; "
      "filename=\"plain.txt\"\r\n\r\nbytes\r\n--a:b=c d\r\ncontent-disposition: form-data; "
      "name=\"project_id\"\r\n\r\ne/p\r\n--a:b=c d--",
      *quoted);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].filename == "\xC3\xA9t\xC3\xA9.txt");  // filename* wins
  CHECK(parts[1].data == "e/p");                        // parts in any order
  // a part holding the boundary text not at a line start, and CRLFs
  auto tricky =
      Parts("--b\r\nContent-Disposition: form-data; name=file\r\n\r\nx--b\r\n\r\ny\r\n--b--", "b");
  CHECK(tricky[0].data == "x--b\r\n\r\ny");
  // a part without headers, and an empty file
  CHECK(Parts("--b\r\n\r\n\r\n--b--", "b")[0].data.empty());
}

TEST_CASE("multipart: malformed bodies are refused") {
  CHECK(!MultipartBoundary("application/json").ok());
  CHECK(!MultipartBoundary("multipart/form-data").ok());
  CHECK(!MultipartBoundary("multipart/form-data; boundary=\"unterminated").ok());
  CHECK(!MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')).ok());
  CHECK(!ParseMultipart("", "b").ok());
  CHECK(!ParseMultipart("--b\r\nContent-Disposition: form-data; name=x\r\n\r\nno close", "b").ok());
  CHECK(
      !ParseMultipart("--b\r\nContent-Disposition: form-data; name=x\r\nno blank line", "b").ok());
  CHECK(!ParseMultipart("--bjunk\r\n\r\nx\r\n--b--", "b").ok());
  CHECK(!ParseMultipart("--b\r\nno colon\r\n\r\nx\r\n--b--", "b").ok());
  CHECK(
      !ParseMultipart("--b\r\nContent-Disposition: form-data; filename*=bad\r\n\r\nx\r\n--b--", "b")
           .ok());
}

TEST_CASE("request head: framing") {
  auto head = ParseRequestHead(
      "POST /traces/call/start?x=1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 12\r\n"
      "Connection: keep-alive\r\nX-Odd:  spaced value \r\n\r\n");
  REQUIRE(head.ok());
  CHECK(head->path == "/traces/call/start");
  CHECK(head->query == "x=1");
  CHECK(head->framing == BodyFraming::kLength);
  CHECK(head->content_length == 12);
  CHECK(head->keep_alive);
  CHECK(head->Header("x-odd") == "spaced value");
  auto chunked = ParseRequestHead(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n");
  REQUIRE(chunked.ok());
  CHECK(chunked->framing == BodyFraming::kChunked);
  CHECK(!chunked->keep_alive);
  auto old = ParseRequestHead("GET / HTTP/1.0\r\n\r\n");
  REQUIRE(old.ok());
  CHECK(!old->keep_alive);
  CHECK(HeadLength("GET / HTTP/1.1\r\nHost: h\r\n\r\nnext") == 27);
  CHECK(HeadLength("GET / HTTP/1.1\r\nHost: h\r\n") == 0);
}

TEST_CASE("request head: ambiguous or malformed forms are refused") {
  const char* bad[] = {
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
      "chunked\r\n\r\n",
      "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length : 5\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nX: a\nContent-Length: 5\r\n\r\n",
      "POST / HTTP/1.1\r\nX: 1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "POST http://h/ HTTP/1.1\r\nHost: h\r\n\r\n",
      "POST / HTTP/2.0\r\nHost: h\r\n\r\n",
      "POST  / HTTP/1.1\r\nHost: h\r\n\r\n",
      "P@ST / HTTP/1.1\r\nHost: h\r\n\r\n",
      "POST /\x01 HTTP/1.1\r\nHost: h\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n",
  };
  for (const char* text : bad) CHECK_MESSAGE(!ParseRequestHead(text).ok(), text);
}

TEST_CASE("chunked: extensions, trailers, pieces and the next request") {
  std::string in =
      "5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nChecksum: abc\r\n\r\nGET /next";
  ChunkedDecoder d;
  std::string out;
  auto used = d.Feed(in, out);
  REQUIRE(used.ok());
  CHECK(d.done());
  CHECK(out == "hello world");
  CHECK(in.substr(*used) == "GET /next");
  ChunkedDecoder pieces;  // a byte at a time
  std::string out2, pending;
  for (char c : in.substr(0, *used)) {
    pending += c;
    auto n = pieces.Feed(pending, out2);
    REQUIRE(n.ok());
    pending.erase(0, *n);
  }
  CHECK(pieces.done());
  CHECK(out2 == "hello world");
}

TEST_CASE("chunked: malformed sizes and missing CRLFs are refused") {
  for (std::string bad : std::vector<std::string>{
           "x\r\n", "-1\r\n", "\r\n", "5\r\nhelloX\r\n", "1234567890abcdef0\r\n",
           "5 x\r\nhello\r\n", "0\r\nno colon\r\n\r\n", std::string(5000, '1')}) {
    ChunkedDecoder d;
    std::string out;
    CHECK_MESSAGE(!d.Feed(bad, out).ok(), bad);
  }
}

TEST_CASE("inflate: gzip bodies, bounded") {
  std::string text(100000, 'x');
  auto ok = Inflate(Gzip("{\"a\": 1}"), 1 << 20);
  REQUIRE(ok.ok());
  CHECK(ok->data == "{\"a\": 1}");
  auto over = Inflate(Gzip(text), 1000);  // past the limit
  REQUIRE(over.ok());
  CHECK(over->too_large);
  std::string bomb(size_t{20} << 20, '\0');  // 20 MiB of zeros: ~20 KB of gzip, past 200:1
  auto refused = Inflate(Gzip(bomb), size_t{1} << 30);
  REQUIRE(refused.ok());
  CHECK(refused->too_large);
  CHECK(!Inflate("not gzip", 1000).ok());
  std::string cut = Gzip(text);
  CHECK(!Inflate(cut.substr(0, cut.size() / 2), 1 << 20).ok());
  CHECK(!Inflate(Gzip("a") + "junk", 1 << 20).ok());
}
