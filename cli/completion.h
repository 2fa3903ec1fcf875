// `weft completion bash|zsh|fish`: completion scripts generated from the
// CLI11 command tree, so they always match the commands and flags.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace weft::cli {

// The script for `shell`, or "" for a shell it does not know.
std::string CompletionScript(const CLI::App& app, const std::string& shell);

}  // namespace weft::cli
