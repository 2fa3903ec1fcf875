// The HTTP server on cpp-httplib: one handler for every path, which finds
// the route, checks the key, reads the body and calls the core method.
#include "http/server.h"

#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "base/base64.h"
#include "http/graphql.h"
#include "core/transfer/export.h"
#include "http/routes.h"
#include "http/ui.h"

namespace weft::http {
namespace {

constexpr const char* kJsonType = "application/json";

int StatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalid: return 400;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kStore: return 500;
    case ErrorKind::kBusy: return 503;  // both SDKs retry it
  }
  return 500;
}

void Reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(CompactDumps(body), kJsonType);
}

void ReplyError(httplib::Response& res, int status, const std::string& reason) {
  Json body = {{"reason", reason}};
  if (status == 404) body["detail"] = "Not Found";  // what FastAPI answers, which the SDKs probe for
  Reply(res, status, body);
}

// The password of a Basic Authorization header ("api:KEY" -> KEY).
std::string BasicPassword(const std::string& header) {
  if (!header.starts_with("Basic ")) return "";
  auto decoded = Base64Decode(header.substr(6));
  if (!decoded) return "";
  const std::string& out = *decoded;
  size_t colon = out.find(':');
  return colon == std::string::npos ? "" : out.substr(colon + 1);
}

// cpp-httplib answers brotli whenever a client accepts it, at brotli's
// slowest setting, which costs more than the request (a 2,000-call batch
// answer: 100 ms). weft serve answers gzip or nothing instead: the header
// is edited before httplib reads it to encode the answer.
void DropBrotli(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;  // httplib owns req; it is not const there
  auto [first, last] = headers.equal_range("Accept-Encoding");
  for (auto it = first; it != last; ++it) {
    std::string kept;
    size_t pos = 0;
    while (pos <= it->second.size()) {
      size_t comma = std::min(it->second.find(',', pos), it->second.size());
      std::string token = it->second.substr(pos, comma - pos);
      size_t start = token.find_first_not_of(' ');
      bool br = start != std::string::npos && token.compare(start, 2, "br") == 0 &&
                (token.size() == start + 2 || token[start + 2] == ';' || token[start + 2] == ' ');
      if (!br && start != std::string::npos) kept += (kept.empty() ? "" : ", ") + token.substr(start);
      pos = comma + 1;
    }
    it->second = kept;
  }
}

class Handler {
 public:
  Handler(TraceServer& server, const ServeOptions& opts) : server_(server), opts_(opts) {}

  void operator()(const httplib::Request& req, httplib::Response& res) {
    auto started = std::chrono::steady_clock::now();
    DropBrotli(req);
    Handle(req, res);
    if (opts_.log) {
      auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "weft serve: %s %s %d %.1f ms\n", req.method.c_str(), req.path.c_str(), res.status, ms);
    }
  }

 private:
  // The viewer's files, and the projects of the store for its menu.
  bool ServeUi(const std::string& path, httplib::Response& res) {
    if (const UiFile* file = FindUiFile(path)) {
      res.status = 200;
      res.set_content(std::string(file->content), file->content_type);
      res.set_header("Cache-Control", "no-cache");
      return true;
    }
    if (path != "weft/projects") return false;
    Context ctx = server_.ctx();
    auto projects = ListProjects(ctx);
    if (!projects.ok()) ReplyError(res, 500, projects.error().message);
    else Reply(res, 200, {{"projects", *projects}});
    return true;
  }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    if (opts_.ui && req.method == "GET" && ServeUi(NormalPath(req.path), res)) return;
    const Route* route = FindRoute(req.path);
    if (!route) return ReplyError(res, 404, "no route " + req.method + " /" + NormalPath(req.path));
    if (req.method != route->verb)
      return ReplyError(res, 405, "/" + std::string(route->path) + " takes " + route->verb + ", not " + req.method);
    if (opts_.read_only && Writes(*route))
      return ReplyError(res, 403, "/" + std::string(route->path) + " writes, and this server is read-only (weft ui without --allow-writes)");
    if (!opts_.api_key.empty() && BasicPassword(req.get_header_value("Authorization")) != opts_.api_key)
      return ReplyError(res, 401, "a wrong or missing API key: send Basic auth api:KEY with the key weft serve was given");
    switch (route->kind) {
      case RouteKind::kHealth: return Reply(res, 200, {{"status", "ok"}});
      case RouteKind::kServerInfo:
        return Reply(res, 200, {{"min_required_weave_python_version", "0.0.0"}, {"trace_server_version", WEFT_VERSION}});
      case RouteKind::kAbsent: return ReplyError(res, 404, "/" + std::string(route->path) + " is not served by weft");
      case RouteKind::kFileUpload: return Upload(req, res, route->method);
      default: break;
    }
    Result<Json> body = ParseJson(req.body, "request body");
    if (!body.ok()) return ReplyError(res, 400, body.error().message);
    if (route->kind == RouteKind::kGraphql) return Reply(res, 200, GraphqlAnswer(*body, opts_.user));
    Context ctx = server_.ctx();
    if (route->kind == RouteKind::kStream) return Stream(*body, ctx, res);
    Result<Json> answer = CallMethod(route->method, *body, ctx);
    if (!answer.ok()) return ReplyError(res, StatusOf(answer.error().kind), answer.error().message);
    if (route->kind == RouteKind::kFileContent) {
      const auto& bytes = (*answer)["content"].get_binary();
      res.status = 200;
      res.set_content(std::string(bytes.begin(), bytes.end()), "application/octet-stream");
      return;
    }
    Reply(res, 200, *answer);
  }

  // multipart/form-data with the parts project_id and file.
  void Upload(const httplib::Request& req, httplib::Response& res, const char* method) {
    if (!req.is_multipart_form_data()) return ReplyError(res, 400, "expected a multipart/form-data body");
    if (!req.has_file("file")) return ReplyError(res, 400, "file: the multipart body has no file part");
    if (!req.has_file("project_id")) return ReplyError(res, 400, "project_id: field required");
    auto file = req.get_file_value("file");
    Json request = {{"project_id", req.get_file_value("project_id").content},
                    {"name", file.filename.empty() ? "file" : file.filename},
                    {"content", Json::binary(std::vector<uint8_t>(file.content.begin(), file.content.end()))}};
    Context ctx = server_.ctx();
    Result<Json> answer = CallMethod(method, request, ctx);
    if (!answer.ok()) return ReplyError(res, StatusOf(answer.error().kind), answer.error().message);
    if (req.has_file("expected_digest") && req.get_file_value("expected_digest").content != (*answer)["digest"])
      return ReplyError(res, 400, "expected_digest: the file's digest is " + (*answer)["digest"].get<std::string>());
    Reply(res, 200, *answer);
  }

  // NDJSON, one call a line, written as the store is read. The request is
  // checked first, so that a bad one still gets its 400.
  void Stream(const Json& body, Context& ctx, httplib::Response& res) {
    Result<CallsStream> stream = OpenCallsStream(body, ctx);
    if (!stream.ok()) return ReplyError(res, StatusOf(stream.error().kind), stream.error().message);
    res.status = 200;
    res.set_chunked_content_provider("application/jsonl", [stream = *stream, log = opts_.log](size_t, httplib::DataSink& sink) {
      Status s = stream([&](const Json& call) {
        std::string line = CompactDumps(call) + "\n";
        return sink.write(line.data(), line.size());
      });
      if (!s.ok() && log) std::fprintf(stderr, "weft serve: stream ended early: %s\n", s.error().message.c_str());
      sink.done();
      return true;
    });
  }

  TraceServer& server_;
  const ServeOptions& opts_;
};

