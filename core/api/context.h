// What a method runs with: the store, who the user is, and the side
// channels of a call (warnings, a sink for streamed results, progress, an
// input for bulk ingest). One per front-end request.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace weft {

class Store;  // store/store.h

struct Context {
  Store* store = nullptr;
  // Who wb_user_id names where the server fills it in; asked for (once)
  // only by methods that need it, since looking the user up costs time.
  std::function<std::string()> find_user;
  const std::string& user() const {
    if (!user_) user_ = find_user ? find_user() : std::string();
    return *user_;
  }
  // Unknown request fields and other notes for stderr, shown on success.
  std::vector<std::string> warnings;
  // Streaming methods hand each result here instead of collecting them, as
  // its CompactDumps text (one NDJSON line without its newline): calls are
  // written from their stored text without a JSON tree (call_text.h).
  std::function<void(std::string_view)> emit;
  // Long methods (calls_import) report how far they are, when set; total
  // is 0 when it is not known ahead.
  std::function<void(size_t done, size_t total)> progress;
  // calls_import without `ndjson` reads its input from here, a block at a
  // time: up to size bytes into buf, 0 at the end.
  std::function<Result<size_t>(char* buf, size_t size)> input;

 private:
  mutable std::optional<std::string> user_;
};

}  // namespace weft
