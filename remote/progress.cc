// Progress and summary lines for push and pull.
#include "remote/progress.h"

#include <unistd.h>

#include <cstdio>

#include "core/api/load.h"

namespace weft::remote {

Progress::Progress(std::string verb, bool spans)
    : verb_(std::move(verb)),
      spans_(spans),
      tty_(isatty(STDERR_FILENO)),
      started_(std::chrono::steady_clock::now()),
      drawn_(started_) {}

std::string Progress::Line() const {
  char bytes[32];
  std::snprintf(bytes, sizeof bytes, " (%.1f MB)", static_cast<double>(tally_.bytes) / 1e6);
  if (spans_)
    return verb_ + " " + std::to_string(tally_.spans) + " spans of " +
           std::to_string(tally_.traces) + " traces" +
           (tally_.rejected ? ", " + std::to_string(tally_.rejected) + " rejected by the server"
                            : "") +
           bytes;
  LoadCounts c{.files = tally_.files,
               .tables = tally_.tables,
               .objects = tally_.objects,
               .calls = tally_.calls,
               .feedback = tally_.feedback,
               .calls_new = tally_.calls - tally_.calls_unchanged - tally_.calls_replaced,
               .calls_unchanged = tally_.calls_unchanged,
               .calls_replaced = tally_.calls_replaced,
               .calls_kept = tally_.calls_kept};
  std::string line = verb_ + " " + DescribeCounts(c);
  if (tally_.deleted) line += ", deleted " + std::to_string(tally_.deleted) + " calls";
  return line + bytes;
}

void Progress::Tick() {
  auto now = std::chrono::steady_clock::now();
  if (!tty_ || now - drawn_ < std::chrono::milliseconds(200)) return;
  drawn_ = now;
  std::fprintf(stderr, "\rweft: %s\033[K", Line().c_str());
}

Status Progress::Finish(Status ended) {
  const char* clear = tty_ ? "\r\033[K" : "";
  if (!ended.ok()) {
    std::fputs(clear, stderr);
    return ended;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::fprintf(stderr, "%s%s in %.1f s\n", clear, Line().c_str(), seconds);
  return ended;
}

}  // namespace weft::remote
