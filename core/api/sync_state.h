// What weft push has sent from a project to one destination (a server URL
// and project there), kept in the store's sync sub-database so that the
// next push sends only what changed and an interrupted one resumes
// (docs/transfer.md#incremental-push). Items are recorded only after the
// destination acknowledged them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "core/api/context.h"

namespace weft {

class SyncState {
 public:
  SyncState(Context& ctx, std::string project, const std::string& url,
            const std::string& to_project);

  // The value of each item, nullopt where none is recorded; one read.
  Result<std::vector<std::optional<std::string>>> Get(const std::vector<std::string>& items);
  // Up to limit recorded items that start with prefix and sort after
  // `after` (both without the prefix; "" for the first), with their values,
  // in order; one read that lets go of the store pages it touched, so a walk
  // of millions of items a page at a time stays small.
  using Items = std::vector<std::pair<std::string, std::string>>;
  Result<Items> Page(const std::string& prefix, const std::string& after, size_t limit);
  // Records items (and forgets those whose value is nullopt); one write.
  Status Put(const std::vector<std::pair<std::string, std::optional<std::string>>>& items);

 private:
  Context& ctx_;
  std::string project_, destination_;
};

}  // namespace weft
