// What weft push has sent from a project to one destination (a server URL
// and project there), kept in the store's sync sub-database so that the
// next push sends only what changed and an interrupted one resumes
// (docs/transfer.md#incremental-push). Items are recorded only after the
// destination acknowledged them.
#pragma once

#include <functional>
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
  // Every recorded item that starts with prefix, in order.
  Status ForEach(const std::string& prefix,
                 const std::function<void(std::string_view item, std::string_view value)>& fn);
  // Records items (and forgets those whose value is nullopt); one write.
  Status Put(const std::vector<std::pair<std::string, std::optional<std::string>>>& items);

 private:
  Context& ctx_;
  std::string project_, destination_;
};

}  // namespace weft
