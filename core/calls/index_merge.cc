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
    valid_ = !descending     ? cursor_.Seek(std::max(r.prefix, r.first))
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
  if (ranges.size() == 1 && !descending) {  // already in order: no heap
    const IndexRange& r = ranges[0];
    return txn.ForEach(db, Txn::KeyRange{r.prefix, r.first, r.end},
                       [&](std::string_view key, std::string_view) {
                         return fn(keys::DecodeCallIndex(key, r.prefix.size()).call_id);
                       });
  }
  auto before = [descending](int64_t a, int64_t b) { return descending ? a > b : a < b; };
  auto after = [&](const Entry& a, const Entry& b) {  // b is handed on first
    return a.time != b.time ? before(b.time, a.time) : a.id > b.id;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(after)> next(after);
  // Ranges not opened yet, by lead (those without one are opened at once).
  auto later = [&](size_t a, size_t b) { return before(*ranges[b].lead, *ranges[a].lead); };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> closed(later);
  std::vector<std::optional<RangeStream>> streams(ranges.size());
  std::vector<size_t> queued(ranges.size(), 0);
  std::vector<std::string> ids;
  auto load = [&](size_t r) {
    int64_t time = 0;
    if (!streams[r]->Next(time, ids)) return;
    queued[r] = ids.size();
    for (auto& id : ids) next.push({time, std::move(id), r});
  };
  auto open = [&](size_t r) -> Status {
    WEFT_ASSIGN(Cursor cursor, txn.Open(db));
    streams[r].emplace(std::move(cursor), ranges[r], descending);
    load(r);
    return Status::OK();
  };
  for (size_t r = 0; r < ranges.size(); ++r) {
    if (ranges[r].lead)
      closed.push(r);
    else
      WEFT_TRY(open(r));
  }
  for (;;) {
    // A range whose lead comes before (or with) the next entry may hold it.
    while (!closed.empty() &&
           (next.empty() || !before(next.top().time, *ranges[closed.top()].lead))) {
      size_t r = closed.top();
      closed.pop();
      WEFT_TRY(open(r));
    }
    if (next.empty()) break;
    Entry e = next.top();
    next.pop();
    WEFT_ASSIGN(bool go_on, fn(e.id));
    if (!go_on) break;
    if (--queued[e.range] == 0) load(e.range);
  }
  for (const auto& s : streams)
    if (s && s->damaged()) return Damaged(db, s->key());
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

Result<std::vector<IndexRange>> LatencyBuckets(Txn& txn, const std::string& project, Micros from,
                                               Micros to, bool descending) {
  std::vector<IndexRange> buckets;
  WEFT_ASSIGN(Cursor c, txn.Open(Db::kCallsByLatency));
  std::string in_project = keys::ProjectPrefix(project);
  std::string at = from == INT64_MIN
                       ? in_project
                       : keys::LatencyBucketPrefix(project, keys::LatencyBucketOf(from));
  // Each bucket: its first entry (the least latency), then its last (the
  // most) just before the next bucket's first.
  bool more = c.Seek(at);
  while (more && c.key().starts_with(in_project)) {
    int64_t bucket = keys::DecodeLatencyBucket(c.key(), project);
    if (bucket >= to) break;
    std::string prefix = keys::LatencyBucketPrefix(project, bucket);
    int64_t least = keys::DecodeCallIndex(c.key(), prefix.size()).started_at;
    bool last = bucket > INT64_MAX - keys::kLatencyBucket;
    if (!last && c.SeekBefore(keys::LatencyBucketPrefix(project, bucket + keys::kLatencyBucket))) {
      int64_t most = keys::DecodeCallIndex(c.key(), prefix.size()).started_at;
      buckets.push_back({std::move(prefix), "", "", descending ? most : least});
      more = c.Next();
    } else {
      buckets.push_back({std::move(prefix), "", "", std::nullopt});
      more = false;
    }
  }
  if (c.damaged()) return Damaged(Db::kCallsByLatency, c.key());
  return buckets;
}

}  // namespace weft
