// Listening, the start-up lines, the browser opener and stopping on a
// signal, for weft serve and weft ui.
#include "http/server.h"

#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "base/ids.h"
#include "base/percent.h"
#include "base/report.h"
#include "http/service.h"

namespace weft::http {
namespace {

// A socket listening on host:port (port 0: a free one), or -1; `port` is
// set to the port bound.
int Listen(const std::string& host, int& port) {
  addrinfo hints{}, *found = nullptr;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  std::string bare =
      host.starts_with("[") && host.ends_with("]") ? host.substr(1, host.size() - 2) : host;
  if (getaddrinfo(bare.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;  // SO_REUSEADDR only: never SO_REUSEPORT, so a second server fails instead of
                  // sharing the port
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 512) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (fd >= 0 && getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  return fd;
}

// Opens a URL in the desktop's browser: xdg-open with an argument vector,
// never a shell, its output dropped.
void OpenBrowser(const std::string& url) {
  if (fork() != 0) return;  // the child is reaped by the kernel (SIGCHLD ignored in Serve)
  sigset_t none;            // only async-signal-safe calls from here: the server has threads
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  int null = open("/dev/null", O_WRONLY);
  dup2(null, STDOUT_FILENO);
  dup2(null, STDERR_FILENO);
  execlp("xdg-open", "xdg-open", url.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

void PrintStart(TraceServer& server, const ServeOptions& opts, const std::string& url) {
  std::printf("%s\n", url.c_str());
  std::fflush(stdout);
  if (!opts.ui) {
    std::fprintf(
        stderr,
        "weft serve: serving %s on %s; point Weave's SDKs at it with:\n"
        "  export WF_TRACE_SERVER_URL=%s\n  export WANDB_BASE_URL=%s\n  export WANDB_API_KEY=%s\n",
        server.store_dir().c_str(), url.c_str(), url.c_str(), url.c_str(),
        opts.api_key.empty() ? "local" : "<the key weft serve was given>");
    return;
  }
  std::string page = url + "/";
  if (!opts.project.empty() && CheckProjectId(opts.project, "project").ok())
    page += "?project=" + PercentEncode(opts.project, "/");
  if (!opts.api_key.empty())
    page += "#key=" + PercentEncode(opts.api_key);  // read by the page, never sent to the server
  std::fprintf(stderr, "weft ui: %s%s, at\n  %s\n", server.store_dir().c_str(),
               opts.read_only ? " (read-only)" : "", page.c_str());
  if (opts.open_browser) OpenBrowser(page);
}

// Waits for SIGINT or SIGTERM (blocked in every thread from here on) and
// stops the transport; SIGUSR1 only ends the wait.
std::thread StopOnSignal(Transport& transport) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&set, sig);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return std::thread([&transport, set] {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != SIGUSR1) transport.Stop();
  });
}

}  // namespace

std::string BaseUrl(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos && !host.starts_with("[");
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

int Serve(TraceServer& server, const ServeOptions& opts) {
  if (!IsLoopback(opts.host) && opts.api_key.empty() && !opts.insecure_no_key) {
    return Fail(2, "--host " + opts.host +
                       " listens beyond this machine: give --api-key (or WEFT_API_KEY), "
                       "or --insecure-no-key to serve the store to anyone who can reach it");
  }
  if (!IsLoopback(opts.host) && opts.api_key.empty())
    Warn("serving " + server.store_dir() + " without a key to anyone who can reach " + opts.host);
  signal(SIGPIPE, SIG_IGN);  // a client that goes away is an ordinary write error
  signal(SIGCHLD, SIG_IGN);  // the browser opener's child is reaped by the kernel
  int port = opts.port;
  int fd = Listen(opts.host, port);
  if (fd < 0) {
    return Fail(1, "cannot listen on " + BaseUrl(opts.host, opts.port) +
                       " (in use, or not an address of this machine)");
  }
  ServiceOptions service_opts{opts.api_key, opts.user,      opts.project,
                              opts.ui,      opts.read_only, {opts.host, opts.allow_hosts}};
  ApiService service(server, service_opts);
  TransportLimits limits;
  limits.max_body = opts.max_body;
  limits.max_in_flight = opts.max_in_flight;
  limits.workers = opts.threads > 0 ? opts.threads : 64;
  limits.log = opts.log;
  limits.log_name = opts.ui ? "weft ui" : "weft serve";
  Transport transport(fd, service, limits);
  std::thread stopper =
      StopOnSignal(transport);  // before the URL is printed: a signal right after it stops cleanly
  PrintStart(server, opts, BaseUrl(opts.host, port));
  transport.Run();  // returns once stopped and the requests in flight are answered
  pthread_kill(stopper.native_handle(), SIGUSR1);  // in case it ended another way
  stopper.join();
  close(fd);
  return 0;
}

}  // namespace weft::http
