// Moving a project's data out of and into a store: weft export and weft
// import (an NDJSON file), weft push and weft pull (a Weave server, through
// the weft-remote helper). docs/transfer.md says what each does.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/session.h"

namespace weft::cli {

// The flags of export, import, push and pull (each command has its own).
struct TransferOptions {
  std::string output = "-", input, url, to_project, since, ca_file, max_line = "256MiB",
              format = "weft";
  std::string trace;  // export --trace: one trace and what it refers to
  std::string otlp;   // push --otlp URL
  std::vector<std::string> trace_ids, op_names, headers;
  long long limit = 0;
  bool dry_run = false, no_create_project = false, replace = false, all = false;
};

void SetupExport(CLI::App* cmd, TransferOptions& t);
void SetupImport(CLI::App* cmd, TransferOptions& t);
void SetupPush(CLI::App* cmd, TransferOptions& t);
void SetupPull(CLI::App* cmd, TransferOptions& t);
int RunExport(const TransferOptions& t, const Globals& globals);
int RunImport(const TransferOptions& t, const Globals& globals);
int RunPush(const TransferOptions& t, const Globals& globals);
int RunPull(const TransferOptions& t, const Globals& globals);

}  // namespace weft::cli
