// Reading the job weft hands a helper (handover.h).
#include "base/handover.h"

namespace weft {

Result<Json> ReadHandover(int argc, char** argv, const std::string& runner) {
  if (argc != 2) return Invalid("this helper is run by " + runner + ": run that instead");
  WEFT_ASSIGN(Json job, ParseJson(argv[1], "job"));
  if (!job.is_object()) return Invalid("job: expected a JSON object");
  return job;
}

}  // namespace weft
