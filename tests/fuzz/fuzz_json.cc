// libFuzzer target: strict JSON parsing, and Python-compatible printing and
// digests of whatever parses.
#include <cstdint>

#include "core/digest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = weft::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!parsed.ok()) return 0;
  weft::PythonDumps(*parsed);
  weft::ValueDigest(*parsed);
  auto again = weft::ParseJson(weft::CompactDumps(*parsed), "again");
  if (!again.ok() || *again != *parsed) __builtin_trap();  // what weft writes, weft reads back the same
  return 0;
}
