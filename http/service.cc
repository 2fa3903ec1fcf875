// The routes of weft serve and weft ui (docs/http-api.md), over core.
#include "http/service.h"

#include <openssl/crypto.h>

#include "base/base64.h"
#include "core/api/export.h"
#include "core/api/otel_export.h"
#include "http/graphql.h"
#include "http/routes.h"
#include "http/ui.h"
#include "http/wire/multipart.h"
#include "http/wire/params.h"

namespace weft::http {
namespace {

int StatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalid: return 400;
    case ErrorKind::kModel: return 422;  // FastAPI's answer to a request its model refuses
    case ErrorKind::kField: return 403;  // Weave's InvalidFieldError
    case ErrorKind::kTooLarge: return 413;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kStore: return 500;
    case ErrorKind::kBusy: return 503;  // both SDKs retry it
  }
  return 500;
}

Response JsonResponse(const Json& body) {
  Response r;
  r.body = CompactDumps(body);
  return r;
}

Response FromError(const Error& e) {
  return ErrorResponse(StatusOf(e.kind), e.message,
                       e.deleted_at.empty() ? Json::object() : Json{{"deleted_at", e.deleted_at}});
}

// The password of a Basic Authorization header ("api:KEY" -> KEY).
std::string BasicPassword(std::string_view header) {
  if (!header.starts_with("Basic ")) return "";
  auto decoded = Base64Decode(std::string(header.substr(6)));
  if (!decoded) return "";
  size_t colon = decoded->find(':');
  return colon == std::string::npos ? "" : decoded->substr(colon + 1);
}

bool SameKey(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The viewer's static files hold no data: they are served without a key,
// so that the page can ask for one.
bool IsPublic(const RequestHead& head, bool ui) {
  return head.method == "GET" &&
         (NormalPath(head.path) == "health" || (ui && FindUiFile(NormalPath(head.path))));
}

}  // namespace

std::optional<Response> ApiService::Admit(const RequestHead& head) {
  if (auto refused = CheckBrowser(head, opts_.guard)) return refused;
  if (IsPublic(head, opts_.ui)) return std::nullopt;
  std::string path = NormalPath(head.path);
  bool projects = opts_.ui && path == "weft/projects";
  std::optional<Route> route = projects ? std::nullopt : FindRoute(path);
  if (!projects && !route) return ErrorResponse(404, "no route " + head.method + " /" + path);
  const char* verb = projects ? "GET" : route->verb;
  if (head.method != verb)
    return ErrorResponse(405, "/" + path + " takes " + verb + ", not " + head.method);
  if (!opts_.api_key.empty() &&
      !SameKey(BasicPassword(head.Header("authorization")), opts_.api_key) &&
      !SameKey(std::string(head.Header("wandb-api-key")), opts_.api_key))
    return ErrorResponse(
        401,
        "a wrong or missing API key: send Basic auth api:KEY (or a wandb-api-key header) "
        "with the key the server was given");
  if (!projects && route->kind == RouteKind::kOtlpDrop)
    return CheckWriteType(head);  // writes nothing
  if (projects || !Writes(*route)) return std::nullopt;
  if (opts_.read_only)
    return ErrorResponse(
        403, "/" + path + " writes, and this server is read-only (weft ui without --allow-writes)");
  if (route->method->io != Io::kBytesIn)
    return CheckWriteType(head);  // uploads are multipart, as the SDKs send them
  return std::nullopt;
}

Response ApiService::Handle(Request& req) {
  std::string path = NormalPath(req.head.path);
  if (req.head.method == "GET" && opts_.ui) {
    if (const UiFile* file = FindUiFile(path)) {
      Response r;
      r.content_type = file->content_type;
      r.body = std::string(file->content);
      r.headers.emplace_back("Cache-Control", "no-cache");
      return r;
    }
    if (path == "weft/projects") return Projects();
  }
  const Route route = *FindRoute(path);  // Admit found it
  switch (route.kind) {
    case RouteKind::kHealth: return JsonResponse({{"status", "ok"}});
    case RouteKind::kServerInfo:
      return JsonResponse(
          {{"min_required_weave_python_version", "0.0.0"}, {"trace_server_version", WEFT_VERSION}});
    case RouteKind::kAbsent: return ErrorResponse(404, "/" + path + " is not served by weft");
    case RouteKind::kGraphql: {
      Result<Json> body = ParseJson(req.body, "request body");
      return body.ok() ? JsonResponse(GraphqlAnswer(*body, opts_.user)) : FromError(body.error());
    }
    case RouteKind::kOtlpDrop: return Otlp(req, true);
    case RouteKind::kMethod:
      return route.method->io == Io::kOtlp ? Otlp(req, false) : Call(*route.method, req);
  }
  return ErrorResponse(500, "no handler for /" + path);
}

