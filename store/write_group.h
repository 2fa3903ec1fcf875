// Group commit: the writes a process's threads ask for while its one writer
// is busy wait in a queue, and the next thread to write runs all of them in
// one transaction with one sync (ARCHITECTURE.md#concurrency). A command
// line process writes alone, so its groups hold one write.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

#include "base/status.h"

namespace weft {

class Txn;

// One write in the queue: its function and, once its group has run, what it
// came to.
struct QueuedWrite {
  const std::function<Status(Txn&)>* fn;
  Status status = Status::OK();
  std::exception_ptr thrown;  // rethrown on the write's own thread
  bool done = false;

  // Runs fn; an exception it throws is kept for its own thread and fails
  // the transaction like an error.
  Status Run(Txn& txn);
};

class WriteGroups {
 public:
  // Groups of at most this many writes: the transaction's dirty pages stay
  // bounded however many threads write.
  static constexpr size_t kMaxGroup = 32;
  using RunGroup = std::function<void(std::span<QueuedWrite* const> group)>;

  // Queues fn and waits until a group holding it has run; this thread runs
  // the next group (oldest writes first; run_group sets each status) when
  // no other thread is running one.
  Status Write(const std::function<Status(Txn&)>& fn, const RunGroup& run_group);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<QueuedWrite*> queue_;
  bool running_ = false;
};

}  // namespace weft
