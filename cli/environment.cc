// Store discovery and the user's identity.
#include "cli/environment.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cli/session.h"

namespace weft::cli {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string FindStore(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (std::string env = Env("WEFT_STORE"); !env.empty()) return env;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::current_path(ec);
  for (; !ec; dir = dir.parent_path()) {
    std::error_code missing;
    if (fs::is_directory(dir / ".weft", missing)) return (dir / ".weft").string();
    if (dir == dir.parent_path()) break;
  }
  return ".weft";
}

std::string FindProject(const std::string& flag) {
  return flag.empty() ? Env("WEFT_PROJECT") : flag;
}

double FindWait(double flag) {
  if (flag >= 0) return flag;
  std::string env = Env("WEFT_WAIT");
  char* end = nullptr;
  double v = env.empty() ? -1 : std::strtod(env.c_str(), &end);
  return v >= 0 && end && *end == '\0' ? v : kDefaultWait;
}

std::string FindUser() {
  if (std::string user = Env("WEFT_USER"); !user.empty()) return user;
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return Env("USER");
}

}  // namespace weft::cli
