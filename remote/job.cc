// Reading the job weft hands to weft-remote.
#include "remote/job.h"

#include <cstdlib>
#include <tuple>

#include "base/handover.h"
#include "remote/client.h"

namespace weft::remote {

Result<Job> ReadJob(int argc, char** argv) {
  WEFT_ASSIGN(Json j, ReadHandover(argc, argv, "weft push and weft pull"));
  Job job;
  try {
    job.command = j.value("command", "");
    job.store = j.value("store", "");
    job.project = j.value("project", "");
    job.url = j.value("url", "");
    job.to_project = j.value("to_project", "");
    job.otlp = j.value("otlp", false);
    job.dry_run = j.value("dry_run", false);
    job.create_project = j.value("create_project", true);
    job.replace = j.value("replace", false);
    job.all = j.value("all", false);
    job.ca_file = j.value("ca_file", "");
    job.user = j.value("user", "");
    job.trace_ids = j.value("trace_ids", std::vector<std::string>{});
    job.op_names = j.value("op_names", std::vector<std::string>{});
    job.limit = j.value("limit", 0LL);
    job.wait = j.value("wait", 10.0);
    if (j.contains("since")) job.since = ParseTime(j["since"].get<std::string>());
  } catch (const std::exception& e) {
    return Invalid(std::string("job: ") + e.what());
  }
  if (job.url.empty() && !job.otlp)
    if (const char* env = std::getenv("WF_TRACE_SERVER_URL")) job.url = env;
  if (job.url.empty())
    return Invalid(job.otlp
                       ? "--otlp: give the OTLP/HTTP traces endpoint (http://host:4318/v1/traces)"
                       : std::string(job.command == "push" ? "--to" : "--from") +
                             ": give the trace server's URL (or set WF_TRACE_SERVER_URL)");
  std::tie(job.url, job.url_key) = SplitCredentials(job.url);  // never printed, logged or recorded
  if (!job.url.starts_with("http://") && !job.url.starts_with("https://"))
    return Invalid("the server URL must start with http:// or https://, got '" + job.url + "'");
  if (HostOf(job.url).empty()) return Invalid("the server URL names no host: '" + job.url + "'");
  return job;
}

}  // namespace weft::remote
