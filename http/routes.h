// The routes of Weave's HTTP API (docs/http-api.md): every method row of
// core/method_table.cc with HTTP paths, and the few routes that are not a
// method (health, server_info, the GraphQL stub, what a local store does
// not keep). How a route's request and answer travel follows the row's Io.
#pragma once

#include <string>
#include <string_view>

#include "core/api/method_table.h"

namespace weft::http {

enum class RouteKind {
  kMethod,      // a method row: JSON in (or its Io's form), its answer out
  kHealth,      // GET: {"status": "ok"}
  kServerInfo,  // GET: the versions the Python SDK checks
  kGraphql,     // the W&B GraphQL stub the Python SDK needs
  kAbsent,      // a route a local store does not serve: 404, so SDKs fall back
  kOtlpDrop,    // OTLP metrics and logs: accepted and dropped (docs/otel.md#ingest)
};

struct Route {
  RouteKind kind;
  const char* verb;                   // "POST" or "GET"
  const MethodRow* method = nullptr;  // with kMethod
};

// The route for a normalised path (NormalPath), or nullopt.
std::optional<Route> FindRoute(std::string_view path);

// Whether a route writes to the store (refused by a read-only server).
bool Writes(const Route& route);

// The path with repeated slashes collapsed and any /traces prefix dropped,
// without the leading slash ("call/upsert_batch").
std::string NormalPath(std::string_view path);

}  // namespace weft::http
