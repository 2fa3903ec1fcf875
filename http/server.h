// `weft serve` and `weft ui`: Weave's HTTP API over a store, so that the
// official SDKs record into it, and the viewer beside it. This file
// listens and stops; transport.h moves bytes, service.h answers routes
// (docs/http-api.md, docs/security.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/api/trace_server.h"

namespace weft::http {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 6345;                       // 0 picks a free port
  std::string api_key;                   // when set, requests must carry it (Basic api:KEY)
  bool insecure_no_key = false;          // allow a non-loopback --host without a key
  std::vector<std::string> allow_hosts;  // more Host names to answer to
  size_t max_body = size_t{64} << 20;
  // Request bodies held at once (docs/security.md#what-a-client-can-send-and-the-limits).
  size_t max_in_flight = size_t{128} << 20;
  int threads = 64;           // requests served at once
  bool log = false;           // one line per request on stderr
  std::string user;           // wb_user_id filled in, and the GraphQL viewer
  bool ui = false;            // also serve the web viewer (weft ui, docs/ui.md)
  bool read_only = false;     // refuse every route that writes (403)
  bool open_browser = false;  // with ui: open the page (xdg-open, no shell)
  // The project the printed page shows, and OTLP spans go to when they name none.
  std::string project;
};

// Serves until SIGINT or SIGTERM, then finishes the requests in flight
// (for at most 10 s) and answers the exit code: 0; 1 when the address
// cannot be bound; 2 for a non-loopback address without a key.
int Serve(TraceServer& server, const ServeOptions& opts);

// The URL of a listening address: "http://[::1]:6345" for IPv6.
std::string BaseUrl(const std::string& host, int port);

}  // namespace weft::http
