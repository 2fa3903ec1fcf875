// Every path both SDKs send, mapped to what serves it.
#include "http/routes.h"

namespace weft::http {
namespace {

constexpr Route kRoutes[] = {
    {"health", "GET", RouteKind::kHealth, nullptr},
    {"server_info", "GET", RouteKind::kServerInfo, nullptr},
    {"graphql", "POST", RouteKind::kGraphql, nullptr},
    {"call/start", "POST", RouteKind::kMethod, "call_start"},
    {"call/end", "POST", RouteKind::kMethod, "call_end"},
    {"call/upsert_batch", "POST", RouteKind::kBatch, "call_upsert_batch"},
    {"call/read", "POST", RouteKind::kMethod, "call_read"},
    {"call/update", "POST", RouteKind::kMethod, "call_update"},
    {"calls/delete", "POST", RouteKind::kMethod, "calls_delete"},
    {"calls/query", "POST", RouteKind::kMethod, "calls_query"},
    {"calls/stream_query", "POST", RouteKind::kStream, "calls_query_stream"},
    {"calls/query_stats", "POST", RouteKind::kMethod, "calls_query_stats"},
    {"obj/create", "POST", RouteKind::kMethod, "obj_create"},
    {"obj/read", "POST", RouteKind::kMethod, "obj_read"},
    {"obj/delete", "POST", RouteKind::kMethod, "obj_delete"},
    {"objs/query", "POST", RouteKind::kMethod, "objs_query"},
    {"table/create", "POST", RouteKind::kMethod, "table_create"},
    {"table/update", "POST", RouteKind::kMethod, "table_update"},
    {"table/query", "POST", RouteKind::kMethod, "table_query"},
    {"table/query_stats", "POST", RouteKind::kMethod, "table_query_stats"},
    {"table/query_stats_batch", "POST", RouteKind::kMethod, "table_query_stats_batch"},
    {"refs/read_batch", "POST", RouteKind::kMethod, "refs_read_batch"},
    {"file/create", "POST", RouteKind::kFileUpload, "file_create"},
    {"files/create", "POST", RouteKind::kFileUpload, "file_create"},
    {"file/content", "POST", RouteKind::kFileContent, "file_content_read"},
    {"files/content", "POST", RouteKind::kFileContent, "file_content_read"},
    {"feedback/create", "POST", RouteKind::kMethod, "feedback_create"},
    {"feedback/batch/create", "POST", RouteKind::kMethod, "feedback_create_batch"},
    {"feedback/query", "POST", RouteKind::kMethod, "feedback_query"},
    {"feedback/purge", "POST", RouteKind::kMethod, "feedback_purge"},
    {"feedback/replace", "POST", RouteKind::kMethod, "feedback_replace"},
    // Not kept by a local store; a 404 makes the SDKs fall back or skip.
    {"table/create_from_digests", "POST", RouteKind::kAbsent, nullptr},
    {"cost/create", "POST", RouteKind::kAbsent, nullptr},
    {"cost/query", "POST", RouteKind::kAbsent, nullptr},
    {"cost/purge", "POST", RouteKind::kAbsent, nullptr},
    {"otel/v1/traces", "POST", RouteKind::kAbsent, nullptr},
    {"otel/v1/trace", "POST", RouteKind::kAbsent, nullptr},
    {"agents/otel/v1/traces", "POST", RouteKind::kAbsent, nullptr},
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

const Route* FindRoute(std::string_view path) {
  std::string normal = NormalPath(path);
  for (const Route& r : kRoutes)
    if (normal == r.path) return &r;
  return nullptr;
}

bool Writes(const Route& route) {
  static constexpr std::string_view kReads[] = {
      "call_read", "calls_query", "calls_query_stream", "calls_query_stats", "obj_read", "objs_query",
      "table_query", "table_query_stats", "table_query_stats_batch", "refs_read_batch", "feedback_query",
      "file_content_read"};
  if (route.kind == RouteKind::kFileUpload || route.kind == RouteKind::kBatch) return true;
  if (route.kind != RouteKind::kMethod && route.kind != RouteKind::kStream) return false;
  for (std::string_view read : kReads)
    if (read == route.method) return false;
  return true;
}

}  // namespace weft::http
