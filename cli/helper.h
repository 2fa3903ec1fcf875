// The helper programs that carry weft's network libraries (weft-http for
// serve, weft-remote for push and pull), so that the other commands never
// load them: found beside weft or in ../libexec/weft, and run in its place.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"

namespace weft::cli {

// Replaces this process with helper `name`, handing it job
// (base/handover.h); answers an exit code only when that fails.
int ExecHelper(const std::string& name, const Json& job);

}  // namespace weft::cli
