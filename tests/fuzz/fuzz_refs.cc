// libFuzzer target: ref parsing; a ref that parses is built again and
// parses to the same parts.
#include <cstdint>

#include "core/api/refs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  weft::LooksLikeRef(text);
  weft::MayHoldRef(text);
  auto ref = weft::ParseRef(text);
  if (!ref.ok()) return 0;
  auto again = weft::ParseRef(weft::FormatRef(*ref));
  if (!again.ok() || again->project_id != ref->project_id || again->kind != ref->kind || again->name != ref->name ||
      again->version != ref->version || again->extra != ref->extra)
    __builtin_trap();
  return 0;
}
