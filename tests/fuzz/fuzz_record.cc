// libFuzzer target: decoding stored bytes that may be damaged — call
// records, call roll-ups and every key kind with a decoder. Nothing may crash; a record
// that decodes encodes again to bytes that decode the same.
#include <cstdint>

#include "core/records/records.h"
#include "core/calls/call_record.h"
#include "store/keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)weft::ViewCall(bytes);
  auto call = weft::DecodeCall(bytes);
  if (call.ok()) {
    auto again = weft::DecodeCall(weft::EncodeCall(*call));
    if (!again.ok() || weft::EncodeCall(*again) != weft::EncodeCall(*call)) __builtin_trap();
  }
  auto rollup = weft::DecodeRollup(bytes);
  if (rollup.ok()) {
    std::string encoded = weft::EncodeRollup(*rollup);
    auto again = weft::DecodeRollup(encoded);
    if (!again.ok() || weft::EncodeRollup(*again) != encoded) __builtin_trap();
  }
  weft::keys::DecodeCallRollup(bytes, bytes.substr(0, size / 3));
  weft::keys::DecodeObject(bytes);
  weft::keys::ProjectOf(bytes);
  for (size_t prefix : {size_t{0}, size / 3, size / 2})
    weft::keys::DecodeCallIndex(bytes, prefix);
  weft::keys::DecodeFeedbackId(bytes, size / 2);
  return 0;
}