// Waits for SIGINT or SIGTERM (blocked in every thread from here on) and
// stops the server; SIGUSR1 only ends the wait.
std::thread StopOnSignal(httplib::Server& svr) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&set, sig);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return std::thread([&svr, set] {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != SIGUSR1) svr.stop();
  });
}

}  // namespace

int Serve(TraceServer& server, const ServeOptions& opts) {
  signal(SIGPIPE, SIG_IGN);  // a client that goes away is an ordinary write error
  httplib::Server svr;
  int threads = opts.threads > 0 ? opts.threads : 64;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let
  // a second weft serve share the port instead of failing.
  svr.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  svr.set_tcp_nodelay(true);  // small answers go out at once, not after a delayed ACK
  svr.set_payload_max_length(opts.max_body);
  svr.set_read_timeout(5);
  svr.set_write_timeout(30);
  svr.set_keep_alive_timeout(2);
  svr.set_keep_alive_max_count(1000);
  Handler handler(server, opts);
  auto handle = [&handler](const httplib::Request& req, httplib::Response& res) { handler(req, res); };
  for (auto add : {&httplib::Server::Get, &httplib::Server::Put, &httplib::Server::Patch, &httplib::Server::Delete})
    (svr.*add)(".*", handle);
  svr.Post(".*", httplib::Server::Handler(handle));
  // Errors httplib answers itself (413, a malformed request) get a JSON reason too.
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    ReplyError(res, res.status, res.status == 413 ? "the request body is larger than weft serve's --max-body"
                                                  : std::string("HTTP ") + std::to_string(res.status));
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    ReplyError(res, 500, "internal error");
  });
  int port = opts.port;
  if (port == 0) {
    port = svr.bind_to_any_port(opts.host);
  } else if (!svr.bind_to_port(opts.host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::fprintf(stderr, "weft: error: cannot listen on %s:%d (in use, or not an address of this machine)\n",
                 opts.host.c_str(), opts.port);
    return 1;
  }
  std::string url = "http://" + opts.host + ":" + std::to_string(port);
  std::printf("%s\n", url.c_str());
  std::fflush(stdout);
  if (opts.ui) {
    std::string page = url + "/" + (opts.project.empty() ? "" : "?project=" + opts.project);
    std::fprintf(stderr, "weft ui: %s%s, at\n  %s\n", server.store_dir().c_str(),
                 opts.read_only ? " (read-only)" : "", page.c_str());
    if (opts.open_browser) std::system(("xdg-open '" + page + "' >/dev/null 2>&1 &").c_str());
  } else {
    std::fprintf(stderr,
                 "weft serve: serving %s on %s; point Weave's SDKs at it with:\n"
                 "  export WF_TRACE_SERVER_URL=%s\n  export WANDB_BASE_URL=%s\n  export WANDB_API_KEY=%s\n",
                 server.store_dir().c_str(), url.c_str(), url.c_str(), url.c_str(),
                 opts.api_key.empty() ? "local" : "<the key weft serve was given>");
  }
  std::thread stopper = StopOnSignal(svr);
  bool ok = svr.listen_after_bind();  // returns once stopped and the requests in flight are answered
  pthread_kill(stopper.native_handle(), SIGUSR1);  // in case it ended another way
  stopper.join();
  return ok ? 0 : 1;
}

}  // namespace weft::http
