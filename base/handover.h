// How weft hands a command to one of its helpers (weft-http runs serve and
// ui, weft-remote runs push and pull): the parsed command as one JSON object,
// the helper's only argument. Secrets (API keys, vendor headers) travel in the
// environment, never on a command line that `ps` shows.
#pragma once

#include "base/json.h"
#include "base/status.h"

namespace weft {

// The job a helper was given: argv[1] as a JSON object, or an invalid
// request naming `runner`, the weft command that runs this helper.
Result<Json> ReadHandover(int argc, char** argv, const std::string& runner);

}  // namespace weft
