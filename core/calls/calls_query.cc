// calls_query, calls_query_stats and calls_query_stream: the _CallsFilter,
// the $expr query, sort_by, limit/offset and columns over the call indexes.
//
// Plan: the most selective index filter (call ids, trace ids, parent ids,
// roots, op names) gives key ranges in started_at order; without one the
// start-time index is the range, so default-ordered queries and streams stop
// at the limit and hold one call at a time. Comparisons of started_at with a
// time that every match must pass (--since, --until) bound those ranges to
// their window. Counts and other sort orders
// without an index filter walk the calls sub-database instead, reading
// records in place and skipping those that cannot hold a $contains literal.
// Counts that an index alone answers never decode a call.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "base/ids.h"
#include "core/api/refs.h"
#include "core/calls/call_index.h"
#include "core/calls/call_row.h"
#include "core/calls/call_text.h"
#include "core/calls/calls.h"
#include "core/calls/index_merge.h"
#include "core/costs/prices.h"
#include "core/feedback.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/query.h"
#include "core/query_request.h"
#include "core/records/records.h"
#include "core/refs_read.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr size_t kMaxFilterLength = 1000;

struct CallsFilter {
  std::optional<std::vector<std::string>> op_names, input_refs, output_refs, parent_ids, trace_ids,
      call_ids, wb_user_ids, wb_run_ids, thread_ids, turn_ids;
  bool roots_only = false;
};

struct CallsRequest {
  std::string project;
  CallsFilter filter;
  std::optional<Query> query;
  std::vector<SortKey> sort;
  bool descending = false;  // default order reversed (sort_by started_at desc)
  bool custom_sort = false;
  Paging paging;
  std::optional<std::vector<std::string>> columns;
  bool include_feedback = false;
  bool include_costs = false;
  bool include_storage_size = false;  // each call's storage_size_bytes
  // calls_query: each root's trace's bytes; calls_query_stats: the matching calls' bytes
  bool include_total_storage_size = false;
  std::vector<std::string> expand_columns;  // dotted paths, shallowest first
  bool return_expanded = true;  // answer expanded values, not only filter and sort by them
};

bool AnyListed(const std::optional<std::vector<std::string>>& list,
               const std::vector<std::string>& refs) {
  if (!list || list->empty()) return true;
  for (const auto& r : refs)
    if (Listed(list, r)) return true;
  return false;
}

bool OpMatches(const std::vector<std::string>& names, const std::string& op) {
  for (const auto& n : names) {
    if (n.ends_with(":*") ? op.starts_with(n.substr(0, n.size() - 1)) : op == n) return true;
  }
  return false;
}

bool PassesFilter(const CallsFilter& f, const CallRecord& c) {
  return Listed(f.call_ids, c.id) && Listed(f.trace_ids, c.trace_id) &&
         Listed(f.parent_ids, c.parent_id) && (!f.roots_only || !c.parent_id) &&
         (!f.op_names || f.op_names->empty() || OpMatches(*f.op_names, c.op_name)) &&
         AnyListed(f.input_refs, c.input_refs) && AnyListed(f.output_refs, c.output_refs) &&
         Listed(f.wb_user_ids, c.wb_user_id) && Listed(f.wb_run_ids, c.wb_run_id) &&
         Listed(f.thread_ids, c.thread_id) && Listed(f.turn_ids, c.turn_id);
}

// Every name in columns starts with a CallSchema field; summary brings the
// fields its derived status needs (docs/semantics.md#columns-and-counts).
Status CheckColumns(std::vector<std::string>& columns) {
  bool summary = false;
  for (size_t i = 0; i < columns.size(); ++i) {
    std::string head = columns[i].substr(0, columns[i].find('.'));
    int field = FindCallField(head);
    if (head != "project_id" && (field < 0 || !kCallFields[field].shown()))
      return Invalid("columns." + std::to_string(i) + ": unknown column '" + columns[i] + "'");
    summary |= head == "summary";
  }
  if (summary) columns.insert(columns.end(), {"ended_at", "exception", "display_name"});
  return Status::OK();
}

