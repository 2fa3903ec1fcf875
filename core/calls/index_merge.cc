// The merge of index ranges: each range is read one time value at a time
// (its ids sorted), and a heap hands on the next id of all of them.
#include "core/calls/index_merge.h"

#include <algorithm>
#include <queue>

#include "store/keys.h"

namespace weft {
namespace {

// One range's entries, one time value (its ids, ascending) at a time.
class RangeStream {
 public:
  RangeStream(Cursor cursor, const IndexRange& r, bool descending)
      : cursor_(std::move(cursor)), range_(r), descending_(descending) {
    valid_ = !descending            ? cursor_.Seek(std::max(r.prefix, r.first))
             : r.end.empty() ? cursor_.SeekLast(r.prefix)
                             : cursor_.SeekBefore(r.end);
    valid_ = valid_ && Inside();
  }

  // The next time value and its ids; false once the range is done.
  bool Next(int64_t& time, std::vector<std::string>& ids) {
    ids.clear();
    while (valid_) {
      auto e = keys::DecodeCallIndex(cursor_.key(), range_.prefix.size());
      if (!ids.empty() && e.started_at != time) break;
      time = e.started_at;
      ids.push_back(std::move(e.call_id));
      valid_ = (descending_ ? cursor_.Prev() : cursor_.Next()) && Inside();
    }
    std::sort(ids.begin(), ids.end());
    return !ids.empty();
  }

  bool damaged() const { return cursor_.damaged(); }
  std::string_view key() const { return cursor_.key(); }

 private:
  bool Inside() const {
    std::string_view k = cursor_.key();
    return k.starts_with(range_.prefix) && (range_.end.empty() || k < range_.end) &&
           (range_.first.empty() || k >= range_.first);
  }

  Cursor cursor_;
  const IndexRange& range_;
  bool descending_, valid_ = false;
};

struct Entry {
  int64_t time;
  std::string id;
  size_t range;  // index of its RangeStream
};

}  // namespace

Status MergeRanges(Txn& txn, Db db, const std::vector<IndexRange>& ranges, bool descending,
                   const IdSink& fn) {
  std::vector<RangeStream> streams;
  streams.reserve(ranges.size());
  for (const IndexRange& r : ranges) {
    WEFT_ASSIGN(Cursor cursor, txn.Open(db));
    streams.emplace_back(std::move(cursor), r, descending);
  }
  auto after = [descending](const Entry& a, const Entry& b) {  // b is handed on first
    if (a.time != b.time) return descending ? a.time < b.time : a.time > b.time;
    return a.id > b.id;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(after)> next(after);
  std::vector<size_t> queued(streams.size(), 0);
  std::vector<std::string> ids;
  auto load = [&](size_t s) {
    int64_t time = 0;
    if (!streams[s].Next(time, ids)) return;
    queued[s] = ids.size();
    for (auto& id : ids) next.push({time, std::move(id), s});
  };
  for (size_t s = 0; s < streams.size(); ++s) load(s);
  while (!next.empty()) {
    Entry e = next.top();
    next.pop();
    WEFT_ASSIGN(bool go_on, fn(e.id));
    if (!go_on) break;
    if (--queued[e.range] == 0) load(e.range);
  }
  for (const RangeStream& s : streams)
    if (s.damaged()) return Damaged(db, s.key());
  return Status::OK();
}

Result<std::vector<std::string>> ValuePrefixes(Txn& txn, Db db, std::string_view value_start) {
  std::vector<std::string> prefixes;
  WEFT_ASSIGN(Cursor c, txn.Open(db));
  std::string at(value_start);
  while (c.Seek(at) && c.key().starts_with(value_start)) {
    size_t end = c.key().find('\0', value_start.size());
    if (end == std::string_view::npos) break;
    prefixes.emplace_back(c.key().substr(0, end + 1));
    at = prefixes.back();
    at.back() = '\x01';  // past every key of this value: values hold no NUL
  }
  return prefixes;
}

Result<std::vector<IndexRange>> LatencyHours(Txn& txn, const std::string& project, Micros from,
                                             Micros to) {
  std::vector<IndexRange> hours;
  WEFT_ASSIGN(Cursor c, txn.Open(Db::kCallsByLatency));
  std::string in_project = keys::ProjectPrefix(project);
  std::string at = from == INT64_MIN ? in_project
                                     : keys::LatencyHourPrefix(project, keys::LatencyHourOf(from));
  while (c.Seek(at) && c.key().starts_with(in_project)) {
    int64_t hour = keys::DecodeLatencyHour(c.key(), project);
    if (hour >= to) break;
    hours.push_back({keys::LatencyHourPrefix(project, hour), "", ""});
    if (hour > INT64_MAX - keys::kLatencyHour) break;
    at = keys::LatencyHourPrefix(project, hour + keys::kLatencyHour);
  }
  return hours;
}

}  // namespace weft
