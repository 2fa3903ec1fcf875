// A push or pull as weft's CLI hands it to weft-remote: the parsed flags as
// one JSON object (base/handover.h; cli/transfer.cc writes it), read once here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"

namespace weft::remote {

struct Job {
  std::string command;     // push or pull
  std::string store;       // absolute path of the store
  std::string project;     // the local project (push) or the server's (pull)
  std::string url;         // the trace server, without credentials
  std::string url_key;     // the password the URL held (http://api:KEY@host), if any
  std::string to_project;  // the project at the other end; defaults to project
  std::optional<Micros> since;
  bool otlp = false;  // push --otlp: url is an OTLP/HTTP traces endpoint
  bool dry_run = false, create_project = true;
  bool replace = false;  // pull: replace calls the store holds with other content
  bool all =
      false;  // pull: every object version and all feedback too, not only what calls refer to
  std::string ca_file, user;
  std::vector<std::string> trace_ids, op_names;
  long long limit = 0;
  double wait = 10;
};

// The job of this run (base/handover.h).
Result<Job> ReadJob(int argc, char** argv);

}  // namespace weft::remote
