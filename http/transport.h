// HTTP/1.1 over TCP for weft serve and weft ui: connections, framing,
// limits and deadlines, with no knowledge of Weave's API (that is the
// Service's). One thread waits on every idle connection and every head
// still arriving, so slow or idle clients never hold a worker; a pool of
// workers reads bodies, calls the Service and writes answers, in order for
// pipelined requests (docs/http-api.md#transport, docs/security.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "http/spool.h"
#include "http/wire/request_head.h"

namespace weft::http {

struct Request {
  RequestHead head;
  std::string body;  // decoded: chunks joined, gzip undone
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::unique_ptr<Spool> spool;  // when set, the body instead of `body`
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this answer
};

// {"reason": ...} with that status (and "detail" on a 404, which the
// Python SDK probes for): how every error is answered.
// An error answer: {"reason": ...} and any further fields of `extra`.
Response ErrorResponse(int status, const std::string& reason, const Json& extra = Json::object());

// What the transport serves.
class Service {
 public:
  virtual ~Service() = default;
  // Called once the head is read, before the body: an answer refuses the
  // request unread (its connection is then closed).
  virtual std::optional<Response> Admit(const RequestHead& head) = 0;
  virtual Response Handle(Request& request) = 0;
  // Headers added to every answer, the transport's own errors included.
  virtual const std::vector<std::pair<std::string, std::string>>& CommonHeaders() const = 0;
};

struct TransportLimits {
  size_t max_body = size_t{64} << 20;  // decoded bytes of one body (413 past it)
  size_t max_in_flight = size_t{128}
                         << 20;  // body bytes held by all requests at once (503 past it)
  int workers = 64;
  std::chrono::milliseconds idle{5000};    // a keep-alive connection with no request
  std::chrono::milliseconds head{10000};   // from a head's first byte to its blank line
  std::chrono::milliseconds body{10000};   // for a body to start; +1 s per 16 KiB received
  std::chrono::milliseconds write{30000};  // with no progress writing an answer
  std::chrono::milliseconds drain{10000};  // after Stop, for the requests in flight
  bool log = false;                        // a line per request on stderr
  std::string log_name = "weft serve";
};

// Serves the listening socket `listen_fd` until Stop (from any thread).
class Transport {
 public:
  Transport(int listen_fd, Service& service, const TransportLimits& limits);
  ~Transport();
  void Run();
  void Stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace weft::http
