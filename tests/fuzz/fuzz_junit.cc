// libFuzzer target: JUnit reports as weft junit import reads them (XML of
// any shape, entities, CDATA, DOCTYPEs, deep nesting). Nothing may crash;
// what reads back writes out as a report again.
#include <cstdint>

#include "cli/junit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto cases = weft::cli::ReadJunit(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!cases.ok()) return 0;
  std::vector<weft::Json> calls;
  for (const auto& t : *cases)
    calls.push_back({{"project_id", "e/p"}, {"id", "x"}, {"op_name", t.classname + "." + t.name},
                     {"display_name", nullptr}, {"started_at", nullptr}, {"exception", t.message},
                     {"inputs", {{"classname", t.classname}, {"name", t.name}}},
                     {"output", {{"outcome", t.outcome}, {"stdout_tail", t.stdout_tail}}},
                     {"summary", {{"weave", {{"status", t.outcome == "passed" ? "success" : "error"},
                                             {"latency_ms", t.seconds * 1000}}}}}});
  weft::cli::JunitReport(calls);
  return 0;
}
