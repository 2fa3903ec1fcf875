// The trace server: every method of Weave's TraceServerInterface, called by
// name with its request as JSON, answering its response as JSON. Each call
// runs in exactly one store transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/status.h"
#include "store/store.h"

namespace weft {

struct Context {
  Store* store = nullptr;
  // Filled in as wb_user_id where the server populates it.
  std::string user;
  // Unknown request fields and other notes for stderr, shown on success.
  std::vector<std::string> warnings;
  // Streaming methods hand each result here instead of collecting them.
  std::function<void(const Json&)> emit;
};

// Whether a method exists (by its interface name, e.g. "obj_create").
bool HasMethod(const std::string& method);

// Runs one method. Binary content (file_create's bytes) may be passed as a
// JSON binary value; file_content_read answers one.
Result<Json> CallMethod(const std::string& method, const Json& request, Context& ctx);

}  // namespace weft
