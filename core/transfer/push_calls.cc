// Deciding what weft push sends of each call (push_calls.h).
#include "core/api/push_calls.h"

#include "core/api/export.h"
#include "core/api/ref_map.h"
#include "core/api/sync_state.h"
#include "core/calls/call_text.h"
#include "core/transfer/export_parts.h"

namespace weft {
namespace {

// What the destination will have of a call once it is sent: [ended, display_name].
std::string PushedState(const CallRecord& c) {
  return CompactDumps(
      Json::array({c.ended(), c.display_name ? Json(*c.display_name) : Json(nullptr)}));
}

}  // namespace

Result<CallPushPage> ReadCallPushPage(Context& ctx, const std::string& project,
                                      std::optional<Micros> since, const std::string& from,
                                      size_t limit, SyncState& state, const RefMap& map,
                                      const std::string& to) {
  WEFT_ASSIGN(CallsPage page, ReadCallsPage(ctx, project, since, from, limit));
  std::vector<std::string> items;
  for (const auto& c : page.calls) items.push_back("call/" + c.id);
  WEFT_ASSIGN(auto states, state.Get(items));
  CallPushPage out{{}, std::move(page.next)};
  for (size_t i = 0; i < page.calls.size(); ++i) {
    const CallRecord& c = page.calls[i];
    std::string now = PushedState(c);
    if (states[i] == now) continue;
    CallPush e{"", items[i], now, std::nullopt};
    if (!states[i]) {
      e.items = StartItemText(c, map);
      if (c.ended()) e.items += "," + EndItemText(c, map);
    } else {
      auto before = ParseJson(*states[i], "sync state");
      bool known = before.ok() && before->is_array() && before->size() == 2;
      if (c.ended() && !(known && (*before)[0] == true)) e.items = EndItemText(c, map);
      if (c.display_name && !(known && (*before)[1] == *c.display_name))
        e.rename = Json{{"project_id", to}, {"call_id", c.id}, {"display_name", *c.display_name}};
    }
    out.calls.push_back(std::move(e));
  }
  return out;
}

}  // namespace weft
