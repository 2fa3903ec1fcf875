// What every command shares: the global options, the store and server
// context they lead to, and the one way failures and warnings are printed.
#pragma once

#include <memory>
#include <string>

#include "base/report.h"
#include "base/status.h"
#include "core/api/trace_server.h"

namespace weft::cli {

struct Globals {
  std::string store, project;
  bool pretty = false;
  std::string format = "json";  // json, ndjson or table (query commands)
  bool format_given = false;    // --format was given (calls tree: json instead of the tree)
  std::string color = "auto";   // auto, always, never
  double wait = -1;             // --wait seconds; <0: WEFT_WAIT, else kDefaultWait
  bool quiet = false;           // --quiet: no warnings (also WEFT_QUIET)

  // --format json was asked for: a command that draws text prints JSON instead.
  bool json_asked() const { return format == "json" && format_given; }
};

// How long a write waits for another process's write, by default.
inline constexpr double kDefaultWait = 10;

// The store named by the globals (or found) and a server context on it.
class Session {
 public:
  explicit Session(const Globals& g);
  Context& ctx() { return server_.ctx(); }
  TraceServer& server() { return server_; }
  const std::string& project() const { return project_; }
  // Without --project or WEFT_PROJECT, takes the store's only project; a
  // store with several is an error that lists them (none: stays unset).
  Status UseOnlyProject();
  // The store's folder as an absolute path, for child processes.
  std::string store_path() const;
  // Writes wait at most this long for another process's write.
  void SetWriteWait(double seconds);
  // Says on stderr that the store named by --store or WEFT_STORE does not
  // exist, when it does not: a read then answers as an empty store does.
  void WarnIfNamedStoreIsMissing() const;

 private:
  TraceServer server_;
  std::string project_;
  bool named_;  // the store was named (--store, WEFT_STORE), not looked for
};

// Runs one method on the session's project (the store's only one without
// --project), setting the request's project_id: for the commands that draw
// a method's answer as text (calls diff, eval compare).
Result<Json> CallOnProject(const Globals& g, const char* method, Json request);

}  // namespace weft::cli
