// The route table of Weave's HTTP API (docs/http-api.md): each path, the
// HTTP method it takes, and what serves it. Most routes are an interface
// method called exactly as the CLI calls it; the rest say how they differ.
#pragma once

#include <string>
#include <string_view>

namespace weft::http {

enum class RouteKind {
  kMethod,       // JSON body in, the method's JSON response out
  kBatch,        // call_upsert_batch: its JSON text read an item at a time (CallUpsertBatchText)
  kStream,       // calls_query_stream: JSON in, NDJSON out
  kFileUpload,   // multipart (project_id, file) in, file_create's response out
  kFileContent,  // JSON in, file_content_read's raw bytes out
  kHealth,       // GET: {"status": "ok"}
  kServerInfo,   // GET: the versions the Python SDK checks
  kGraphql,      // the W&B GraphQL stub the Python SDK needs
  kAbsent,       // a route a local store does not serve: 404, so SDKs fall back
};

struct Route {
  const char* path;    // without the leading '/' or '/traces/'
  const char* verb;    // "POST" or "GET"
  RouteKind kind;
  const char* method;  // the interface method, for kMethod, kStream, kFile*
};

// The route for a request path: slashes collapsed and a /traces prefix
// dropped first. nullptr when there is none.
const Route* FindRoute(std::string_view path);

// Whether a route writes to the store (refused by a read-only server).
bool Writes(const Route& route);

// The path with repeated slashes collapsed and any /traces prefix dropped,
// without the leading slash ("call/upsert_batch").
std::string NormalPath(std::string_view path);

}  // namespace weft::http
