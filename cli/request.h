// Builds a method's request JSON from --json, the typed flags and the
// environment (docs/command-line.md#requests-in).
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "cli/commands.h"

namespace weft::cli {

// What the user gave for one command: --json, and each flag of the spec
// (aligned with spec.flags; a flag never given has no values).
struct Given {
  std::string json;  // TEXT, @FILE or -; empty when absent
  std::vector<std::vector<std::string>> flags;
  std::deque<bool> bools;  // deque: CLI11 binds to each element by reference
};

// --json first, then every typed flag on top, then --project where the
// request has no project id, then the flags' fallbacks.
Result<Json> BuildRequest(const CommandSpec& spec, const Given& given, const std::string& project);

// An RFC 3339 time as given, or one made of a date (midnight UTC), Unix
// seconds, or a duration back from now ("15m", "2h", "7d", "1w"); `what`
// (the flag) starts the message when it is none of them.
Result<std::string> TimeArgument(const std::string& v, const std::string& what);

// "64MiB", "512KiB", "1GiB" or a number of bytes, as size flags take them.
std::optional<unsigned long long> ParseSize(const std::string& text);

// A reader of the file at path (or - for standard input) for a kStream
// flag: up to size bytes into buf, 0 at the end.
Result<std::function<Result<size_t>(char*, size_t)>> OpenInput(const std::string& path,
                                                               const std::string& what);

// The text of TEXT, @FILE or - (standard input).
Result<std::string> ReadArgument(const std::string& arg, const std::string& what);

}  // namespace weft::cli
