// The viewer's files, embedded at build time (tools/embed.cmake).
#include "http/ui.h"

#include <map>
#include <string>

namespace weft::http {
namespace {

const char* ContentType(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".mjs") || name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

const std::map<std::string_view, UiFile>& Files() {
  static const std::map<std::string_view, UiFile> files = [] {
    const std::pair<std::string_view, std::string_view> embedded[] = {
#include "ui_assets.inc"
    };
    std::map<std::string_view, UiFile> out;
    for (const auto& [name, content] : embedded) out[name] = UiFile{content, ContentType(name)};
    return out;
  }();
  return files;
}

}  // namespace

const UiFile* FindUiFile(std::string_view path) {
  std::string_view name = path.empty() ? std::string_view("index.html") : path;
  if (!path.empty() && !name.starts_with("ui/")) return nullptr;
  if (name.starts_with("ui/")) name.remove_prefix(3);
  auto found = Files().find(name);
  return found == Files().end() ? nullptr : &found->second;
}

}  // namespace weft::http