// A method row's route: its request read in the form its Io says.
Response ApiService::Call(const MethodRow& method, Request& req) {
  Context ctx = server_.ctx();
  if (method.io == Io::kBytesIn) return Upload(req, method);
  if (method.from_text) {  // read and answered without JSON trees (call/upsert_batch)
    Response r;
    Status done = method.from_text(req.body, ctx, r.body);
    if (!done.ok()) return FromError(done.error());
    return r;
  }
  Result<Json> body = ParseJson(req.body, "request body");
  if (!body.ok()) return FromError(body.error());
  std::string().swap(req.body);  // the parsed tree is all that is needed now
  if (method.io == Io::kStream) return Stream(method, *body);
  if (method.answer_text) {  // written without a JSON tree (calls/query)
    Response r;
    Status written = method.answer_text(*body, ctx, r.body);
    if (!written.ok()) return FromError(written.error());
    return r;
  }
  Result<Json> answer = method.fn(*body, ctx);
  if (!answer.ok()) return FromError(answer.error());
  if (method.io == Io::kBytesOut) {
    const auto& bytes = (*answer)["content"].get_binary();
    Response r;
    r.content_type = "application/octet-stream";
    r.body.assign(bytes.begin(), bytes.end());
    return r;
  }
  return JsonResponse(*answer);
}

// multipart/form-data with the parts project_id and file (and, from the
// Python SDK, expected_digest); docs/http-api.md#file-uploads.
Response ApiService::Upload(const Request& req, const MethodRow& method) {
  auto boundary = MultipartBoundary(req.head.Header("content-type"));
  if (!boundary.ok()) return FromError(boundary.error());
  auto parts = ParseMultipart(req.body, *boundary);
  if (!parts.ok()) return FromError(parts.error());
  const FormPart* file = FindPart(*parts, "file");
  const FormPart* project = FindPart(*parts, "project_id");
  if (!file) return ErrorResponse(400, "file: the multipart body has no file part");
  if (!project) return ErrorResponse(400, "project_id: field required");
  Json request = {
      {"project_id", std::string(project->data)},
      {"name", file->filename.empty() ? "file" : file->filename},
      {"content", Json::binary(std::vector<uint8_t>(file->data.begin(), file->data.end()))}};
  if (const FormPart* expected = FindPart(*parts, "expected_digest"))
    request["expected_digest"] = std::string(expected->data);
  Context ctx = server_.ctx();
  Result<Json> answer = method.fn(request, ctx);
  if (!answer.ok()) return FromError(answer.error());
  return JsonResponse(*answer);
}

// OTLP/HTTP (docs/otel.md#ingest): a protobuf or JSON
// ExportTraceServiceRequest, answered in the request's own encoding; spans
// go to their resource's project, else the project_id header's, else the
// server's --project. Metrics and logs (drop) are read and dropped.
Response ApiService::Otlp(const Request& req, bool drop) {
  auto type = ParseParamHeader(req.head.Header("content-type"), "Content-Type");
  bool json = type.ok() && type->value == "application/json";
  auto answer = [&](int64_t rejected, const std::string& message) {
    Response r;
    r.content_type = json ? "application/json" : "application/x-protobuf";
    r.body = json ? CompactDumps(OtlpResponseJson(rejected, message))
                  : OtlpResponseProto(rejected, message);
    return r;
  };
  if (drop) return answer(0, "");
  Result<Json> body = json ? ParseJson(req.body, "request body") : Result<Json>(Json());
  if (!body.ok()) return FromError(body.error());
  Result<OtelRequest> request = json ? DecodeOtlpJson(*body) : DecodeOtlpProto(req.body);
  if (!request.ok()) return FromError(request.error());
  std::string project(req.head.Header("project_id"));
  if (project.empty()) project = opts_.project;
  Context ctx = server_.ctx();
  Result<OtelOutcome> outcome = ExportSpans(*request, project, ctx);
  if (!outcome.ok()) return FromError(outcome.error());
  return answer(outcome->rejected, outcome->message);
}

// NDJSON, one result a line (calls, threads). The method runs to its end
// before anything is sent, so a bad request still gets its 400; the lines
// are spooled inside its read transaction, which then ends, and sent after
// it at the client's own pace.
Response ApiService::Stream(const MethodRow& method, const Json& body) {
  Context ctx = server_.ctx();
  Response r;
  r.content_type = "application/jsonl";
  r.spool = std::make_unique<Spool>();
  bool spooled = true;
  ctx.emit = [&](std::string_view item) {
    spooled = spooled && r.spool->Write(item) && r.spool->Write("\n");
  };
  Result<Json> done = method.fn(body, ctx);
  if (!done.ok()) return FromError(done.error());
  if (!spooled) return ErrorResponse(500, "the answer could not be spooled (is the disk full?)");
  return r;
}

Response ApiService::Projects() {
  Context ctx = server_.ctx();
  auto projects = ListProjects(ctx);
  if (!projects.ok()) return FromError(projects.error());
  return JsonResponse({{"projects", *projects}, {"read_only", opts_.read_only}});
}

}  // namespace weft::http
