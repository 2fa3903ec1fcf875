// The one writer of weft's error and warning lines (report.h).
#include "base/report.h"

#include <cstdio>

namespace weft {
namespace {
bool g_quiet = false;
}  // namespace

int Fail(int code, std::string message) {
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  std::fprintf(stderr, "weft: error: %s\n", message.c_str());
  return code;
}

int Fail(const Error& e) { return Fail(ExitCode(e.kind), e.message); }

void SetQuiet(bool quiet) { g_quiet = quiet; }

void Warn(const std::string& message) {
  if (!g_quiet) std::fprintf(stderr, "weft: warning: %s\n", message.c_str());
}

}  // namespace weft
