// Request assembly: JSON from the command line, files or standard input.
#include "cli/request.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

#include "base/clock.h"
#include "base/json_path.h"
#include "base/utf8.h"

namespace weft::cli {

std::optional<unsigned long long> ParseSize(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (errno || end == text.c_str()) return std::nullopt;
  std::string unit(end);
  int shift = unit.empty() || unit == "B" ? 0
              : unit == "KiB"             ? 10
              : unit == "MiB"             ? 20
              : unit == "GiB"             ? 30
                                          : -1;
  if (shift < 0 || n > (~0ULL >> shift)) return std::nullopt;
  return n << shift;
}

Result<std::string> TimeArgument(const std::string& v, const std::string& what) {
  if (ParseTime(v)) return v;
  if (v.size() == 10 && ParseTime(v + "T00:00:00Z"))
    return v + "T00:00:00Z";  // a bare date: midnight UTC
  static const std::map<char, Micros> kUnits = {
      {'s', 1000000}, {'m', 60000000}, {'h', 3600000000}, {'d', 86400000000}, {'w', 604800000000}};
  long long n = -1;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  size_t used = static_cast<size_t>(end - v.data());
  if (ec == std::errc() && n >= 0 && used == v.size() &&
      n < 253402300800LL)  // Unix seconds (before year 10000)
    return FormatTime(n * 1000000);
  if (ec != std::errc() || n < 0 || used + 1 != v.size() || !kUnits.count(v.back()) ||
      n > 1000000000)
    return Invalid(
        what +
        ": expected an RFC 3339 time, a date (2026-11-30), Unix seconds, or a duration like "
        "15m, 2h, 7d, 1w back from now; got '" +
        v + "'");
  return FormatTime(NowMicros() - n * kUnits.at(v.back()));
}

namespace {

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (path != "-" && std::filesystem::is_directory(path, ec))
    return Invalid(what + ": '" + path + "' is a folder, not a file");
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return Invalid(what + ": cannot read file '" + path + "'");
  std::string out;
  if (f != stdin && std::fseek(f, 0, SEEK_END) == 0) {  // one allocation for a regular file
    long size = std::ftell(f);
    if (size > 0) out.reserve(static_cast<size_t>(size));
    std::rewind(f);
  }
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  bool failed = std::ferror(f);
  if (f != stdin) std::fclose(f);
  if (failed) return Invalid(what + ": cannot read file '" + path + "'");
  return out;
}

// The JSON node at a dotted path, creating objects on the way.
Json& At(Json& root, const std::string& path) {
  Json* cur = &root;
  size_t start = 0;
  for (;;) {
    size_t dot = path.find('.', start);
    if (!cur->is_object()) *cur = Json::object();
    cur = &(*cur)[path.substr(start, dot - start)];
    if (dot == std::string::npos) return *cur;
    start = dot + 1;
  }
}

bool Has(const Json& root, const std::string& path) {
  const Json* v = FollowPath(root, SplitPath(path));
  return v && !v->is_null();
}

// The $expr condition of a --since, --until or --status flag.
Result<Json> Condition(const FlagSpec& flag, const std::string& v) {
  Json started = {{"$getField", "started_at"}};
  if (flag.kind == FlagKind::kStatus) {
    if (v != "success" && v != "error" && v != "running")
      return Invalid(std::string(flag.name) + ": expected success, error or running; got '" + v +
                     "'");
    return Json{{"$eq", {{{"$getField", "summary.weave.status"}}, {{"$literal", v}}}}};
  }
  WEFT_ASSIGN(std::string t, TimeArgument(v, flag.name));
  Json gte = {{"$gte", {started, {{"$literal", t}}}}};
  return flag.kind == FlagKind::kSince ? gte : Json{{"$not", {gte}}};
}

// --sort FIELD[:asc|:desc], repeated: a sort_by list.
Json SortList(const std::vector<std::string>& values) {
  Json list = Json::array();
  for (const auto& v : values) {
    auto colon = v.rfind(':');
    bool has_dir = colon != std::string::npos &&
                   (v.substr(colon + 1) == "asc" || v.substr(colon + 1) == "desc");
    list.push_back({{"field", has_dir ? v.substr(0, colon) : v},
                    {"direction", has_dir ? v.substr(colon + 1) : "asc"}});
  }
  return list;
}

Result<Json> IntValue(const std::string& what, const std::string& v) {
  long long n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (!v.empty() && ec == std::errc() && end == v.data() + v.size()) return Json(n);
  return Invalid(what + ": expected an integer, got '" + v + "'");
}

// A list flag, repeated or comma-separated (or both).
Json CommaList(const std::vector<std::string>& values) {
  Json list = Json::array();
  for (const auto& v : values) {
    std::stringstream ss(v);
    for (std::string item; std::getline(ss, item, ',');)
      if (!item.empty()) list.push_back(item);
  }
  return list;
}

Result<Json> FlagValue(const FlagSpec& flag, const std::vector<std::string>& values) {
  std::string what = flag.name;
  switch (flag.kind) {
    case FlagKind::kString: return Json(values.back());
    case FlagKind::kTime:
      return values.back() == "now" ? Json(FormatTime(NowMicros())) : Json(values.back());
    case FlagKind::kSort: return SortList(values);
    case FlagKind::kExpr: {
      WEFT_ASSIGN(std::string text, ReadArgument(values.back(), what));
      WEFT_ASSIGN(Json expr, ParseJson(text, what));
      return expr.is_object() && expr.contains("$expr") ? expr : Json{{"$expr", expr}};
    }
    case FlagKind::kJson: {
      WEFT_ASSIGN(std::string text, ReadArgument(values.back(), what));
      return ParseJson(text, what);
    }
    case FlagKind::kInt: return IntValue(what, values.back());
    case FlagKind::kOpName:
    case FlagKind::kList: return CommaList(values);
    case FlagKind::kBytes: {
      // Raw bytes travel as a JSON string (moved, not copied); they are
      // never printed.
      WEFT_ASSIGN(std::string bytes, ReadFile(values.back(), what));
      return Json(std::move(bytes));
    }
    case FlagKind::kIdQuery: {
      Json any = Json::array();
      for (const auto& id : values)
        any.push_back({{"$eq", {{{"$getField", "id"}}, {{"$literal", id}}}}});
      return Json{{"$expr", {{"$or", any}}}};
    }
    case FlagKind::kBool: return Json(true);
    case FlagKind::kStream:  // opened by the command, not put in the request (OpenInput)
      return Json();
    case FlagKind::kSince:
    case FlagKind::kUntil:
    case FlagKind::kStatus: return Condition(flag, values.back());
  }
  return Json();
}

}  // namespace

