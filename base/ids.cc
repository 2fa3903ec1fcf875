// UUIDv7 generation and id validation.
#include "base/ids.h"

#include <cctype>
#include <cstdio>
#include <random>

#include "base/clock.h"
#include "base/utf8.h"

namespace weft {
namespace {

// Letters and digits in the Unicode sense of Python's \w are accepted as any
// non-ASCII byte; ASCII is checked exactly.
bool ObjectIdChar(unsigned char c) {
  return c >= 0x80 || std::isalnum(c) || c == '_' || c == '.' || c == '-';
}

}  // namespace

std::string NewId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t ms = static_cast<uint64_t>(NowMicros() / 1000);
  uint64_t r1 = rng(), r2 = rng();
  uint64_t hi = (ms << 16) | 0x7000 | (r1 & 0x0FFF);
  uint64_t lo = (r2 & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::string NewTraceId() {
  std::string id = NewId();
  std::erase(id, '-');
  return id;
}

std::string NewSpanId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t r = 0;
  while (r == 0) r = rng();  // all zeros is OTel's invalid span id
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
  return buf;
}

Status CheckProjectId(std::string_view id, std::string_view field) {
  auto slash = id.find('/');
  if (id.size() > kMaxProjectId)
    return Invalid(std::string(field) + ": project id is longer than " +
                   std::to_string(kMaxProjectId) + " characters");
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size() ||
      id.find('/', slash + 1) != std::string_view::npos || HasControl(id))
    return Invalid(std::string(field) + ": project id must be 'entity/project', got '" +
                   std::string(id) + "'");
  return Status::OK();
}

Status CheckObjectId(std::string_view id, std::string_view field) {
  std::string f(field);
  if (id.empty()) return Invalid(f + ": object name cannot be empty");
  if (CountCodePoints(id) >= 128) return Invalid(f + ": object name is longer than 127 characters");
  for (unsigned char c : id)
    if (!ObjectIdChar(c))
      return Invalid(f + ": invalid object name '" + std::string(id) +
                     "': only letters, digits, '_', '.' and '-' are allowed");
  return Status::OK();
}

Status CheckClientId(std::string_view id, std::string_view field) {
  if (id.size() > kMaxClientId)
    return Invalid(std::string(field) + ": id is longer than " + std::to_string(kMaxClientId) +
                   " characters");
  if (id.empty() || HasControl(id) || id.find('/') != std::string_view::npos)
    return Invalid(std::string(field) + ": invalid id '" + std::string(id) + "'");
  return Status::OK();
}

}  // namespace weft
