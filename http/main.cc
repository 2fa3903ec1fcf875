// weft-http: the helper that `weft serve` and `weft ui` run, as git runs its
// git-* helpers, so that the HTTP server and zlib stay off the start-up path
// of every other weft command. weft hands over the checked flags as JSON
// (base/handover.h; cli/serve.cc writes it); the API key comes in
// WEFT_API_KEY, never argv.
#include <malloc.h>

#include <cstdlib>
#include <string>

#include "base/handover.h"
#include "base/report.h"
#include "http/server.h"

namespace {

weft::Result<weft::http::ServeOptions> ReadOptions(const weft::Json& j) {
  weft::http::ServeOptions o;
  try {
    o.host = j.value("host", o.host);
    o.port = j.value("port", o.port);
    o.max_body = j.value("max_body", o.max_body);
    o.max_in_flight = j.value("max_in_flight", o.max_in_flight);
    o.threads = j.value("threads", o.threads);
    o.user = j.value("user", o.user);
    o.project = j.value("project", o.project);
    o.allow_hosts = j.value("allow_hosts", o.allow_hosts);
    o.log = j.value("log", false);
    o.insecure_no_key = j.value("insecure_no_key", false);
    o.ui = j.value("ui", false);
    o.read_only = j.value("read_only", false);
    o.open_browser = j.value("open", false);
  } catch (const std::exception& e) {
    return weft::Invalid(std::string("job: ") + e.what());
  }
  if (const char* key = std::getenv("WEFT_API_KEY")) o.api_key = key;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  // Not one heap per worker thread, each keeping what its largest request freed.
  mallopt(M_ARENA_MAX, 4);
  auto job = weft::ReadHandover(argc, argv, "weft serve and weft ui");
  if (!job.ok()) return weft::Fail(job.error());
  auto opts = ReadOptions(*job);
  if (!opts.ok()) return weft::Fail(opts.error());
  weft::TraceServer server(job->value("store", ".weft"));
  server.ctx().find_user = [user = opts->user] { return user; };
  return weft::http::Serve(server, *opts);
}
