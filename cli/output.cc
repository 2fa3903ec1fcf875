// Response printing.
#include "cli/output.h"

#include <sstream>

#include "cli/junit.h"
#include "cli/view.h"

namespace weft::cli {
namespace {

// The columns of --format table: those the request selected (calls'
// columns, feedback's fields), else the command's own.
std::vector<std::string> TableColumns(const CommandSpec& spec, const Json& request) {
  std::vector<std::string> columns;
  for (const char* key : {"columns", "fields"})
    if (request.contains(key) && request[key].is_array() && !request[key].empty()) {
      if (key == std::string("columns")) columns.push_back("id");
      for (const Json& c : request[key])
        if (c.is_string() && c != "id") columns.push_back(c);
      return columns;
    }
  std::stringstream ss(spec.table_columns);
  for (std::string c; std::getline(ss, c, ',');) columns.push_back(c);
  return columns;
}

}  // namespace

void PrintJson(const Json& v, bool pretty, std::FILE* out) {
  DumpTo(out, v, pretty ? 2 : -1);  // no text in memory first: answers may be 100 MB
  std::fputc('\n', out);
}

ResponsePrinter::ResponsePrinter(const CommandSpec& spec, const Json& request, std::string format,
                                 bool pretty)
    : spec_(spec), request_(request), format_(std::move(format)), pretty_(pretty) {}

std::function<void(std::string_view)> ResponsePrinter::Sink() {
  if ((format_ == "table" || format_ == "junit") && spec_.list)
    return
        [this](std::string_view line) { streamed_.push_back(Json::parse(line, nullptr, false)); };
  return [this](std::string_view line) { PrintText(line); };
}

void ResponsePrinter::PrintText(std::string_view response) {
  std::fwrite(response.data(), 1, response.size(), stdout);
  std::fputc('\n', stdout);
}

void ResponsePrinter::Print(const Json& response) {
  if (spec_.output == OutputKind::kBytes) {
    const auto& bytes = response["content"].get_binary();
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    return;
  }
  bool streamed = spec_.output == OutputKind::kNdjson;
  if (streamed && format_ != "table" && format_ != "junit") return;  // the lines are out already
  if (!Listing()) {
    PrintJson(response, pretty_);
    return;
  }
  const Json& items = streamed ? streamed_ : response[spec_.list];
  if (format_ == "ndjson")
    for (const Json& item : items) PrintJson(item, false);
  else if (format_ == "junit" && spec_.list == std::string("calls"))
    std::fputs(JunitReport(std::vector<Json>(items.begin(), items.end())).c_str(), stdout);
  else
    PrintTable(items, TableColumns(spec_, request_));
}

}  // namespace weft::cli
