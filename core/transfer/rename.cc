// project_rename (docs/semantics.md#projects): a project's records exported
// and loaded again under the new name, as `weft export | weft import
// --to-project` would (its refs rewritten, every digest recomputed), then
// the old project deleted.
#include "core/api/export.h"
#include "core/api/load.h"
#include "core/fields.h"
#include "core/methods.h"
#include "store/keys.h"

namespace weft {

Result<Json> ProjectRename(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string to = f.ProjectId("to");
  bool dry_run = f.OptBool("dry_run").value_or(false);
  WEFT_TRY(f.Finish());
  if (to == project) return Invalid("to: the project is already called " + to);
  WEFT_ASSIGN(Json there, ProjectDelete({{"project_id", to}, {"dry_run", true}}, ctx));
  for (const auto& [kind, n] : there["would_delete"].items())
    if (n != 0)
      return Invalid("to: project " + to + " already holds " + kind + "; rename to a new project");
  WEFT_ASSIGN(Json moved, ProjectDelete({{"project_id", project}, {"dry_run", true}}, ctx));
  if (dry_run)
    return Json{{"project_id", project}, {"to", to}, {"would_move", moved["would_delete"]}};
  Loader loader(ctx, {to, false});
  Status failed;
  WEFT_TRY(Export(ctx, ExportOptions{project, std::nullopt}, [&](std::string_view record) {
    failed = loader.AddText(record, "record");
    return failed.ok();
  }));
  WEFT_TRY(failed);
  WEFT_TRY(loader.Flush());
  WEFT_TRY(ProjectDelete({{"project_id", project}}, ctx));
  return Json{{"project_id", project}, {"to", to}, {"moved", moved["would_delete"]}};
}

}  // namespace weft
