// calls_summary, weft's own (docs/semantics.md#call-statistics): the calls a
// filter and query select, grouped by op, model or status and by time
// bucket, with counts, errors, latency percentiles, tokens and cost.
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

}  // namespace

Result<Json> CallsSummary(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  Json q = ReadCallSelection(f);
  std::string by = f.OptStr("by").value_or("");
  const Json* every_given = f.OptAny("every");
  if (f.ok() && by != "" && by != "op" && by != "model" && by != "status")
    f.Fail("by", "expected op, model or status, not '" + by + "'");
  std::optional<Micros> every;
  if (f.ok() && every_given && !every_given->is_null() && !(every = Every(*every_given)))
    f.Fail("every", "expected a duration: 90s, 15m, 1h, 1d, 1w or seconds");
  WEFT_TRY(f.Finish());

  std::map<std::pair<Micros, std::string>, Group> groups;  // (bucket start, key)
  WEFT_ASSIGN(CostTable prices, PricesOf(q["project_id"], ctx));
  auto each = [&](const CallRecord& call) {
    Micros started = call.started_at.value_or(0);
    Micros bucket = every ? started - ((started % *every) + *every) % *every : 0;
    PricedUsage priced(call, prices);
    const ModelUsage& usage = priced.usage;
    std::string status = StatusOf(call);
    std::optional<int64_t> latency = LatencyMs(call);
    auto add = [&](const std::string& key, const ModelUsage& counted) {
      Group& g = groups[{bucket, key}];
      ++g.count;
      g.errors += status == "error";
      if (latency) g.latencies_ms.push_back(static_cast<double>(*latency));
      for (const auto& [model, u] : counted) {
        g.tokens += u.total_tokens;
        g.cost += u.cost();
        g.priced |= priced.priced.count(model) > 0;
      }
    };
    if (by == "model") {
      for (const auto& [model, u] : usage) add(model, ModelUsage{{model, u}});
      if (usage.empty()) add("", usage);
    } else {
      add(by == "op" ? TraceName(call.op_name) : by == "status" ? status : "", usage);
    }
  };
  WEFT_TRY(ForEachCallRecord(q, ctx, each));
  Json out = Json::array();
  for (const auto& [at, g] : groups) {
    out.push_back({{"start", every ? Json(FormatTime(at.first)) : Json(nullptr)},
                   {"group", by.empty() || (by == "model" && at.second.empty()) ? Json(nullptr)
                                                                                : Json(at.second)},
                   {"count", g.count},
                   {"errors", g.errors},
                   {"p50_ms", Quantile(g.latencies_ms, 0.5)},
                   {"p95_ms", Quantile(g.latencies_ms, 0.95)},
                   {"p99_ms", Quantile(g.latencies_ms, 0.99)},
                   {"tokens", g.tokens},
                   {"cost", g.priced ? Json(g.cost) : Json(nullptr)}});
  }
  return Json{{"groups", std::move(out)}};
}

}  // namespace weft
