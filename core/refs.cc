// Ref parsing (Weave's later validation) and building.
#include "core/refs.h"

#include <cctype>
#include <cstdio>

#include "base/ids.h"

namespace weft {

namespace {
constexpr std::string_view kRefSchemes[] = {"weave://", "wandb-artifact://", "weave-trace-internal://"};
}  // namespace

bool LooksLikeRef(std::string_view s) {
  for (auto scheme : kRefSchemes)
    if (s.starts_with(scheme)) return true;
  return false;
}

bool MayHoldRef(std::string_view json_text) {
  for (auto scheme : kRefSchemes)
    if (json_text.find(scheme) != std::string_view::npos) return true;
  return false;
}
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    parts.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Python's urllib.parse.unquote: invalid escapes stay as they are.
std::string Unquote(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Python's urllib.parse.quote(s, safe=""), applied only where needed.
std::string Quote(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

bool IsInteger(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

Result<Ref> ParseRef(std::string_view uri) {
  std::string u(uri);
  auto bad = [&](const std::string& why) { return Invalid("invalid ref '" + u + "': " + why); };
  if (!uri.starts_with(kRefScheme)) return bad("expected weave:///entity/project/...");
  std::vector<std::string> parts = Split(uri.substr(kRefScheme.size()), '/');
  if (parts.size() >= 2 && parts.back().empty()) parts.pop_back();  // a trailing '/'
  if (parts.size() < 4) return bad("too few parts");
  Ref ref;
  ref.project_id = Unquote(parts[0]) + "/" + Unquote(parts[1]);
  if (!CheckProjectId(ref.project_id, "ref").ok()) return bad("bad entity/project");
  ref.kind = parts[2];
  size_t extra_start = 4;
  if (ref.kind == "object" || ref.kind == "op") {
    std::vector<std::string> nv = Split(parts[3], ':');
    if (nv.size() != 2 || nv[0].empty() || nv[1].empty()) return bad("expected NAME:VERSION");
    ref.name = Unquote(nv[0]);
    ref.version = Unquote(nv[1]);
    if (ref.name.find_first_of("/:") != std::string::npos ||
        ref.version.find_first_of("/:") != std::string::npos)
      return bad("name or version contains '/' or ':'");
  } else if (ref.kind == "table" || ref.kind == "call") {
    ref.name = Unquote(parts[3]);
    if (ref.name.empty()) return bad("empty " + ref.kind + " id");
  } else {
    return bad("unknown kind '" + ref.kind + "'");
  }
  if ((parts.size() - extra_start) % 2 != 0) return bad("extra path must be EDGE/VALUE pairs");
  for (size_t i = extra_start; i < parts.size(); i += 2) {
    const std::string& edge = parts[i];
    std::string value = Unquote(parts[i + 1]);
    if (edge != "key" && edge != "attr" && edge != "index" && edge != "id")
      return bad("unknown path edge '" + edge + "'");
    if (edge == "index" && !IsInteger(value)) return bad("index '" + value + "' is not an integer");
    ref.extra.emplace_back(edge, std::move(value));
  }
  return ref;
}

std::string FormatRef(const Ref& ref) {
  auto slash = ref.project_id.find('/');
  std::string out = std::string(kRefScheme) + Quote(ref.project_id.substr(0, slash)) + "/" +
                    Quote(ref.project_id.substr(slash + 1)) + "/" + ref.kind + "/" + Quote(ref.name);
  if (!ref.version.empty()) out += ":" + Quote(ref.version);
  for (const auto& [edge, value] : ref.extra) out += "/" + edge + "/" + Quote(value);
  // ParseRef drops one trailing '/', so an empty last value needs a second.
  if (!ref.extra.empty() && ref.extra.back().second.empty()) out += "/";
  return out;
}

}  // namespace weft
