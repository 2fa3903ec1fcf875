// calls_summary, weft's own (docs/semantics.md#call-statistics): the calls a
// filter and query select, grouped by op, model or status and by time
// bucket, with counts, errors, latency percentiles, tokens and cost; several
// groupings at once (`groupings`) from one walk over the calls, or, for the
// whole hours of a plain selection, over their per-hour roll-ups.
#include <algorithm>
#include <map>
#include <set>

#include "base/wrapping.h"
#include "core/api/refs.h"
#include "core/calls/call_rollups.h"
#include "core/calls/calls.h"
#include "core/costs/prices.h"
#include "core/fields.h"
#include "core/methods.h"
#include "store/keys.h"
#include "store/store.h"

namespace weft {
namespace {

// Each call is counted into every grouping, and each keeps its groups'
// latency histograms: a bound on what one request can ask.
constexpr size_t kMaxGroupings = 8;

// "90s", "15m", "1h", "1d", "1w" or a number of seconds, in microseconds.
std::optional<Micros> Every(const Json& v) {
  if (v.is_number_integer() && v.get<int64_t>() > 0) return v.get<int64_t>() * 1'000'000;
  if (!v.is_string()) return std::nullopt;
  std::string s = v.get<std::string>();
  if (s.size() < 2 || s.find_first_not_of("0123456789") != s.size() - 1) return std::nullopt;
  static const std::map<char, int64_t> kUnits = {
      {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
  auto unit = kUnits.find(s.back());
  if (unit == kUnits.end() || s.size() > 10) return std::nullopt;
  int64_t n = std::stoll(s.substr(0, s.size() - 1));
  return n > 0 ? std::optional<Micros>(n * unit->second * 1'000'000) : std::nullopt;
}

Result<CostTable> PricesOf(const std::string& project, Context& ctx) {
  std::vector<Price> prices;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(prices, ProjectPrices(txn, project));
    return Status::OK();
  }));
  return CostTable(std::move(prices));
}

// One way of grouping calls: by op, model or status or not at all, each per
// time bucket of `every` or over all time; and its groups. Calls come one
// at a time or an hour's roll-up at a time (call_rollups.h), added alike.
class Grouping {
 public:
  // Reads `by` and `every` of a request, or of one of its groupings (the
  // caller finishes f).
  static Grouping Read(Fields& f) {
    Grouping g;
    g.by_ = f.OptStr("by").value_or("");
    const Json* every = f.OptAny("every");
    if (f.ok() && g.by_ != "" && g.by_ != "op" && g.by_ != "model" && g.by_ != "status")
      f.Fail("by", "expected op, model or status, not '" + g.by_ + "'");
    if (f.ok() && every && !every->is_null() && !(g.every_ = Every(*every)))
      f.Fail("every", "expected a duration: 90s, 15m, 1h, 1d, 1w or seconds");
    return g;
  }

  // Whether each of its time buckets holds whole hours.
  bool Hourly() const { return !every_ || *every_ % keys::kRollupHour == 0; }

  // The calls of a roll-up that started at `at` (in its hour, for a roll-up
  // of one) with this status, priced at that time.
  void Add(Micros at, const std::string& status, const CallRollup& r, const CostTable& prices) {
    Micros bucket = every_ ? at - ((at % *every_) + *every_) % *every_ : 0;
    bool error = status == "error";
    if (by_ != "model") {
      Group& g = groups_[{bucket, by_ == "op"       ? TraceName(r.op_name)
                                  : by_ == "status" ? status
                                                    : ""}];
      g.Count(r.count, error, r.latency);
      for (const auto& [model, m] : r.models) g.Spend(prices.Best(model, at), m.tokens);
      return;
    }
    for (const auto& [model, m] : r.models) {
      Group& g = groups_[{bucket, model}];
      g.Count(m.count, error, m.latency);
      if (!model.empty()) g.Spend(prices.Best(model, at), m.tokens);
    }
  }

  Json Groups() const {
    Json out = Json::array();
    for (const auto& [at, g] : groups_) {
      bool no_group = by_.empty() || (by_ == "model" && at.second.empty());
      out.push_back({{"start", every_ ? Json(FormatTime(at.first)) : Json(nullptr)},
                     {"group", no_group ? Json(nullptr) : Json(at.second)},
                     {"count", g.count},
                     {"errors", g.errors},
                     {"p50_ms", g.latency.Quantile(0.5)},
                     {"p95_ms", g.latency.Quantile(0.95)},
                     {"p99_ms", g.latency.Quantile(0.99)},
                     {"tokens", g.tokens},
                     {"cost", g.Cost()}});
    }
    return out;
  }

