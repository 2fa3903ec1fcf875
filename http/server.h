// `weft serve`: Weave's HTTP API over a store, so that the official SDKs
// record into it. Every route calls the same core method the CLI calls;
// this layer only moves bytes and maps errors to statuses
// (docs/http-api.md).
#pragma once

#include <cstddef>
#include <string>

#include "core/server.h"

namespace weft::http {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 6345;          // 0 picks a free port
  std::string api_key;      // when set, requests must carry it (Basic api:KEY)
  size_t max_body = size_t{64} << 20;
  int threads = 64;         // one per open connection
  bool log = false;         // one line per request on stderr
  std::string user;         // wb_user_id filled in, and the GraphQL viewer
  bool ui = false;          // also serve the web viewer (weft ui, docs/ui.md)
  bool read_only = false;   // refuse every route that writes (403)
  bool open_browser = false;  // with ui: xdg-open the page
  std::string project;      // with ui: the project the printed page shows
};

// Serves until SIGINT or SIGTERM, then finishes the requests in flight and
// answers the exit code: 0, or 1 when the address cannot be bound. The
// first line on stdout is the base URL.
int Serve(TraceServer& server, const ServeOptions& opts);

}  // namespace weft::http
