// SHA-256 through OpenSSL, and the two encodings Weave uses.
#include "core/digest.h"

#include <openssl/evp.h>

#include <array>

namespace weft {
namespace {

std::array<unsigned char, 32> Sha256(std::string_view bytes) {
  std::array<unsigned char, 32> out{};
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &n, EVP_sha256(), nullptr);
  return out;
}

}  // namespace

std::string BytesDigest(std::string_view bytes) {
  // URL-safe alphabet with '-' and '_' already replaced by 'X' and 'Y'.
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789XY";
  auto h = Sha256(bytes);
  std::string out;
  size_t i = 0;
  for (; i + 3 <= h.size(); i += 3) {
    unsigned v = (h[i] << 16) | (h[i + 1] << 8) | h[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  unsigned v = (h[i] << 16) | (h[i + 1] << 8);  // 32 = 30 + 2 bytes left
  out += kAlphabet[(v >> 18) & 63];
  out += kAlphabet[(v >> 12) & 63];
  out += kAlphabet[(v >> 6) & 63];
  return out;
}

std::string ValueDigest(const Json& v) { return BytesDigest(PythonDumps(v)); }

std::string HexDigest(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : Sha256(bytes)) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Status CheckExpectedDigest(const std::optional<std::string>& expected, const std::string& actual,
                           const std::string& at, const std::string& what) {
  if (!expected || *expected == actual) return Status::OK();
  return Invalid(at + ": client " + what + " digest " + *expected + " != server digest " + actual);
}

}  // namespace weft
