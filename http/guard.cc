// The browser-facing rules of weft serve and weft ui (docs/security.md).
#include "http/guard.h"

#include "http/wire/params.h"

namespace weft::http {
namespace {

// The host of a Host header: "[::1]:6345" -> "[::1]", "a:1" -> "a".
std::string HostName(std::string_view host) {
  if (host.starts_with("[")) {
    size_t close = host.find(']');
    return close == std::string_view::npos ? std::string(host)
                                           : std::string(host.substr(0, close + 1));
  }
  return Lower(host.substr(0, host.find(':')));
}

// A listening address as it appears in a Host header ("::1" -> "[::1]").
std::string AsHostName(const std::string& host) {
  return host.find(':') != std::string::npos && !host.starts_with("[") ? "[" + host + "]"
                                                                       : Lower(host);
}

bool HostAllowed(std::string_view host, const GuardOptions& opts) {
  if (IsWildcard(opts.bound_host)) return true;
  std::string name = HostName(host);
  if (name == "localhost" || name == "127.0.0.1" || name == "[::1]" ||
      name == AsHostName(opts.bound_host))
    return true;
  for (const std::string& extra : opts.extra_hosts)
    if (name == AsHostName(extra)) return true;
  return false;
}

}  // namespace

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

bool IsWildcard(const std::string& host) {
  return host == "0.0.0.0" || host == "::" || host == "[::]" || host.empty();
}

std::optional<Response> CheckBrowser(const RequestHead& head, const GuardOptions& opts) {
  if (head.Has("host") && !HostAllowed(head.Header("host"), opts))
    return ErrorResponse(421,
                         "Host '" + std::string(head.Header("host")) +
                             "' is not a name this server answers to (add it with --allow-host)");
  if (head.method == "GET" || head.method == "HEAD")
    return std::nullopt;  // no data changes, and no page can read the answer
  std::string_view site = head.Header("sec-fetch-site");
  if (!site.empty() && site != "same-origin" && site != "none")
    return ErrorResponse(
        403, "a request from another site (Sec-Fetch-Site: " + std::string(site) + ") is refused");
  std::string_view origin = head.Header("origin");
  if (head.Has("origin") && origin != "http://" + std::string(head.Header("host")))
    return ErrorResponse(
        403, "a request from another origin (Origin: " + std::string(origin) + ") is refused");
  return std::nullopt;
}

std::optional<Response> CheckWriteType(const RequestHead& head) {
  std::string_view type = head.Header("content-type");
  if (type.empty()) return std::nullopt;  // what Weave's Python SDK sends
  auto parsed = ParseParamHeader(type, "Content-Type");
  std::string media = parsed.ok() ? parsed->value : "";
  if (media != "text/plain" && media != "application/x-www-form-urlencoded" &&
      media != "multipart/form-data")
    return std::nullopt;
  return ErrorResponse(415,
                       "Content-Type '" + std::string(type) +
                           "': a write takes JSON (send Content-Type: application/json, or none)");
}

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
       "data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
  };
  return headers;
}

}  // namespace weft::http