Result<std::function<Result<size_t>(char*, size_t)>> OpenInput(const std::string& path,
                                                               const std::string& what) {
  std::error_code ec;
  if (path != "-" && std::filesystem::is_directory(path, ec))
    return Invalid(what + ": '" + path + "' is a folder, not a file");
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return Invalid(what + ": cannot read file '" + path + "'");
  std::shared_ptr<std::FILE> file(f, [](std::FILE* f) {
    if (f != stdin) std::fclose(f);
  });
  return std::function<Result<size_t>(char*, size_t)>(
      [file, path, what](char* buf, size_t size) -> Result<size_t> {
        size_t n = std::fread(buf, 1, size, file.get());
        if (n == 0 && std::ferror(file.get()))
          return Invalid(what + ": cannot read file '" + path + "'");
        return n;
      });
}

Result<std::string> ReadArgument(const std::string& arg, const std::string& what) {
  if (arg == "-") return ReadFile("-", what);
  if (!arg.empty() && arg[0] == '@') return ReadFile(arg.substr(1), what);
  return arg;
}

Result<Json> BuildRequest(const CommandSpec& spec, const Given& given, const std::string& project) {
  Json req = Json::object();
  if (!given.json.empty()) {
    WEFT_ASSIGN(std::string text, ReadArgument(given.json, "--json"));
    WEFT_ASSIGN(req, ParseJson(text, "--json"));
    if (!req.is_object()) return Invalid("--json: the request must be a JSON object");
  }
  for (size_t i = 0; i < spec.flags.size(); ++i) {
    const FlagSpec& flag = spec.flags[i];
    std::vector<std::string> values = given.flags[i];
    const char* env = flag.env && given.json.empty() ? std::getenv(flag.env) : nullptr;
    if (values.empty() && env && *env) values.push_back(env);
    if (flag.kind == FlagKind::kStream) continue;  // read by the method (OpenInput)
    if (flag.kind != FlagKind::kBytes)             // the same check as text inside --json
      for (const auto& v : values)
        if (!ValidUtf8(v)) return Invalid(std::string(flag.name) + ": not valid UTF-8");
    if (flag.kind == FlagKind::kBool ? !given.bools[i] : values.empty()) continue;
    WEFT_ASSIGN(Json value, FlagValue(flag, values));
    if (flag.kind == FlagKind::kOpName &&
        !project.empty()) {  // SDK calls' op names are refs to a version
      Json names = value;
      for (const Json& name : value)
        if (name.get<std::string>().find("://") == std::string::npos)
          names.push_back("weave:///" + project + "/op/" + name.get<std::string>() + ":*");
      value = std::move(names);
    }
    bool condition = flag.kind == FlagKind::kSince || flag.kind == FlagKind::kUntil ||
                     flag.kind == FlagKind::kStatus;
    Json& at = At(req, flag.path);
    if (condition && at.is_object() && at.contains("$expr"))
      at = {{"$expr", {{"$and", {at["$expr"], value}}}}};
    else
      at = condition ? Json{{"$expr", value}} : std::move(value);
    if (flag.implies) {
      std::string implied = flag.implies;
      auto eq = implied.find('=');
      if (!Has(req, implied.substr(0, eq)))
        At(req, implied.substr(0, eq)) = Json::parse(implied.substr(eq + 1));
    }
  }
  std::string where = spec.project_path;
  if (!project.empty() && where == "entity+project") {
    auto slash = project.find('/');
    if (!Has(req, "entity")) req["entity"] = project.substr(0, slash);
    if (!Has(req, "project") && slash != std::string::npos)
      req["project"] = project.substr(slash + 1);
  } else if (!project.empty() && !where.empty() && !Has(req, where)) {
    At(req, where) = project;
  }
  for (const FlagSpec& flag : spec.flags) {
    if (!flag.fallback || !given.json.empty() || Has(req, flag.path)) continue;
    Json value = Json::parse(flag.fallback);
    At(req, flag.path) = value == "now" ? Json(FormatTime(NowMicros())) : value;
  }
  return req;
}

}  // namespace weft::cli
