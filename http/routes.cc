// Every path both SDKs send, mapped to what serves it.
#include "http/routes.h"

namespace weft::http {
namespace {

struct Special {
  std::string_view path;
  RouteKind kind;
  const char* verb;
};

constexpr Special kSpecial[] = {
    {"health", RouteKind::kHealth, "GET"},
    {"server_info", RouteKind::kServerInfo, "GET"},
    {"graphql", RouteKind::kGraphql, "POST"},
    // Not kept by a local store; a 404 makes the SDKs fall back or skip.
    {"agents/otel/v1/traces", RouteKind::kAbsent, "POST"},
    // An exporter given one endpoint for all three signals sends these too.
    {"v1/metrics", RouteKind::kOtlpDrop, "POST"},
    {"v1/logs", RouteKind::kOtlpDrop, "POST"},
    {"otel/v1/metrics", RouteKind::kOtlpDrop, "POST"},
    {"otel/v1/logs", RouteKind::kOtlpDrop, "POST"},
};

}  // namespace

std::string NormalPath(std::string_view path) {
  std::string out;
  for (char c : path)
    if (c != '/' || (!out.empty() && out.back() != '/')) out += c;
  if (!out.empty() && out.back() == '/') out.pop_back();
  if (out == "traces") return "";
  if (out.starts_with("traces/")) out.erase(0, 7);
  return out;
}

namespace {

// Whether path matches a row's path, whose "{name}" segments match any one
// non-empty segment.
bool PathMatches(std::string_view pattern, std::string_view path) {
  for (;;) {
    size_t p_end = pattern.find('/'), s_end = path.find('/');
    std::string_view want = pattern.substr(0, p_end), got = path.substr(0, s_end);
    if (got.empty() || (want != got && !want.starts_with('{'))) return false;
    if (p_end == std::string_view::npos || s_end == std::string_view::npos) return p_end == s_end;
    pattern.remove_prefix(p_end + 1);
    path.remove_prefix(s_end + 1);
  }
}

}  // namespace

std::optional<Route> FindRoute(std::string_view path) {
  for (const Special& s : kSpecial)
    if (path == s.path) return Route{s.kind, s.verb};
  for (const MethodRow& row : MethodTable())
    for (std::string_view p : row.http)
      if (!p.empty() && PathMatches(p, path)) return Route{RouteKind::kMethod, "POST", &row};
  return std::nullopt;
}

bool Writes(const Route& route) { return route.method && route.method->access == Access::kWrite; }

}  // namespace weft::http
