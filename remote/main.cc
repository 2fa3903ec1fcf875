// weft-remote: the helper that runs weft push and weft pull, so that
// libcurl (and the TLS stack behind it) loads only for them. weft hands
// over the parsed command as JSON (remote/job.h).
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>

#include "base/report.h"
#include "core/api/export.h"
#include "core/api/trace_server.h"
#include "remote/pull.h"
#include "remote/push.h"
#include "remote/push_otlp.h"

namespace weft::remote {
namespace {

// The local project of a push: --project, else the store's only one.
Result<std::string> PushProject(const Job& job, Context& ctx) {
  if (!job.project.empty()) return job.project;
  WEFT_ASSIGN(auto projects, ListProjects(ctx));
  if (projects.size() == 1) return projects.front();
  if (projects.empty()) return NotFound("the store holds no project: nothing to push");
  return Invalid("--project: the store holds " + std::to_string(projects.size()) +
                 " projects; name the one to push");
}

int Main(int argc, char** argv) {
  auto job = ReadJob(argc, argv);
  if (!job.ok()) return Fail(job.error());
  TraceServer server(job->store);
  server.SetWriteWait(job->wait, nullptr);
  server.ctx().find_user = [user = job->user] { return user; };
  if (job->command == "push") {
    auto project = PushProject(*job, server.ctx());
    if (!project.ok()) return Fail(project.error());
    job->project = *project;
  } else if (job->project.empty()) {
    return Fail(2, "--project: give the server's ENTITY/PROJECT to pull from");
  }
  std::string to = job->to_project.empty() ? job->project : job->to_project;
  if (to.find('/') == std::string::npos || to.find('/') != to.rfind('/'))
    return Fail(2, "--to-project: expected ENTITY/PROJECT, got '" + to + "'");
  ClientOptions opts{job->url, job->url_key, job->ca_file};
  if (const char* retries = std::getenv("WEFT_RETRIES"))
    opts.attempts = std::max(1, std::atoi(retries));
  if (const char* timeout = std::getenv("WEFT_TIMEOUT"))
    opts.timeout = std::max(1, std::atoi(timeout));
  curl_global_init(CURL_GLOBAL_DEFAULT);
  bool push = job->command == "push";
  Status s = job->otlp ? PushOtlp(*job, server.ctx(), opts)
             : push    ? Push(*job, server.ctx(), opts)
                       : Pull(*job, server.ctx(), opts);
  curl_global_cleanup();
  if (!s.ok())
    return Fail(ExitCode(s.error().kind), std::string(push ? "push to " : "pull from ") + job->url +
                                              " stopped: " + s.error().message);
  return 0;
}

}  // namespace
}  // namespace weft::remote

int main(int argc, char** argv) {
  try {
    return weft::remote::Main(argc, argv);
  } catch (const std::exception& e) {
    return weft::Fail(1, std::string("internal error: ") + e.what());
  }
}
