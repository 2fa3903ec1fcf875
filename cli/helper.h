// The helper programs that carry weft's network libraries (weft-http for
// serve, weft-remote for push and pull), so that the other commands never
// load them: found beside weft or in ../libexec/weft, and run in its place.
#pragma once

#include <string>
#include <vector>

namespace weft::cli {

// Replaces this process with helper `name` given args (argv[1]...);
// answers an exit code only when that fails.
int ExecHelper(const std::string& name, const std::vector<std::string>& args);

}  // namespace weft::cli