Result<CallsRequest> ReadCallsRequest(const Json& req, Context& ctx, bool with_paging) {
  const Schema& kSchema = CallFields();
  Fields f(req, "", &ctx.warnings);
  CallsRequest q;
  q.project = f.ProjectId();
  Fields fl = f.Sub("filter", false, Extra::kForbid);
  CallsFilter& cf = q.filter;
  struct {
    const char* name;
    std::optional<std::vector<std::string>>* list;
  } lists[] = {{"op_names", &cf.op_names},       {"input_refs", &cf.input_refs},
               {"output_refs", &cf.output_refs}, {"parent_ids", &cf.parent_ids},
               {"trace_ids", &cf.trace_ids},     {"call_ids", &cf.call_ids},
               {"wb_user_ids", &cf.wb_user_ids}, {"wb_run_ids", &cf.wb_run_ids},
               {"thread_ids", &cf.thread_ids},   {"turn_ids", &cf.turn_ids}};
  for (auto& l : lists) {
    *l.list = fl.OptStrList(l.name);
    if (*l.list && (*l.list)->size() > kMaxFilterLength)
      fl.Reject(l.name, "request length is greater than max length (1000). Actual length: " +
                            std::to_string((*l.list)->size()));
  }
  cf.roots_only = fl.OptBool("trace_roots_only").value_or(false);
  WEFT_TRY(fl.Finish());
  const Json* query = f.OptAny("query");
  std::optional<std::vector<SortItem>> sort_by;
  if (with_paging) {
    q.paging = ReadPaging(f);
    sort_by = ReadSortBy(f);
    q.columns = f.OptStrList("columns");
    q.include_feedback = f.OptBool("include_feedback").value_or(false);
    q.include_costs = f.OptBool("include_costs").value_or(false);
    q.include_storage_size = f.OptBool("include_storage_size").value_or(false);
    q.return_expanded = f.OptBool("return_expanded_column_values").value_or(true);
    f.Accept({"include_usernames"});  // no user directory offline: wb_user_id is all there is
  } else {
    q.paging.limit = ReadLimit(f);
  }
  q.include_total_storage_size = f.OptBool("include_total_storage_size").value_or(false);
  q.expand_columns = f.OptStrList("expand_columns").value_or(std::vector<std::string>{});
  WEFT_TRY(f.Finish());
  if (q.columns) WEFT_TRY(CheckColumns(*q.columns));
  std::stable_sort(q.expand_columns.begin(), q.expand_columns.end(),
                   [](const std::string& a, const std::string& b) {
                     return std::count(a.begin(), a.end(), '.') <
                            std::count(b.begin(), b.end(), '.');
                   });
  if (query) {
    WEFT_ASSIGN(Query compiled, Query::Compile(*query, kSchema, "query"));
    q.query = std::move(compiled);
  }
  if (sort_by) {
    WEFT_ASSIGN(q.sort, CompileSort(*sort_by, kSchema));
    bool by_start = q.sort.size() == 1 && q.sort[0].field.column == CallField::started_at;
    q.descending = by_start && q.sort[0].descending;
    q.custom_sort = !q.sort.empty() && !by_start;
  }
  return q;
}

// Where a query's candidate calls come from: the ranges of one index's
// values (each in start order, bounded to the query's time window), or the
// call ids asked for.
struct Plan {
  Db db = Db::kCallsByStart;
  std::vector<IndexRange> ranges;  // empty with call_ids
  std::vector<std::string> call_ids;
  Query::Window window;    // the start times the query allows
  bool full_scan = false;  // the one range is every call of the project
  bool exact = false;      // the ranges alone answer the filter and query
  bool windowed() const { return window.from != INT64_MIN || window.to != INT64_MAX; }
  bool InWindow(Micros t) const { return t >= window.from && t < window.to; }
};

// The entries of one index value that started within a window.
IndexRange WindowRange(const std::string& prefix, const Query::Window& w) {
  IndexRange r{prefix, "", "", std::nullopt};
  if (w.from != INT64_MIN) r.first = keys::CallIndexAt(prefix, w.from);
  if (w.to != INT64_MAX) r.end = keys::CallIndexAt(prefix, w.to);
  return r;
}

