// threads_query_stream (docs/semantics.md#threads): the conversations of a
// project from their turn calls (a call whose turn_id is its own id, in a
// thread), one ThreadSchema each, as Weave's ClickHouse server aggregates
// them: turn count, first start, last end, first and last turn, p50 and p99
// of turn durations.
#include <algorithm>
#include <map>

#include "base/quantile.h"
#include "core/calls/call_record.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/query_request.h"
#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

struct Thread {
  std::string id;
  int64_t turns = 0;
  Micros start = INT64_MAX, last = INT64_MIN;
  std::string first_turn, last_turn;
  std::vector<double> durations_ms;  // of ended turns
};

Json Schema(const Thread& t) {
  return Json{{"thread_id", t.id},
              {"turn_count", t.turns},
              {"start_time", FormatTime(t.start)},
              {"last_updated", FormatTime(t.last)},
              {"first_turn_id", t.first_turn},
              {"last_turn_id", t.last_turn},
              {"p50_turn_duration_ms", Quantile(t.durations_ms, 0.5)},
              {"p99_turn_duration_ms", Quantile(t.durations_ms, 0.99)}};
}

const char* const kSortable[] = {"thread_id",    "turn_count",           "start_time",
                                 "last_updated", "p50_turn_duration_ms", "p99_turn_duration_ms"};

// Compares two threads' values of one field: numbers and times as numbers,
// nulls first.
bool Less(const Json& a, const Json& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && !b.is_null();
  return a < b;  // strings (ids, RFC 3339 times of one format) and numbers
}

// Counts a stored call into its thread when it is a turn of one of the
// threads asked for: a call whose turn_id is its own id.
void AddTurn(std::string_view value, const std::optional<std::vector<std::string>>& ids,
             std::map<std::string, Thread>& threads) {
  auto v = ViewCall(value);
  if (!v.ok() || !v->visible() || !v->Has(CallField::thread_id) || !v->Has(CallField::turn_id) ||
      v->text[CallField::turn_id] != v->text[CallField::id])
    return;
  std::string id(v->text[CallField::thread_id]);
  if (!Listed(ids, id)) return;
  Thread& t = threads[id];
  t.id = id;
  ++t.turns;
  Micros start = v->number[CallField::started_at];
  bool ended = v->Has(CallField::ended_at);
  Micros end = ended ? v->number[CallField::ended_at] : start;
  if (start < t.start) t.start = start, t.first_turn = v->text[CallField::id];
  if (end > t.last) t.last = end, t.last_turn = v->text[CallField::id];
  if (ended) t.durations_ms.push_back(static_cast<double>(end - start) / 1000);
}

}  // namespace

Result<Json> ThreadsQueryStream(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  Fields filter = f.Sub("filter", false, Extra::kForbid);
  auto after = filter.OptStr("after_datetime");
  auto before = filter.OptStr("before_datetime");
  auto ids = filter.OptStrList("thread_ids");
  WEFT_TRY(filter.Finish());
  Paging paging = ReadPaging(f);
  auto sort = ReadSortBy(f);
  WEFT_TRY(f.Finish());
  std::optional<Micros> after_t, before_t;
  if (after && !(after_t = ParseTime(*after)))
    return Invalid("filter.after_datetime: not a time: '" + *after + "'");
  if (before && !(before_t = ParseTime(*before)))
    return Invalid("filter.before_datetime: not a time: '" + *before + "'");
  std::vector<SortItem> order = sort.value_or(std::vector<SortItem>{{"last_updated", true}});
  for (size_t i = 0; i < order.size(); ++i)
    if (std::find(std::begin(kSortable), std::end(kSortable), order[i].field) ==
        std::end(kSortable))
      return Invalid("sort_by." + std::to_string(i) +
                     ".field: threads sort by thread_id, turn_count, start_time, "
                     "last_updated, p50_turn_duration_ms or p99_turn_duration_ms, not '" +
                     order[i].field + "'");

  std::map<std::string, Thread> threads;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    threads.clear();
    return txn.ForEach(Db::kCalls, keys::ProjectPrefix(project),
                       [&](std::string_view, std::string_view value) {
                         AddTurn(value, ids, threads);
                         return true;
                       });
  }));
  std::vector<Json> rows;
  for (const auto& [id, t] : threads)
    if ((!after_t || t.start > *after_t) && (!before_t || t.last < *before_t))
      rows.push_back(Schema(t));
  std::stable_sort(rows.begin(), rows.end(), [&](const Json& a, const Json& b) {
    for (const SortItem& s : order) {
      const Json &x = a[s.field], &y = b[s.field];
      if (x == y) continue;
      return s.descending ? Less(y, x) : Less(x, y);
    }
    return false;
  });
  auto [first, count] = paging.Slice(rows.size());
  for (size_t i = first; i < first + count; ++i) ctx.emit(CompactDumps(rows[i]));
  return Json(nullptr);
}

}  // namespace weft
