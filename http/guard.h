// What a web browser may do to a local server (docs/security.md): the
// Host allow-list against DNS rebinding, the same-origin rule against
// cross-site requests, the content types a page can send without a CORS
// preflight, and the headers every answer carries. Pure functions of a
// request head, applied before anything is routed.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/transport.h"
#include "http/wire/request_head.h"

namespace weft::http {

struct GuardOptions {
  std::string bound_host;                // --host as given
  std::vector<std::string> extra_hosts;  // --allow-host names
};

// Whether an address means this machine only (127.0.0.0/8, ::1, localhost).
bool IsLoopback(const std::string& host);

// Whether the server listens on every address (0.0.0.0, ::).
bool IsWildcard(const std::string& host);

// A refusal for a Host header this server was not bound for (421), or for
// a request with a body that another site sent (403). Listening on every
// address, any Host is taken (a key is then required; docs/security.md).
std::optional<Response> CheckBrowser(const RequestHead& head, const GuardOptions& opts);

// A refusal (415) for a JSON write whose content type a page can send
// without a preflight (text/plain, a form). File uploads are multipart,
// which pages can send too: for them only CheckBrowser stands guard.
std::optional<Response> CheckWriteType(const RequestHead& head);

// The headers of every answer: no sniffing, no framing, a strict
// Content-Security-Policy, no referrer (a key may be in the page's URL).
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

}  // namespace weft::http
