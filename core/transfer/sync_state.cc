// The sync sub-database, per (project, destination).
#include "core/api/sync_state.h"

#include "core/digest.h"
#include "store/keys.h"
#include "store/store.h"

namespace weft {

SyncState::SyncState(Context& ctx, std::string project, const std::string& url,
                     const std::string& to_project)
    : ctx_(ctx),
      project_(std::move(project)),
      destination_(BytesDigest(url + " " + to_project).substr(0, 16)) {}

Result<std::vector<std::optional<std::string>>> SyncState::Get(
    const std::vector<std::string>& items) {
  std::vector<std::optional<std::string>> out;
  WEFT_TRY(ctx_.store->Read([&](Txn& txn) -> Status {
    out.clear();
    for (const auto& item : items) {
      WEFT_ASSIGN(auto value, txn.Get(Db::kSync, keys::Sync(project_, destination_, item)));
      out.push_back(value ? std::optional<std::string>(*value) : std::nullopt);
    }
    return Status::OK();
  }));
  return out;
}

Result<SyncState::Items> SyncState::Page(const std::string& prefix, const std::string& after,
                                         size_t limit) {
  std::string base = keys::SyncPrefix(project_, destination_) + prefix;
  std::string first = after.empty() ? "" : base + after + '\0';  // just past `after`
  Items out;
  WEFT_TRY(ctx_.store->Read([&](Txn& txn) -> Status {
    out.clear();
    WEFT_TRY(txn.ForEach(Db::kSync, Txn::KeyRange{base, first, ""},
                         [&](std::string_view key, std::string_view value) -> Result<bool> {
                           out.emplace_back(key.substr(base.size()), value);
                           return out.size() < limit;
                         }));
    txn.ReleaseMappedPages();
    return Status::OK();
  }));
  return out;
}

Status SyncState::Put(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& items) {
  if (items.empty()) return Status::OK();
  return ctx_.store->Write([&](Txn& txn) -> Status {
    for (const auto& [item, value] : items) {
      std::string key = keys::Sync(project_, destination_, item);
      WEFT_TRY(value ? txn.Put(Db::kSync, key, *value) : txn.Del(Db::kSync, key));
    }
    return Status::OK();
  });
}

}  // namespace weft
