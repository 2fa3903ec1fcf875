// Response printing.
#include "cli/output.h"

namespace weft::cli {

void PrintJson(const Json& v, bool pretty, std::FILE* out) {
  std::string text = pretty ? v.dump(2, ' ', false, Json::error_handler_t::replace) : CompactDumps(v);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), out);
}

void PrintResponse(const Json& response, OutputKind kind, bool pretty) {
  if (kind == OutputKind::kBytes) {
    const auto& bytes = response["content"].get_binary();
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  } else if (kind == OutputKind::kJson) {
    PrintJson(response, pretty);
  }  // NDJSON was written line by line as it was found
}

}  // namespace weft::cli
