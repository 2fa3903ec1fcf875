// libFuzzer target: strict JSON parsing, Python-compatible printing and
// digests of whatever parses, and the bulk-ingest JSON cursor, which must
// accept nothing ParseJson refuses and read what it accepts as the same value;
// and IsCompactDumps, which must never call text canonical that is not, and
// WriteCanonical, which writes nothing but what CompactDumps writes.
#include <cstdint>

#include "base/json_cursor.h"
#include "core/digest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = weft::ParseJson(text, "fuzz");
  weft::JsonCursor cursor(text);
  std::string_view raw;
  std::string minified;
  if (cursor.Raw(raw, &minified) && cursor.AtEnd()) {
    if (!parsed.ok()) __builtin_trap();
    auto same = weft::ParseJson(minified, "minified");
    if (!same.ok() || *same != *parsed) __builtin_trap();
  }
  weft::JsonCursor again_cursor(text);
  std::string canonical;
  bool written = weft::WriteCanonical(again_cursor, canonical) && again_cursor.AtEnd();
  if (written && (!parsed.ok() || canonical != weft::CompactDumps(*parsed))) __builtin_trap();
  if (!parsed.ok()) return 0;
  weft::PythonDumps(*parsed);
  weft::ValueDigest(*parsed);
  std::string compact = weft::CompactDumps(*parsed);
  auto again = weft::ParseJson(compact, "again");
  if (!again.ok() || *again != *parsed) __builtin_trap();  // what weft writes, weft reads back the same
  if (weft::IsCompactDumps(text) && compact != text) __builtin_trap();  // export's shortcut is never wrong
  return 0;
}
