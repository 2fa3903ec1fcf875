// Tables, previews and times for people.
#include "cli/view.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "base/clock.h"
#include "base/json_path.h"
#include "core/api/refs.h"

namespace weft::cli {
namespace {

constexpr size_t kCellWidth = 40;

size_t Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The first `width` characters of s (UTF-8 aware).
std::string Cut(const std::string& s, size_t width) {
  if (Chars(s) <= width) return s;
  size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == width - 1) break;
  }
  return s.substr(0, i) + "\u2026";
}

std::string Cell(const Json* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return Preview(Json(LocalTime(v->get<std::string>())), kCellWidth);
  return Preview(*v, kCellWidth);
}

}  // namespace

std::string LocalTime(const std::string& text) {
  auto t = ParseTime(text);
  if (!t || text.size() < 20 || text[4] != '-') return text;
  std::time_t secs = static_cast<std::time_t>(*t / 1000000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string Preview(const Json& v, size_t width) {
  std::string text = v.is_string() ? v.get<std::string>() : CompactDumps(v);
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return Cut(text, width);
}

void PrintTable(const Json& items, const std::vector<std::string>& columns) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& c : columns) header.push_back(c.substr(c.rfind('.') + 1));
  rows.push_back(header);
  for (const Json& item : items) {
    std::vector<std::string> row;
    for (const auto& c : columns) {
      const Json* v = FollowPath(item, SplitPath(c));
      // an op ref (an SDK call's op_name) by its name, as calls tree shows it
      bool op_ref = c == "op_name" && v && v->is_string() &&
                    v->get_ref<const std::string&>().starts_with("weave:///");
      row.push_back(op_ref ? Cut(TraceName(v->get<std::string>()), kCellWidth) : Cell(v));
    }
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Chars(row[i]));
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - Chars(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
  }
}

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return !(no_color && *no_color) && isatty(STDOUT_FILENO);
}

}  // namespace weft::cli
