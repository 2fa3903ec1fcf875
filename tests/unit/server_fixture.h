// A trace server on a fresh store in a temporary folder, for tests that
// call methods by name.
#pragma once

#include <doctest/doctest.h>

#include "core/api/trace_server.h"
#include "temp_dir.h"

namespace weft::testing {

struct Server {
  TempDir tmp;
  TraceServer server{tmp.path("s")};
  Context& ctx = server.ctx();
  Server() {
    ctx.find_user = [] { return std::string("tester"); };
  }
  Json Ok(const char* method, const Json& req) {
    auto r = CallMethod(method, req, ctx);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
  }
  // The ids of the calls a calls_query request answers (in project e/p).
  std::vector<std::string> CallIds(Json req) {
    req["project_id"] = "e/p";
    Json res = Ok("calls_query", req);
    std::vector<std::string> ids;
    for (const auto& c : res["calls"]) ids.push_back(c["id"]);
    return ids;
  }
  Error Err(const char* method, const Json& req) {
    auto r = CallMethod(method, req, ctx);
    REQUIRE_FALSE(r.ok());
    return r.error();
  }
};

// An obj_create request of project e/p.
inline Json Obj(const char* name, Json val) {
  return {{"obj", {{"project_id", "e/p"}, {"object_id", name}, {"val", std::move(val)}}}};
}

}  // namespace weft::testing
