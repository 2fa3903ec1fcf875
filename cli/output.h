// Writes responses to standard output in the form the command and the
// user ask for: the contract's JSON (compact or --pretty), NDJSON lines,
// an aligned table (--format), or raw bytes.
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "base/json.h"
#include "cli/commands.h"

namespace weft::cli {

void PrintJson(const Json& v, bool pretty, std::FILE* out = stdout);

class ResponsePrinter {
 public:
  // format: json, ndjson, table or junit (calls only; others print as table).
  ResponsePrinter(const CommandSpec& spec, const Json& request, std::string format, bool pretty);

  // Where a streaming method hands each item's JSON text: printed at once
  // as a line, or kept for the table.
  std::function<void(std::string_view)> Sink();

  // Prints the response (what streaming did not print already).
  void Print(const Json& response);
  // Whether Print shows the whole response as CompactDumps writes it, so
  // that a method's own text of it (MethodRow::answer_text) may be printed
  // instead, with PrintText.
  bool PrintsAsIs() const { return spec_.output == OutputKind::kJson && !Listing() && !pretty_; }
  void PrintText(std::string_view response);

 private:
  bool Listing() const { return format_ != "json" && spec_.list; }

  const CommandSpec& spec_;
  const Json& request_;
  std::string format_;
  bool pretty_;
  Json streamed_ = Json::array();
};

}  // namespace weft::cli
