// Bounded gzip/zlib decoding of request bodies with zlib's inflate.
#include "http/wire/inflate.h"

#include <zlib.h>

#include <algorithm>

namespace weft::http {

Result<Inflated> Inflate(std::string_view in, size_t max_out) {
  size_t limit = std::min(max_out, std::max<size_t>(size_t{1} << 20, in.size() * kMaxInflateRatio));
  if (in.size() > (size_t{1} << 31)) return Inflated{{}, true};
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK)
    return StoreError("zlib: cannot start decoding");  // 32: gzip or zlib header
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  Inflated out;
  char buf[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    size_t got = sizeof buf - z.avail_out;
    if (out.data.size() + got > limit) {
      out.too_large = true;
      break;
    }
    out.data.append(buf, got);
  }
  inflateEnd(&z);
  if (out.too_large) return out;
  if (rc != Z_STREAM_END)
    return Invalid("Content-Encoding: the body is not a complete gzip stream");
  if (z.avail_in != 0) return Invalid("Content-Encoding: bytes after the end of the gzip stream");
  return out;
}

}  // namespace weft::http
