// libFuzzer target: OTLP bodies as an exporter (or an attacker) could post
// them, read as protobuf and, when they are JSON, as OTLP JSON; every span
// read goes through Weave's span → call mapping. Nothing may crash, and a
// decoded request's spans map or are refused with a message.
#include <cstdint>

#include "core/api/otlp.h"
#include "core/otel/span_call.h"

namespace {

void MapAll(const weft::Result<weft::OtelRequest>& request) {
  if (!request.ok()) return;
  for (const auto& rs : *request) {
    auto resource = weft::UnflattenAttributes(rs.resource);
    for (const auto& span : rs.spans) {
      auto call = weft::SpanToCall(span, resource.ok() ? *resource : weft::Json::object(), 0, "e/p", "u");
      if (!call.ok() && call.error().message.empty()) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  MapAll(weft::DecodeOtlpProto(bytes));
  if (auto json = weft::ParseJson(bytes, "fuzz"); json.ok()) MapAll(weft::DecodeOtlpJson(*json));
  return 0;
}