// The status (error or running: success is most calls, and not indexed) or
// display name every match has, when the query asks for one with an $eq
// (format 3 indexes them), as its index and value prefix.
std::optional<std::pair<Db, std::string>> EqualityValue(const CallsRequest& q, bool& whole) {
  if (!q.query) return std::nullopt;
  auto status = q.query->TextEquality(CallField::summary, {"weave", "status"});
  if (status.text && *status.text != "success") {
    whole = status.whole;
    return std::pair(Db::kCallsByStatus,
                     keys::CallIndexPrefix(Db::kCallsByStatus, q.project, *status.text));
  }
  auto name = q.query->TextEquality(CallField::display_name);
  if (!name.text) return std::nullopt;
  whole = name.whole && keys::KeyPartIsWhole(Db::kCallsByName, *name.text);
  return std::pair(Db::kCallsByName,
                   keys::CallIndexPrefix(Db::kCallsByName, q.project, *name.text));
}

// The calls_by_op value prefixes of the op names asked for (NAME:* names
// every op name under NAME); clears exact where the index holds only the
// start of a name.
Status OpNameValues(Txn& txn, const CallsRequest& q, std::set<std::string>& values, bool& exact) {
  for (const auto& n : *q.filter.op_names) {
    bool under = n.ends_with(":*");
    std::string name = under ? n.substr(0, n.size() - 1) : n;
    if (name.size() >= keys::kMaxOpKeyPart) exact = false;
    if (!under) {
      values.insert(keys::CallIndexPrefix(Db::kCallsByOp, q.project, name));
      continue;
    }
    WEFT_ASSIGN(auto found,
                ValuePrefixes(txn, Db::kCallsByOp, keys::OpNameStartPrefix(q.project, name)));
    values.insert(found.begin(), found.end());
  }
  return Status::OK();
}

// `within` narrows the query's window (the hours call roll-ups did not answer).
Result<Plan> MakePlan(Txn& txn, const CallsRequest& q, const Query::Window& within = {}) {
  const CallsFilter& f = q.filter;
  auto given = [](const auto& list) { return list && !list->empty(); };
  int filters = given(f.op_names) + given(f.input_refs) + given(f.output_refs) +
                given(f.parent_ids) + given(f.trace_ids) + given(f.call_ids) +
                given(f.wb_user_ids) + given(f.wb_run_ids) + given(f.thread_ids) +
                given(f.turn_ids) + f.roots_only;
  bool indexes_ii = txn.format() >= kFirstFormatWithCallIndexesII;
  Plan p;
  if (q.query) p.window = q.query->TimeWindow(CallField::started_at);
  p.window.from = std::max(p.window.from, within.from);
  p.window.to = std::min(p.window.to, within.to);
  p.exact = filters <= 1 && (!q.query || p.window.whole);
  std::set<std::string> values;  // value prefixes of p.db, each once
  auto each = [&](Db db, const std::vector<std::string>& listed) {
    p.db = db;
    for (const auto& v : listed) {
      values.insert(keys::CallIndexPrefix(db, q.project, v));
      p.exact &= keys::KeyPartIsWhole(db, v);
    }
  };
  bool whole_equality = false;
  auto equality = indexes_ii && filters == 0 ? EqualityValue(q, whole_equality) : std::nullopt;
  if (given(f.call_ids)) {
    p.call_ids.assign(f.call_ids->begin(), f.call_ids->end());
  } else if (given(f.trace_ids)) {
    each(Db::kCallsByTrace, *f.trace_ids);
  } else if (given(f.parent_ids)) {
    each(Db::kCallsByParent, *f.parent_ids);
  } else if (indexes_ii && given(f.thread_ids)) {
    each(Db::kCallsByThread, *f.thread_ids);
  } else if (f.roots_only) {
    each(Db::kCallsByParent, {""});
  } else if (given(f.op_names)) {
    p.db = Db::kCallsByOp;
    WEFT_TRY(OpNameValues(txn, q, values, p.exact));
  } else if (indexes_ii && given(f.wb_user_ids)) {
    each(Db::kCallsByUser, *f.wb_user_ids);
  } else if (equality) {
    p.exact = whole_equality;
    p.db = equality->first;
    values.insert(std::move(equality->second));
  } else {
    p.full_scan = true;
    p.exact = filters == 0 && (!q.query || p.window.whole);
    values.insert(keys::CallIndexPrefix(Db::kCallsByStart, q.project));
  }
  for (const auto& v : values) p.ranges.push_back(WindowRange(v, p.window));
  return p;
}
// The index that gives a custom sort's order: one key, ended_at or the
// derived latency, over calls that no index narrows but a time window, for
// latency (format 3). Calls without the key (still running) come after, as
// CompareRows puts them.
std::optional<Db> SortIndex(const CallsRequest& q, const Plan& plan, int format) {
  if (!q.custom_sort || q.sort.size() != 1 || !q.expand_columns.empty() ||
      format < kFirstFormatWithCallIndexesII)
    return std::nullopt;
  const FieldRef& f = q.sort[0].field;
  std::optional<Db> db;
  if (!f.json && f.column == CallField::ended_at) db = Db::kCallsByEnd;
  if (f.json && f.column == CallField::summary &&
      f.path == std::vector<std::string>{"weave", "latency_ms"})
    db = Db::kCallsByLatency;
  if (!plan.full_scan || (plan.windowed() && db != Db::kCallsByLatency)) return std::nullopt;
  return db;
}

