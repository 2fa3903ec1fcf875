// Sessions, and error and warning lines.
#include "cli/session.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/environment.h"
#include "core/api/export.h"

namespace weft::cli {

Session::Session(const Globals& g)
    : server_(FindStore(g.store)),
      project_(FindProject(g.project)),
      named_(!g.store.empty() || std::getenv("WEFT_STORE")) {
  server_.ctx().find_user = FindUser;
  SetWriteWait(FindWait(g.wait));
}

void Session::SetWriteWait(double seconds) {
  server_.SetWriteWait(seconds, [seconds](long pid) {
    std::string who = pid ? "process " + std::to_string(pid) : std::string("another process");
    Warn("waiting up to " + std::to_string(static_cast<int>(seconds)) + " s for the store: " + who +
         " holds its write lock");
  });
}

Status Session::UseOnlyProject() {
  if (!project_.empty()) return Status::OK();
  WEFT_ASSIGN(std::vector<std::string> projects, ListProjects(ctx()));
  if (projects.size() == 1) project_ = projects.front();
  if (projects.size() <= 1) return Status::OK();
  std::string listed;
  for (size_t i = 0; i < projects.size() && i < 10; ++i) listed += (i ? ", " : "") + projects[i];
  if (projects.size() > 10) listed += ", ...";
  return Invalid("--project: the store holds " + std::to_string(projects.size()) + " projects (" +
                 listed + "): name one with --project or WEFT_PROJECT");
}

void Session::WarnIfNamedStoreIsMissing() const {
  std::error_code ec;
  if (named_ && !std::filesystem::exists(server_.store_dir(), ec))
    Warn("the store " + server_.store_dir() +
         " does not exist: answering as an empty store (nothing was created)");
}

std::string Session::store_path() const {
  std::error_code ec;
  auto abs = std::filesystem::absolute(server_.store_dir(), ec);
  return ec ? server_.store_dir() : abs.lexically_normal().string();
}

Result<Json> CallOnProject(const Globals& g, const char* method, Json request) {
  Session s(g);
  WEFT_TRY(s.UseOnlyProject());
  request["project_id"] = s.project();
  return CallMethod(method, request, s.ctx());
}

}  // namespace weft::cli
