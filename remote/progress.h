// What a push or pull has done so far: counters the sending threads bump,
// a line on a terminal redrawn a few times a second, and the summary line.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "base/status.h"

namespace weft::remote {

struct Tally {
  std::atomic<size_t> files{0}, tables{0}, objects{0}, calls{0}, feedback{0}, deleted{0}, bytes{0};
  std::atomic<size_t> calls_unchanged{0}, calls_replaced{0},
      calls_kept{0};                                     // pull: of calls, and those kept
  std::atomic<size_t> spans{0}, traces{0}, rejected{0};  // push --otlp
};

class Progress {
 public:
  // verb: "pushed", "would push", "pulled"; spans: counting OTLP spans.
  explicit Progress(std::string verb, bool spans = false);
  Tally& tally() { return tally_; }
  // Redraws the terminal line, at most every 200 ms (nothing off a terminal).
  void Tick();
  // The end of a run: the summary line on stderr ("pushed 12,345 calls, 40
  // objects, ... (3.2 MB) in 4.1 s") when it succeeded, else the terminal
  // line cleared for the error message. Answers how it ended.
  Status Finish(Status ended);

 private:
  std::string Line() const;

  std::string verb_;
  bool spans_;
  Tally tally_;
  bool tty_;
  std::chrono::steady_clock::time_point started_, drawn_;
};

}  // namespace weft::remote
