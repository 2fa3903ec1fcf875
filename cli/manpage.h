// man/weft.1, generated from the command table so that every command and
// flag is documented exactly as the CLI knows it (`weft manpage`).
#pragma once

#include <string>

namespace weft::cli {

std::string ManPage();

}  // namespace weft::cli
