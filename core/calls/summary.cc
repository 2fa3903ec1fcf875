// calls_summary, weft's own (docs/semantics.md#call-statistics): the calls a
// filter and query select, grouped by op, model or status and by time
// bucket, with counts, errors, latency percentiles, tokens and cost; several
// groupings at once (`groupings`) from one walk over the calls.
#include <map>
#include <set>

#include "base/quantile.h"
#include "core/api/refs.h"
#include "core/api/usage.h"
#include "core/calls/call_record.h"
#include "core/calls/calls.h"
#include "core/costs/prices.h"
#include "core/fields.h"
#include "core/methods.h"
#include "store/store.h"

namespace weft {
namespace {

// Each call is counted into every grouping, and each keeps its groups'
// latencies: a bound on what one request can ask.
constexpr size_t kMaxGroupings = 8;

struct Group {
  int64_t count = 0, errors = 0, tokens = 0;
  double cost = 0;
  bool priced = false;
  std::vector<double> latencies_ms;  // of ended calls
};

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

// A call's usage per model with its costs, and the models that have a
// price; its summary is parsed only when it holds usage.
struct PricedUsage {
  ModelUsage usage;
  std::set<std::string> priced;

  PricedUsage(const CallRecord& call, const CostTable& prices) {
    if (call.summary.find("\"usage\"") == std::string::npos) return;
    auto summary = ParseJson(call.summary, "summary");
    if (!summary.ok()) return;
    Json shown = {{"summary", std::move(*summary)}};
    AddCosts(shown, prices, call.started_at.value_or(0));
    usage = UsageOf(shown["summary"], true);
    const Json& costs = shown["summary"]["weave"]["costs"];
    for (const auto& [model, u] : usage)
      if (costs.is_object() && costs.contains(model)) priced.insert(model);
  }
};

// What a grouping reads of a call, worked out once per call.
struct CallFacts {
  Micros started;
  std::string op, status;
  std::optional<int64_t> latency;
  PricedUsage usage;

  CallFacts(const CallRecord& c, const CostTable& prices)
      : started(c.started_at.value_or(0)),
        op(TraceName(c.op_name)),
        status(StatusOf(c)),
        latency(LatencyMs(c)),
        usage(c, prices) {}
};

// One way of grouping calls: by op, model, status or not at all, each per
// time bucket of `every` or over all time; and its groups.
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

  void Add(const CallFacts& c) {
    Micros bucket = every_ ? c.started - ((c.started % *every_) + *every_) % *every_ : 0;
    const ModelUsage& usage = c.usage.usage;
    if (by_ != "model")
      return Count(c, bucket, by_ == "op" ? c.op : by_ == "status" ? c.status : "", usage);
    for (const auto& [model, u] : usage) Count(c, bucket, model, ModelUsage{{model, u}});
    if (usage.empty()) Count(c, bucket, "", usage);
  }

  Json Groups() const {
    Json out = Json::array();
    for (const auto& [at, g] : groups_) {
      bool no_group = by_.empty() || (by_ == "model" && at.second.empty());
      out.push_back({{"start", every_ ? Json(FormatTime(at.first)) : Json(nullptr)},
                     {"group", no_group ? Json(nullptr) : Json(at.second)},
                     {"count", g.count},
                     {"errors", g.errors},
                     {"p50_ms", Quantile(g.latencies_ms, 0.5)},
                     {"p95_ms", Quantile(g.latencies_ms, 0.95)},
                     {"p99_ms", Quantile(g.latencies_ms, 0.99)},
                     {"tokens", g.tokens},
                     {"cost", g.priced ? Json(g.cost) : Json(nullptr)}});
    }
    return out;
  }

 private:
  void Count(const CallFacts& c, Micros bucket, const std::string& key, const ModelUsage& usage) {
    Group& g = groups_[{bucket, key}];
    ++g.count;
    g.errors += c.status == "error";
    if (c.latency) g.latencies_ms.push_back(static_cast<double>(*c.latency));
    for (const auto& [model, u] : usage) {
      g.tokens += u.total_tokens;
      g.cost += u.cost();
      g.priced |= c.usage.priced.count(model) > 0;
    }
  }

  std::string by_;
  std::optional<Micros> every_;
  std::map<std::pair<Micros, std::string>, Group> groups_;  // (bucket start, key)
};

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
  WEFT_TRY(ForEachCallRecord(q, ctx, [&](const CallRecord& call) {
    CallFacts facts(call, prices);
    for (Grouping& g : groupings) g.Add(facts);
  }));
  if (!several) return Json{{"groups", groupings[0].Groups()}};
  Json out = Json::array();
  for (const Grouping& g : groupings) out.push_back({{"groups", g.Groups()}});
  return Json{{"groupings", std::move(out)}};
}

}  // namespace weft
