// The web viewer of `weft ui` (docs/ui.md): its static files, built into
// weft-http from http/ui/.
#pragma once

#include <string_view>

namespace weft::http {

struct UiFile {
  std::string_view content;
  const char* content_type;
};

// The file for a request path: "" is index.html, "ui/NAME" a file of
// http/ui/; nullptr for anything else.
const UiFile* FindUiFile(std::string_view path);

}  // namespace weft::http
