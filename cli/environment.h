// What weft takes from its environment: the store location (docs/command-line.md#the-store),
// the project and the user.
#pragma once

#include <string>

namespace weft::cli {

// An environment variable's value, "" when unset.
std::string Env(const char* name);

// --store, else WEFT_STORE, else the nearest .weft/ in this folder or a
// parent (like git), else ./.weft (created by the first write).
std::string FindStore(const std::string& flag);

// --project, else WEFT_PROJECT, else "".
std::string FindProject(const std::string& flag);

// --wait, else WEFT_WAIT, else the default (seconds a write waits for
// another process's write).
double FindWait(double flag);

// WEFT_USER, else the login name.
std::string FindUser();

}  // namespace weft::cli