 private:
  struct Group {
    int64_t count = 0, errors = 0, tokens = 0;
    Histogram latency;  // of ended calls
    // Token counts per price (nullptr: unpriced), costed once at the end so
    // that the sum never depends on whether calls came one by one or an
    // hour at a time.
    std::map<const Price*, LlmUsage> spent;

    void Count(int64_t n, bool error, const Histogram& latencies) {
      count = WrapAdd(count, n);
      errors = WrapAdd(errors, error ? n : 0);
      latency.Merge(latencies);
    }
    void Spend(const Price* price, const LlmUsage& used) {
      tokens = WrapAdd(tokens, used.total_tokens);
      spent[price].Add(used);
    }
    Json Cost() const {
      double cost = 0;
      bool priced = false;
      for (const auto& [price, used] : spent) {
        if (!price) continue;
        priced = true;
        for (double part : TokenCosts(*price, used)) cost += part;
      }
      return priced ? Json(cost) : Json(nullptr);
    }
  };

  std::string by_;
  std::optional<Micros> every_;
  std::map<std::pair<Micros, std::string>, Group> groups_;  // (bucket start, key)
};

// Adds the whole hours of a selection's window from the roll-ups, but the
// hours in which a price takes effect (a call's cost depends on its start
// time there), and answers what is left for the calls: the window's partial
// hours at either end and those skipped.
Result<TimeWindows> AddRollups(Txn& txn, const RollupSelection& s, const CostTable& prices,
                               std::vector<Grouping>& groupings) {
  Micros first = s.from == INT64_MIN        ? INT64_MIN
                 : HourOf(s.from) == s.from ? s.from
                                            : HourOf(s.from) + keys::kRollupHour;
  Micros end = s.to == INT64_MAX ? INT64_MAX : HourOf(s.to);
  if (first >= end) return TimeWindows{{s.from, s.to}};
  std::set<Micros> skipped;
  for (Micros t : prices.EffectiveDates())
    if (HourOf(t) != t && HourOf(t) >= first && HourOf(t) < end) skipped.insert(HourOf(t));
  WEFT_TRY(ForEachRollup(txn, s.project, first, end,
                         [&](int64_t hour, std::string_view status, const CallRollup& r) {
                           if (skipped.count(hour) || !s.Selects(r.op_name, status)) return true;
                           for (Grouping& g : groupings)
                             g.Add(hour, std::string(status), r, prices);
                           return true;
                         }));
  TimeWindows left = {{s.from, first}, {end, s.to}};
  for (Micros hour : skipped) left.emplace_back(hour, hour + keys::kRollupHour);
  std::erase_if(left, [](const auto& w) { return w.first >= w.second; });
  return left;
}

}  // namespace

Result<Json> CallsSummary(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  Json q = ReadCallSelection(f);
  const Json* several = f.OptList("groupings");
  if (several && several->size() > kMaxGroupings)
    f.Fail("groupings", "at most " + std::to_string(kMaxGroupings) + " groupings, got " +
                            std::to_string(several->size()));
  std::vector<Grouping> groupings;
  for (size_t i = 0; several && i < several->size() && f.ok(); ++i) {
    Fields item = f.Child((*several)[i], "groupings." + std::to_string(i), Extra::kForbid);
    groupings.push_back(Grouping::Read(item));
    WEFT_TRY(item.Finish());
  }
  if (f.ok() && several && (f.OptAny("by") || f.OptAny("every")))
    f.Fail("groupings", "give either groupings or by and every, not both");
  if (!several) groupings.push_back(Grouping::Read(f));
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(CostTable prices, PricesOf(q["project_id"], ctx));
  auto each = [&](const CallRecord& call) {
    CallShare share(call);
    for (Grouping& g : groupings) g.Add(*call.started_at, share.status, share.rollup, prices);
  };
  bool hourly = std::all_of(groupings.begin(), groupings.end(), [](auto& g) { return g.Hourly(); });
  auto rollups = [&](Txn& txn, const RollupSelection& s) {
    return AddRollups(txn, s, prices, groupings);
  };
  WEFT_TRY(ForEachCallRecord(q, ctx, each, hourly ? RollupReader(rollups) : nullptr));
  if (!several) return Json{{"groups", groupings[0].Groups()}};
  Json out = Json::array();
  for (const Grouping& g : groupings) out.push_back({{"groups", g.Groups()}});
  return Json{{"groupings", std::move(out)}};
}

}  // namespace weft
