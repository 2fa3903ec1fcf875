// `weft serve` and `weft ui`: check their flags, then run the weft-http
// helper (http/main.cc) in this process's place on the same store.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/session.h"

namespace weft::cli {

struct ServeFlags {
  std::string host = "127.0.0.1", api_key, max_body = "64MiB", max_in_flight = "128MiB";
  int port = 6345, threads = 64;
  std::vector<std::string> allow_hosts;
  bool log = false, insecure_no_key = false;
  bool ui = false, allow_writes = false, open = false;  // weft ui
  std::string file;  // weft ui FILE: an export, opened read-only from a temporary store
};

void SetupServe(CLI::App* cmd, ServeFlags& flags);
// weft ui: the same server with the web viewer, read-only unless
// --allow-writes, on port 6346 by default (docs/ui.md).
void SetupUi(CLI::App* cmd, ServeFlags& flags);
int RunServe(const ServeFlags& flags, const Globals& globals);

}  // namespace weft::cli
