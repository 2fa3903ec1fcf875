// What weft push sends of each call (docs/transfer.md#push): upsert_batch
// items for what the destination lacks, decided against the sync state of
// the last push, so that remote/ only sends.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/status.h"
#include "core/api/context.h"

namespace weft {

class RefMap;     // core/api/ref_map.h
class SyncState;  // core/api/sync_state.h

struct CallPush {
  std::string items;                    // upsert_batch items as JSON text, comma-separated
  std::string state_item, state_value;  // recorded in the sync state once sent
  std::optional<Json> rename;           // a call_update of display_name, when only that changed
};

struct CallPushPage {
  std::vector<CallPush> calls;  // only the calls with something to send
  std::string next;             // where the next page starts; empty after the last
};

// The calls of project started at since or later, from `from` on (at most
// limit read), with refs rewritten by map for the project `to`.
Result<CallPushPage> ReadCallPushPage(Context& ctx, const std::string& project,
                                      std::optional<Micros> since, const std::string& from,
                                      size_t limit, SyncState& state, const RefMap& map,
                                      const std::string& to);

}  // namespace weft
