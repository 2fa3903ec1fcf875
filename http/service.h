// Weave's HTTP API (and weft ui's viewer) over a trace server: what each
// route answers, who may call it, and how core's errors become statuses.
// The transport below it moves bytes; core beside it holds all the logic.
#pragma once

#include <optional>
#include <string>

#include "core/api/method_table.h"
#include "core/api/trace_server.h"
#include "http/guard.h"
#include "http/transport.h"

namespace weft::http {

struct ServiceOptions {
  std::string api_key;     // when set, every route that reads or writes needs it (Basic api:KEY)
  std::string user;        // the GraphQL viewer
  std::string project;     // where OTLP spans go that name no project (nor a project_id header)
  bool ui = false;         // also serve the viewer's files and /weft/projects
  bool read_only = false;  // refuse every route that writes (403)
  GuardOptions guard;
};

class ApiService : public Service {
 public:
  ApiService(TraceServer& server, ServiceOptions opts) : server_(server), opts_(std::move(opts)) {}
  std::optional<Response> Admit(const RequestHead& head) override;
  Response Handle(Request& request) override;
  const std::vector<std::pair<std::string, std::string>>& CommonHeaders() const override {
    return SecurityHeaders();
  }

 private:
  Response Call(const MethodRow& method, Request& req);
  Response Upload(const Request& req, const MethodRow& method);
  Response Otlp(const Request& req, bool drop);
  Response Stream(const MethodRow& method, const Json& body);
  Response Projects();

  TraceServer& server_;
  ServiceOptions opts_;
};

}  // namespace weft::http
