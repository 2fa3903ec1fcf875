// libFuzzer target: a whole request through the method table, as the CLI
// and weft serve hand it over: the first line names the method, the rest
// is the request's JSON.
#include <cstdint>

#include "fuzz_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string method(input.substr(0, newline));
  if (!weft::HasMethod(method)) return 0;
  auto parsed = weft::ParseJson(input.substr(newline + 1), "fuzz");
  if (!parsed.ok()) return 0;
  weft::Context& ctx = weft::fuzz::Server();
  ctx.emit = [](std::string_view) {};  // calls_query_stream's calls
  (void)weft::CallMethod(method, *parsed, ctx);
  ctx.warnings.clear();
  return 0;
}
