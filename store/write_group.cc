// Group commit (write_group.h): whichever waiting thread finds the writer
// free runs the next group; the others sleep until theirs has run.
#include "store/write_group.h"

#include <algorithm>

namespace weft {

Status QueuedWrite::Run(Txn& txn) {
  try {
    return (*fn)(txn);
  } catch (...) {
    thrown = std::current_exception();
    return StoreError("the write failed with an exception");
  }
}

Status WriteGroups::Write(const std::function<Status(Txn&)>& fn, const RunGroup& run_group) {
  QueuedWrite mine{&fn};
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  for (;;) {
    changed_.wait(lock, [&] { return mine.done || !running_; });
    if (mine.done) break;
    size_t n = std::min(queue_.size(), kMaxGroup);
    std::vector<QueuedWrite*> group(queue_.begin(), queue_.begin() + n);
    queue_.erase(queue_.begin(), queue_.begin() + n);
    running_ = true;
    lock.unlock();
    std::exception_ptr failed;
    try {
      run_group(group);
    } catch (...) {  // not one write's: none of the group is known written
      failed = std::current_exception();
    }
    lock.lock();
    for (QueuedWrite* w : group) {
      if (failed) w->thrown = failed;
      w->done = true;
    }
    running_ = false;
    changed_.notify_all();
  }
  lock.unlock();
  if (mine.thrown) std::rethrow_exception(mine.thrown);
  return mine.status;
}

}  // namespace weft
