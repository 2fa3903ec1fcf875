// Finding and running weft's helper programs.
#include "cli/helper.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "cli/session.h"

namespace weft::cli {
namespace {

namespace fs = std::filesystem;

// name beside this weft (the build tree) or in ../libexec/weft (installed).
std::optional<std::string> FindHelper(const std::string& name) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  for (fs::path candidate :
       {self.parent_path() / name, self.parent_path() / "../libexec/weft" / name})
    if (access(candidate.c_str(), X_OK) == 0) return candidate.lexically_normal().string();
  return std::nullopt;
}

}  // namespace

int ExecHelper(const std::string& name, const Json& job) {
  auto helper = FindHelper(name);
  if (!helper)
    return Fail(
        1, "this command needs " + name + ", beside weft or in ../libexec/weft: reinstall weft");
  std::vector<std::string> all = {*helper, CompactDumps(job)};
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  return Fail(1, "cannot run " + *helper + ": " + std::strerror(errno));
}

}  // namespace weft::cli
