// How every weft program (weft, weft-http, weft-remote) tells its user what
// went wrong: `weft: error: <what>` as one line on stderr, answering the exit
// code (docs/command-line.md#exit-codes), and warnings unless quieted.
#pragma once

#include <string>

#include "base/status.h"

namespace weft {

// Prints `weft: error: <message>` as one line; answers code.
int Fail(int code, std::string message);
int Fail(const Error& e);
// Prints `weft: warning: <message>`, unless quiet.
void Warn(const std::string& message);
// Turns warnings off (--quiet, or WEFT_QUIET set to anything but "" or 0).
void SetQuiet(bool quiet);

}  // namespace weft
