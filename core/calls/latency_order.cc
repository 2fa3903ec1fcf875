// The merge of calls_by_latency's hours: each hour is walked in latency
// order a latency at a time, and a heap hands on the next id of all of them.
#include "core/calls/latency_order.h"

#include <algorithm>
#include <queue>
#include <vector>

#include "store/keys.h"

namespace weft {
namespace {

// One hour's entries, one latency (its ids, ascending) at a time.
class HourStream {
 public:
  HourStream(Cursor cursor, std::string prefix, bool descending)
      : cursor_(std::move(cursor)), prefix_(std::move(prefix)), descending_(descending) {
    valid_ = descending ? cursor_.SeekLast(prefix_) : cursor_.Seek(prefix_);
    valid_ = valid_ && cursor_.key().starts_with(prefix_);
  }

  // The next latency and its ids; false once the hour is done.
  bool Next(int64_t& latency, std::vector<std::string>& ids) {
    ids.clear();
    while (valid_) {
      auto e = keys::DecodeCallIndex(cursor_.key(), prefix_.size());
      if (!ids.empty() && e.started_at != latency) break;
      latency = e.started_at;
      ids.push_back(std::move(e.call_id));
      valid_ = (descending_ ? cursor_.Prev() : cursor_.Next()) && cursor_.key().starts_with(prefix_);
    }
    std::sort(ids.begin(), ids.end());
    return !ids.empty();
  }

 private:
  Cursor cursor_;
  std::string prefix_;
  bool descending_, valid_ = false;
};

struct Entry {
  int64_t latency;
  std::string id;
  size_t hour;  // index of its HourStream
};

}  // namespace

Status WalkByLatency(Txn& txn, const std::string& project, bool descending, Micros from,
                     Micros to, const std::function<Result<bool>(std::string_view id)>& fn) {
  std::vector<HourStream> hours;
  WEFT_ASSIGN(Cursor finder, txn.Open(Db::kCallsByLatency));
  std::string at = from == INT64_MIN ? keys::ProjectPrefix(project)
                                     : keys::LatencyHourPrefix(project, keys::LatencyHourOf(from));
  while (finder.Seek(at) && finder.key().starts_with(keys::ProjectPrefix(project))) {
    int64_t hour = keys::DecodeLatencyHour(finder.key(), project);
    if (hour >= to) break;
    WEFT_ASSIGN(Cursor cursor, txn.Open(Db::kCallsByLatency));
    hours.emplace_back(std::move(cursor), keys::LatencyHourPrefix(project, hour), descending);
    if (hour > INT64_MAX - keys::kLatencyHour) break;
    at = keys::LatencyHourPrefix(project, hour + keys::kLatencyHour);
  }
  auto after = [descending](const Entry& a, const Entry& b) {  // b is handed on first
    if (a.latency != b.latency) return descending ? a.latency < b.latency : a.latency > b.latency;
    return a.id > b.id;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(after)> next(after);
  std::vector<size_t> queued(hours.size(), 0);
  std::vector<std::string> ids;
  auto load = [&](size_t h) {
    int64_t latency = 0;
    if (!hours[h].Next(latency, ids)) return;
    queued[h] = ids.size();
    for (auto& id : ids) next.push({latency, std::move(id), h});
  };
  for (size_t h = 0; h < hours.size(); ++h) load(h);
  while (!next.empty()) {
    Entry e = next.top();
    next.pop();
    WEFT_ASSIGN(bool go_on, fn(e.id));
    if (!go_on) return Status::OK();
    if (--queued[e.hour] == 0) load(e.hour);
  }
  return Status::OK();
}

}  // namespace weft
