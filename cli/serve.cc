// weft serve's flags, and the hand-over to the weft-http helper.
#include "cli/serve.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "base/ids.h"
#include "cli/environment.h"
#include "cli/helper.h"
#include "cli/request.h"

namespace weft::cli {
namespace {

namespace fs = std::filesystem;

// The flags serve and ui share: where to listen, and the request log.
void AddListenFlags(CLI::App* cmd, ServeFlags& flags, int default_port) {
  cmd->add_option("--host", flags.host,
                  "address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--port", flags.port,
                  "port (default " + std::to_string(default_port) + "; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  cmd->add_flag("--log", flags.log, "one line per request on stderr");
  cmd->add_option("--api-key", flags.api_key,
                  "accept only requests carrying this key (env WEFT_API_KEY)");
  cmd->add_option("--allow-host", flags.allow_hosts,
                  "also answer requests for this Host name (repeatable; "
                  "localhost, 127.0.0.1, [::1] and --host always are)");
  cmd->add_flag("--insecure-no-key", flags.insecure_no_key,
                "allow a --host beyond this machine without --api-key");
}

volatile sig_atomic_t g_server = 0;
void ForwardToServer(int sig) {
  if (g_server > 0) kill(g_server, sig);
}

// weft ui FILE: the export imported into a temporary store (by this weft,
// as `weft import` would), served read-only by a child, and the store
// removed when the child ends.
int RunUiOnExport(const ServeFlags& flags, const Globals& globals) {
  char tmpl[] = "/tmp/weft-ui-XXXXXX";
  if (!mkdtemp(tmpl))
    return Fail(1, std::string("cannot make a temporary store: ") + std::strerror(errno));
  std::string store = tmpl;
  auto run = [](std::vector<std::string> args) -> int {
    pid_t pid = fork();
    if (pid == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv("/proc/self/exe", argv.data());
      _exit(127);
    }
    g_server = pid;
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_server = 0;
    return pid < 0 ? 1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  };
  int code = run({"weft", "--store", store, "--quiet", "import", flags.file});
  if (code == 0) {
    std::signal(SIGINT, ForwardToServer);  // the server stops, then the store goes
    std::signal(SIGTERM, ForwardToServer);
    std::vector<std::string> args = {"weft",   "--store",  store,    "ui",
                                     "--host", flags.host, "--port", std::to_string(flags.port)};
    if (!globals.project.empty()) args.insert(args.begin() + 1, {"--project", globals.project});
    if (flags.open) args.push_back("--open");
    if (flags.log) args.push_back("--log");
    if (flags.insecure_no_key) args.push_back("--insecure-no-key");
    for (const std::string& host : flags.allow_hosts)
      args.insert(args.end(), {"--allow-host", host});
    if (!flags.api_key.empty()) setenv("WEFT_API_KEY", flags.api_key.c_str(), 1);  // never in argv
    code = run(args);
  }
  std::error_code ec;
  fs::remove_all(store, ec);
  return code;
}

}  // namespace

void SetupServe(CLI::App* serve, ServeFlags& flags) {
  AddListenFlags(serve, flags, 6345);
  serve->add_option("--max-body", flags.max_body, "largest request body, e.g. 64MiB (default)");
  serve->add_option(
      "--max-in-flight", flags.max_in_flight,
      "request bodies held at once, e.g. 128MiB (default); past it 503 with Retry-After");
  serve->add_option("--threads", flags.threads, "requests served at once (default 64)")
      ->check(CLI::Range(1, 1024));
  serve->footer(
      "The first line on stdout is the base URL. Stops on SIGINT or SIGTERM.\n"
      "Example:\n  weft serve --port 0 | { read url; WF_TRACE_SERVER_URL=$url node app.js; }");
}

void SetupUi(CLI::App* ui, ServeFlags& flags) {
  flags.ui = true;
  flags.port = 6346;  // beside a weft serve on the default port
  AddListenFlags(ui, flags, 6346);
  ui->add_flag("--allow-writes", flags.allow_writes,
               "also serve the API's writes (read-only otherwise)");
  ui->add_flag("--open", flags.open, "open the page in the browser (xdg-open)");
  ui->add_option("file", flags.file,
                 "an export (weft export --trace ...) to look at instead of the store, read-only");
  ui->footer(
      "The first line on stdout is the base URL; the page for --project is printed on stderr.\n"
      "Example:\n  weft --project acme/app ui --open\n  weft ui --open trace.ndjson");
}

int RunServe(const ServeFlags& flags, const Globals& globals) {
  if (!flags.file.empty()) {
    if (flags.allow_writes)
      return Fail(2, "ui FILE: an export opens read-only (no --allow-writes)");
    return RunUiOnExport(flags, globals);
  }
  auto max_body = ParseSize(flags.max_body), max_in_flight = ParseSize(flags.max_in_flight);
  if (!max_body || *max_body == 0)
    return Fail(2, "--max-body: expected a size like 64MiB, got '" + flags.max_body + "'");
  if (!max_in_flight || *max_in_flight == 0)
    return Fail(2,
                "--max-in-flight: expected a size like 128MiB, got '" + flags.max_in_flight + "'");
  std::error_code ec;
  std::string store = fs::absolute(FindStore(globals.store), ec).lexically_normal().string();
  std::string api_key = flags.api_key;
  if (api_key.empty())
    if (const char* env = std::getenv("WEFT_API_KEY")) api_key = env;
  if (api_key.empty())
    unsetenv("WEFT_API_KEY");
  else
    setenv("WEFT_API_KEY", api_key.c_str(),
           1);  // the key travels in the environment, never in argv
  std::string project =
      FindProject(globals.project);  // the viewer's, and OTLP spans' that name none
  if (!project.empty())
    if (Status s = CheckProjectId(project, "--project"); !s.ok()) return Fail(2, s.error().message);
  Json job = {{"store", store},
              {"host", flags.host},
              {"port", flags.port},
              {"max_body", *max_body},
              {"max_in_flight", *max_in_flight},
              {"threads", flags.threads},
              {"user", FindUser()},
              {"project", project},
              {"allow_hosts", flags.allow_hosts},
              {"log", flags.log},
              {"insecure_no_key", flags.insecure_no_key},
              {"ui", flags.ui},
              {"read_only", flags.ui && !flags.allow_writes},
              {"open", flags.ui && flags.open}};
  return ExecHelper("weft-http", job);
}

}  // namespace weft::cli
