// What a CI system tells a job in its environment, as OpenTelemetry's CI/CD
// semantic conventions name it (cicd.*, vcs.*): the attributes of a root
// `weft exec` call in CI (docs/otel.md#cicd-attributes).
#pragma once

#include "base/json.h"

namespace weft::cli {

// {"cicd": {"pipeline": {...}}, "vcs": {...}} from the environment of the
// CI system the job runs in (GitHub Actions, GitLab CI, Buildkite, Jenkins,
// CircleCI); an empty object outside CI.
Json CiAttributes();

// cicd.pipeline.result for a command's end: success, failure, or
// cancellation when a signal ended it.
const char* CiResult(bool signaled, int exit_code);

}  // namespace weft::cli
