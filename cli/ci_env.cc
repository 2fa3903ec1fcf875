// CI environments to CI/CD attributes: one table a system (ci_env.h).
#include "cli/ci_env.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "cli/environment.h"

namespace weft::cli {
namespace {

struct Attribute {
  const char* path;  // dotted, under the call's attributes
  const char* vars;  // environment variables, first set wins; "A/B" joins two with '/'
};

struct CiSystem {
  const char* name;    // cicd.system (weft's), e.g. "github_actions"
  const char* detect;  // set in every job of the system
  std::vector<Attribute> attributes;
};

// clang-format off
const CiSystem kSystems[] = {
    {"github_actions", "GITHUB_ACTIONS",
     {{"cicd.pipeline.name", "GITHUB_WORKFLOW"}, {"cicd.pipeline.run.id", "GITHUB_RUN_ID"},
      {"cicd.pipeline.run.attempt", "GITHUB_RUN_ATTEMPT"}, {"cicd.pipeline.task.name", "GITHUB_JOB"},
      {"vcs.repository.name", "GITHUB_REPOSITORY"}, {"vcs.repository.url.full", "GITHUB_SERVER_URL/GITHUB_REPOSITORY"},
      {"vcs.ref.head.revision", "GITHUB_SHA"}, {"vcs.ref.head.name", "GITHUB_HEAD_REF GITHUB_REF_NAME"}}},
    {"gitlab_ci", "GITLAB_CI",
     {{"cicd.pipeline.name", "CI_PIPELINE_NAME CI_PROJECT_PATH"}, {"cicd.pipeline.run.id", "CI_PIPELINE_ID"},
      {"cicd.pipeline.run.url.full", "CI_PIPELINE_URL"}, {"cicd.pipeline.task.name", "CI_JOB_NAME"},
      {"cicd.pipeline.task.run.id", "CI_JOB_ID"}, {"cicd.pipeline.task.run.url.full", "CI_JOB_URL"},
      {"vcs.repository.name", "CI_PROJECT_PATH"}, {"vcs.repository.url.full", "CI_PROJECT_URL"},
      {"vcs.ref.head.revision", "CI_COMMIT_SHA"}, {"vcs.ref.head.name", "CI_COMMIT_REF_NAME"}}},
    {"buildkite", "BUILDKITE",
     {{"cicd.pipeline.name", "BUILDKITE_PIPELINE_SLUG"}, {"cicd.pipeline.run.id", "BUILDKITE_BUILD_ID"},
      {"cicd.pipeline.run.attempt", "BUILDKITE_RETRY_COUNT"}, {"cicd.pipeline.run.url.full", "BUILDKITE_BUILD_URL"},
      {"cicd.pipeline.task.name", "BUILDKITE_LABEL"}, {"cicd.pipeline.task.run.id", "BUILDKITE_JOB_ID"},
      {"vcs.repository.url.full", "BUILDKITE_REPO"}, {"vcs.ref.head.revision", "BUILDKITE_COMMIT"},
      {"vcs.ref.head.name", "BUILDKITE_BRANCH"}}},
    {"jenkins", "JENKINS_URL",
     {{"cicd.pipeline.name", "JOB_NAME"}, {"cicd.pipeline.run.id", "BUILD_NUMBER"},
      {"cicd.pipeline.run.url.full", "BUILD_URL"}, {"cicd.pipeline.task.name", "STAGE_NAME"},
      {"vcs.repository.url.full", "GIT_URL"}, {"vcs.ref.head.revision", "GIT_COMMIT"},
      {"vcs.ref.head.name", "BRANCH_NAME GIT_BRANCH"}}},
    {"circleci", "CIRCLECI",
     {{"cicd.pipeline.name", "CIRCLE_PROJECT_REPONAME"}, {"cicd.pipeline.run.id", "CIRCLE_WORKFLOW_ID"},
      {"cicd.pipeline.task.name", "CIRCLE_JOB"}, {"cicd.pipeline.task.run.id", "CIRCLE_BUILD_NUM"},
      {"cicd.pipeline.task.run.url.full", "CIRCLE_BUILD_URL"}, {"vcs.repository.url.full", "CIRCLE_REPOSITORY_URL"},
      {"vcs.ref.head.revision", "CIRCLE_SHA1"}, {"vcs.ref.head.name", "CIRCLE_BRANCH"}}},
};
// clang-format on

// The value of an attribute's variables: the first set of the space-separated
// names, each either NAME or A/B (both set, joined by '/').
std::string ValueOf(const char* vars) {
  std::string names = vars;
  for (size_t start = 0; start < names.size();) {
    size_t end = names.find(' ', start);
    if (end == std::string::npos) end = names.size();
    std::string name = names.substr(start, end - start);
    start = end + 1;
    size_t slash = name.find('/');
    std::string value = Env((slash == std::string::npos ? name : name.substr(0, slash)).c_str());
    if (slash != std::string::npos) {
      std::string second = Env(name.substr(slash + 1).c_str());
      value = value.empty() || second.empty() ? "" : value + "/" + second;
    }
    if (!value.empty()) return value;
  }
  return "";
}

void SetPath(Json& into, const std::string& dotted, const std::string& value) {
  Json* at = &into;
  size_t start = 0;
  for (size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1)
    at = &(*at)[dotted.substr(start, dot - start)];
  (*at)[dotted.substr(start)] = value;
}

}  // namespace

Json CiAttributes() {
  Json out = Json::object();
  for (const CiSystem& ci : kSystems) {
    if (Env(ci.detect).empty() || Env(ci.detect) == "false") continue;
    SetPath(out, "cicd.system", ci.name);
    for (const Attribute& a : ci.attributes)
      if (std::string v = ValueOf(a.vars); !v.empty()) SetPath(out, a.path, v);
    break;
  }
  return out;
}

const char* CiResult(bool signaled, int exit_code) {
  return signaled ? "cancellation" : exit_code == 0 ? "success" : "failure";
}

}  // namespace weft::cli