// The calls asked for by id that started within the window and are not
// deleted, in start order (ties by id).
Result<std::vector<std::pair<Micros, std::string>>> StartedCalls(Txn& txn, const Plan& p,
                                                                 const std::string& project) {
  std::vector<std::pair<Micros, std::string>> found;
  for (const auto& id : std::set<std::string>(p.call_ids.begin(), p.call_ids.end())) {
    WEFT_ASSIGN(auto call, LoadCall(txn, project, id));
    if (call && call->started() && !call->deleted_at && p.InWindow(*call->started_at))
      found.emplace_back(*call->started_at, id);
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Whether a stored call can match the query's needles, judged from its
// encoded bytes: the columns stored as the query reads them (the derived
// summary is not, so a group that looks there rules nothing out).
bool HoldsNeedles(const CallView& v, const std::vector<Query::NeedleGroup>& groups) {
  auto stored_as_is = [](int c) {
    return c == CallField::inputs || c == CallField::output || c == CallField::attributes ||
           c == CallField::op_name || c == CallField::display_name || c == CallField::exception;
  };
  for (const auto& group : groups) {
    bool judged = std::all_of(group.begin(), group.end(),
                              [&](const Query::Needle& n) { return stored_as_is(n.column); });
    bool held = std::any_of(group.begin(), group.end(), [&](const Query::Needle& n) {
      return HoldsNeedle(v.text[n.column], n);
    });
    if (judged && !held) return false;
  }
  return true;
}

enum class Order {
  kQuery,      // the query's order
  kStreaming,  // the query's order, keeping memory flat
  kAny,        // whatever order is quickest (counting)
};

using RowSink = std::function<bool(CallRow&& row)>;

// Finds the calls a request matches, in its order (or the quickest, for
// counting), and hands each matching row on until the sink answers false.
// Paging and custom sorts are Run's, outside.
class CallWalker {
 public:
  CallWalker(Txn& txn, const CallsRequest& q, const Plan& plan, Order order)
      : txn_(txn),
        q_(q),
        plan_(plan),
        order_(order),
        sort_index_(SortIndex(q, plan, txn.format())) {
    // A query or sort may read through the refs expand_columns names: those
    // rows are expanded first, and the raw record cannot rule a call out.
    if (!q.expand_columns.empty() && (q.query || q.custom_sort)) expander_.emplace(txn, q.project);
    if (q.query && !expander_) needles_ = q.query->Needles();
  }

  // Whether Walk hands on calls in the request's custom sort order.
  bool sorted() const { return sort_index_.has_value(); }

  Status Walk(const RowSink& take) {
    take_ = &take;
    if (sort_index_) return WalkSorted(*sort_index_);
    auto by_id = [this](std::string_view id) { return ConsiderId(id); };
    if (plan_.full_scan && !plan_.windowed() && (order_ == Order::kAny || q_.custom_sort)) {
      // every call of the project, in the order of the calls sub-database
      WEFT_TRY(txn_.ForEach(
          Db::kCalls, keys::ProjectPrefix(q_.project),
          [this](std::string_view, std::string_view bytes) { return ConsiderBytes(bytes); }));
    } else if (plan_.call_ids.empty()) {
      WEFT_TRY(MergeRanges(txn_, plan_.db, plan_.ranges, q_.descending, by_id));
    } else {
      WEFT_ASSIGN(auto found, StartedCalls(txn_, plan_, q_.project));
      if (q_.descending)  // newest first; ties stay by id ascending
        std::stable_sort(found.begin(), found.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
      for (size_t i = 0; i < found.size() && !stopped_; ++i) WEFT_TRY(ConsiderId(found[i].second));
    }
    return failed_;
  }

 private:
  // The calls in a sort index's order (ties by id ascending), then the
  // running ones, which have no value to sort by, by id.
  Status WalkSorted(Db index) {
    auto by_id = [this](std::string_view id) { return ConsiderId(id); };
    bool descending = q_.sort[0].descending;
    if (index == Db::kCallsByLatency) {
      WEFT_ASSIGN(auto buckets,
                  LatencyBuckets(txn_, q_.project, plan_.window.from, plan_.window.to, descending));
      WEFT_TRY(MergeRanges(txn_, index, buckets, descending, by_id));
    } else {
      WEFT_TRY(MergeRanges(txn_, index, {WindowRange(keys::CallIndexPrefix(index, q_.project), {})},
                           descending, by_id));
    }
    std::vector<std::string> running;
    IndexRange open =
        WindowRange(keys::CallIndexPrefix(Db::kCallsByStatus, q_.project, "running"), {});
    if (!stopped_)
      WEFT_TRY(MergeRanges(txn_, Db::kCallsByStatus, {open}, false,
                           [&](std::string_view id) { return running.emplace_back(id), true; }));
    std::sort(running.begin(), running.end());
    for (size_t i = 0; i < running.size() && !stopped_; ++i) WEFT_TRY(ConsiderId(running[i]));
    return failed_;
  }

  Result<bool> ConsiderId(std::string_view id) {
    WEFT_ASSIGN(auto bytes, txn_.Get(Db::kCalls, keys::Call(q_.project, id)));
    return bytes ? ConsiderBytes(*bytes) : Result<bool>(!stopped_);
  }

  // Looks at the encoded record first and decodes only calls that may match.
  Result<bool> ConsiderBytes(std::string_view bytes) {
    WEFT_ASSIGN(CallView view, ViewCall(bytes));
    if (!view.visible() || !HoldsNeedles(view, needles_)) return !stopped_;
    WEFT_ASSIGN(CallRecord call, DecodeCall(bytes));
    Consider(std::move(call));
    return !stopped_;
  }

  void Consider(CallRecord call) {
    if (!call.started() || call.deleted_at || !PassesFilter(q_.filter, call)) return;
    CallRow row(std::move(call), q_.project);
    if (expander_) failed_ = row.ExpandRefs(q_.expand_columns, *expander_);
    if (!failed_.ok()) stopped_ = true;
    if (stopped_ || (q_.query && !q_.query->Matches(row))) return;
    stopped_ = !(*take_)(std::move(row));
  }

  Txn& txn_;
  const CallsRequest& q_;
  const Plan& plan_;
  Order order_;
  std::optional<Db> sort_index_;
  std::optional<RefExpander> expander_;
  std::vector<Query::NeedleGroup> needles_;
  const RowSink* take_ = nullptr;
  bool stopped_ = false;
  Status failed_;
};

using Visitor = std::function<bool(const CallRow&)>;

// Visits the calls a plan finds that match, after offset and limit; visit
// returns false to stop.
Status RunPlan(Txn& txn, const CallsRequest& q, const Plan& plan, Order order,
               const Visitor& visit) {
  CallWalker walker(txn, q, plan, order);
  if (!q.custom_sort || walker.sorted()) {
    int64_t skip = q.paging.offset, left = q.paging.limit;
    if (left <= 0) return Status::OK();
    return walker.Walk([&](CallRow&& row) {
      if (skip == 0) return visit(row) && --left > 0;
      --skip;
      return true;
    });
  }
  auto before = [&](const CallRow& a, const CallRow& b) {
    int c = CompareRows(a, b, q.sort);
    if (c != 0) return c < 0;
    return a.call().id < b.call().id;  // ties by id ascending, whatever the directions
  };
  // Only the first offset + limit rows in sort order are kept: a heap whose
  // top is the last of them, so memory stays bounded by the page asked for.
  const Paging& page = q.paging;
  size_t keep = page.limit <= 0 ? 0
                : page.limit > INT64_MAX - page.offset
                    ? SIZE_MAX
                    : static_cast<size_t>(page.offset + page.limit);
  std::vector<CallRow> kept;
  WEFT_TRY(walker.Walk([&](CallRow&& row) {
    if (kept.size() < keep) {
      kept.push_back(std::move(row));
      std::push_heap(kept.begin(), kept.end(), before);
    } else if (keep > 0 && before(row, kept.front())) {
      std::pop_heap(kept.begin(), kept.end(), before);
      kept.back() = std::move(row);
      std::push_heap(kept.begin(), kept.end(), before);
    }
    return true;
  }));
  std::sort_heap(kept.begin(), kept.end(), before);
  for (size_t i = static_cast<size_t>(page.offset); i < kept.size(); ++i)
    if (!visit(kept[i])) break;
  return Status::OK();
}

Status Run(Txn& txn, const CallsRequest& q, Order order, const Visitor& visit) {
  WEFT_ASSIGN(Plan plan, MakePlan(txn, q));
  return RunPlan(txn, q, plan, order, visit);
}

// Counts what Run would visit, from the index alone when it can.
Result<int64_t> Count(Txn& txn, const CallsRequest& q) {
  WEFT_ASSIGN(Plan plan, MakePlan(txn, q));
  int64_t n = 0;
  auto count = [&](std::string_view, std::string_view) { return ++n, true; };
  if (!plan.exact) {
    WEFT_TRY(RunPlan(txn, q, plan, Order::kAny, [&](const CallRow&) { return ++n, true; }));
  } else if (!plan.call_ids.empty()) {
    WEFT_ASSIGN(auto found, StartedCalls(txn, plan, q.project));
    n = static_cast<int64_t>(found.size());
  } else {
    for (const IndexRange& r : plan.ranges)
      WEFT_TRY(txn.ForEach(plan.db, Txn::KeyRange{r.prefix, r.first, r.end}, count));
  }
  return n;
}

// Turns matching calls into CallSchema JSON, with the feedback and
// expanded refs the request asks for.
class Answer {
 public:
  static Result<Answer> Make(Txn& txn, const CallsRequest& q) {
    Answer a(txn, q);
    if (q.include_feedback) {
      WEFT_ASSIGN(a.feedback_, FeedbackByCall(txn, q.project));
    }
    if (q.include_costs) {
      WEFT_ASSIGN(auto prices, ProjectPrices(txn, q.project));
      a.costs_.emplace(std::move(prices));
    }
    return a;
  }

  Result<Json> Of(const CallRow& row) {
    Json call = CallSchema(row.call(), q_.project, q_.columns ? &*q_.columns : nullptr);
    if (q_.return_expanded)
      for (const auto& path : q_.expand_columns) WEFT_TRY(expander_.Expand(call, SplitPath(path)));
    if (costs_) AddCosts(call, *costs_, row.call().started_at.value_or(0));
    if (q_.include_storage_size) call["storage_size_bytes"] = EncodeCall(row.call()).size();
    if (q_.include_total_storage_size) {  // a trace's total, on its root (Weave's
                                          // AggregatedDataSizeField)
      call["total_storage_size_bytes"] = nullptr;
      if (!row.call().parent_id) {
        WEFT_ASSIGN(call["total_storage_size_bytes"], TraceBytes(row.call().trace_id));
      }
    }
    if (q_.include_feedback) {
      auto it = feedback_.find(row.call().id);
      if (!call["summary"].is_object()) call["summary"] = Json::object();
      if (!call["summary"]["weave"].is_object()) call["summary"]["weave"] = Json::object();
      call["summary"]["weave"]["feedback"] = it == feedback_.end() ? Json::array() : it->second;
    }
    return call;
  }

 private:
  Answer(Txn& txn, const CallsRequest& q) : txn_(txn), q_(q), expander_(txn, q.project) {}

  Result<int64_t> TraceBytes(const std::string& trace_id) {
    CallsRequest trace;
    trace.project = q_.project;
    trace.filter.trace_ids = std::vector<std::string>{trace_id};
    int64_t bytes = 0;
    WEFT_TRY(Run(txn_, trace, Order::kAny, [&](const CallRow& r) {
      return bytes += static_cast<int64_t>(EncodeCall(r.call()).size()), true;
    }));
    return bytes;
  }

  Txn& txn_;
  const CallsRequest& q_;
  std::unordered_map<std::string, Json> feedback_;
  std::optional<CostTable> costs_;
  RefExpander expander_;
};

// Runs the query and hands each answered call to fn, until fn answers false.
Status AnswerCalls(Txn& txn, const CallsRequest& q, Order order,
                   const std::function<bool(Json)>& fn) {
  WEFT_ASSIGN(auto answer, Answer::Make(txn, q));
  Status failed;
  WEFT_TRY(Run(txn, q, order, [&](const CallRow& row) {
    auto call = answer.Of(row);
    if (!call.ok()) return failed = call.error(), false;
    return fn(std::move(*call));
  }));
  return failed;
}

// Whether each answered call is exactly its stored CallSchema (of the
// columns asked for), which AppendCallSchemaText writes without a JSON tree.
bool AnswersStoredText(const CallsRequest& q) {
  return !(q.return_expanded && !q.expand_columns.empty()) && !q.include_costs &&
         !q.include_storage_size && !q.include_total_storage_size && !q.include_feedback;
}

// AnswerCalls with each call as its compact JSON text, written from the
// stored record when the request asks for nothing a tree must add.
Status AnswerCallsText(Txn& txn, const CallsRequest& q, Order order,
                       const std::function<void(std::string_view)>& fn) {
  if (!AnswersStoredText(q))
    return AnswerCalls(txn, q, order, [&](Json call) { return fn(CompactDumps(call)), true; });
  std::string text;
  return Run(txn, q, order, [&](const CallRow& row) {
    text.clear();
    AppendCallSchemaText(text, row.call(), q.project, false, q.columns ? &*q.columns : nullptr);
    return fn(text), true;
  });
}

}  // namespace

Result<Json> CallsQuery(const Json& req, Context& ctx) {
  WEFT_ASSIGN(CallsRequest q, ReadCallsRequest(req, ctx, true));
  Json calls = Json::array();
  WEFT_TRY(ctx.store->Read([&](Txn& txn) {
    calls = Json::array();
    return AnswerCalls(txn, q, Order::kQuery,
                       [&](Json call) { return calls.push_back(std::move(call)), true; });
  }));
  Json out;
  out["calls"] = std::move(calls);  // not Json{{...}}, which copies
  return out;
}

Status CallsQueryText(const Json& req, Context& ctx, std::string& out) {
  WEFT_ASSIGN(CallsRequest q, ReadCallsRequest(req, ctx, true));
  return ctx.store->Read([&](Txn& txn) -> Status {
    out += "{\"calls\":[";
    bool first = true;
    WEFT_TRY(AnswerCallsText(txn, q, Order::kQuery, [&](std::string_view call) {
      if (!first) out += ',';
      first = false;
      out += call;
    }));
    out += "]}";
    return Status::OK();
  });
}

Status StreamCalls(const Json& req, Context& ctx, const std::function<void(const Json&)>& each) {
  WEFT_ASSIGN(CallsRequest q, ReadCallsRequest(req, ctx, true));
  return ctx.store->Read([&](Txn& txn) {
    return AnswerCalls(txn, q, Order::kStreaming, [&](Json call) {
      each(call);
      return true;
    });
  });
}

Result<Json> QueryCalls(Context& ctx, const std::string& project, Json req) {
  req["project_id"] = project;
  WEFT_ASSIGN(Json answer, CallsQuery(req, ctx));
  return std::move(answer["calls"]);
}

bool RollupSelection::Selects(const std::string& op_name, std::string_view call_status) const {
  return (!op_names || op_names->empty() || OpMatches(*op_names, op_name)) &&
         (!status || *status == call_status);
}

namespace {

// The selection as roll-ups see it, when they can answer it: no filter but
// op names, no query but the status and the start times, every call.
std::optional<RollupSelection> Rollable(const CallsRequest& q) {
  const CallsFilter& f = q.filter;
  for (const auto* list : {&f.input_refs, &f.output_refs, &f.parent_ids, &f.trace_ids, &f.call_ids,
                           &f.wb_user_ids, &f.wb_run_ids, &f.thread_ids, &f.turn_ids})
    if (*list && !(*list)->empty()) return std::nullopt;
  const std::vector<std::string> status_path = {"weave", "status"};
  if (f.roots_only || q.paging.limit != INT64_MAX || q.paging.offset != 0 ||
      (q.query &&
       !q.query->OnlyTimesAndText(CallField::started_at, CallField::summary, status_path)))
    return std::nullopt;
  RollupSelection s;
  s.project = q.project;
  s.op_names = f.op_names;
  if (q.query) {
    Query::Window w = q.query->TimeWindow(CallField::started_at);
    s.from = w.from;
    s.to = w.to;
    s.status = q.query->TextEquality(CallField::summary, status_path).text;
  }
  return s;
}

}  // namespace

Status ForEachCallRecord(const Json& req, Context& ctx,
                         const std::function<void(const CallRecord&)>& each,
                         const RollupReader& rollups) {
  WEFT_ASSIGN(CallsRequest q, ReadCallsRequest(req, ctx, false));
  auto visit = [&](const CallRow& row) { return each(row.call()), true; };
  return ctx.store->Read([&](Txn& txn) -> Status {
    auto selection =
        rollups && txn.format() >= kFirstFormatWithRollups ? Rollable(q) : std::nullopt;
    if (!selection) return Run(txn, q, Order::kAny, visit);
    WEFT_ASSIGN(TimeWindows left, rollups(txn, *selection));
    for (const auto& [from, to] : left) {
      WEFT_ASSIGN(Plan plan, MakePlan(txn, q, Query::Window{from, to}));
      WEFT_TRY(RunPlan(txn, q, plan, Order::kAny, visit));
    }
    return Status::OK();
  });
}

Result<Json> CallsQueryStream(const Json& req, Context& ctx) {
  WEFT_ASSIGN(CallsRequest q, ReadCallsRequest(req, ctx, true));
  WEFT_TRY(ctx.store->Read(
      [&](Txn& txn) { return AnswerCallsText(txn, q, Order::kStreaming, ctx.emit); }));
  return Json(nullptr);
}

Result<Json> CallsQueryStats(const Json& req, Context& ctx) {
  WEFT_ASSIGN(CallsRequest q, ReadCallsRequest(req, ctx, false));
  int64_t count = 0, bytes = 0;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    if (!q.include_total_storage_size) {
      WEFT_ASSIGN(count, Count(txn, q));
      return Status::OK();
    }
    count = bytes = 0;
    return Run(txn, q, Order::kAny, [&](const CallRow& row) {
      bytes += static_cast<int64_t>(EncodeCall(row.call()).size());
      return ++count < q.paging.limit;
    });
  }));
  Json out = {{"count", std::min(count, q.paging.limit)}};
  if (q.include_total_storage_size) out["total_storage_size_bytes"] = bytes;
  return out;
}

}  // namespace weft
