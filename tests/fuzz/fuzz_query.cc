// libFuzzer target: the $expr query language, compiled and evaluated over
// calls and feedback, and the other query fields that take JSON.
#include <cstdint>

#include "fuzz_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = weft::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!parsed.ok()) return 0;
  weft::Context& ctx = weft::fuzz::Server();
  for (const char* field : {"query", "filter", "sort_by"}) {
    weft::Json req = {{"project_id", "f/z"}, {field, *parsed}};
    (void)weft::CallMethod("calls_query", req, ctx);
    (void)weft::CallMethod("calls_query_stats", req, ctx);
  }
  (void)weft::CallMethod("feedback_query", {{"project_id", "f/z"}, {"query", *parsed}}, ctx);
  (void)weft::CallMethod("objs_query", {{"project_id", "f/z"}, {"filter", *parsed}}, ctx);
  ctx.warnings.clear();
  return 0;
}
