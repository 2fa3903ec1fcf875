// ensure_project_exists (docs/semantics.md#projects): registers the project, idempotently.
#include "base/bytes.h"
#include "base/clock.h"
#include "base/ids.h"
#include "core/fields.h"
#include "core/methods.h"
#include "store/keys.h"

namespace weft {

Result<Json> EnsureProjectExists(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string entity = f.Str("entity");
  std::string project = f.Str("project");
  WEFT_TRY(f.Finish());
  std::string id = entity + "/" + project;
  WEFT_TRY(CheckProjectId(id, "entity/project"));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto known, txn.Get(Db::kProjects, keys::Project(id)));
    if (known) return Status::OK();
    return txn.Put(Db::kProjects, keys::Project(id), EncodeBE(static_cast<uint64_t>(NowMicros()), 8));
  }));
  return Json{{"project_name", project}};
}

}  // namespace weft
