// call_stats, Weave's /calls/stats (docs/semantics.md#time-buckets): the
// calls started in [start, end), in time buckets of `granularity` seconds,
// with the usage metrics of each bucket and model and the call metrics of
// each bucket, aggregated as Weave's ClickHouse query builders do.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "base/quantile.h"
#include "core/api/usage.h"
#include "core/calls/calls.h"
#include "core/fields.h"
#include "core/methods.h"

namespace weft {
namespace {

constexpr int64_t kMaxBuckets = 10000;
constexpr int64_t kSecond = 1'000'000;

const std::set<std::string> kUsageMetrics = {"input_tokens",
                                             "output_tokens",
                                             "total_tokens",
                                             "cache_read_input_tokens",
                                             "cache_creation_input_tokens",
                                             "input_cost",
                                             "output_cost",
                                             "total_cost"};
const std::set<std::string> kCallMetrics = {"latency_ms", "call_count", "error_count"};
const std::set<std::string> kAggregations = {"sum",   "avg",        "min",        "max",
                                             "count", "count_true", "count_false"};

struct MetricSpec {
  std::string metric;
  std::vector<std::string> aggregations;
  std::vector<double> percentiles;
};

// Weave's auto-selected bucket size for a range, then widened to stay within
// kMaxBuckets (stats_query_base.py).
int64_t Granularity(std::optional<int64_t> given, int64_t range_seconds) {
  int64_t g = given                         ? *given
              : range_seconds <= 2 * 3600   ? 300
              : range_seconds <= 12 * 3600  ? 3600
              : range_seconds <= 3 * 86400  ? 6 * 3600
              : range_seconds <= 14 * 86400 ? 12 * 3600
                                            : 86400;
  if (range_seconds / g > kMaxBuckets) g = std::max(g, range_seconds / kMaxBuckets + 1);
  return g;
}

std::vector<MetricSpec> ReadSpecs(Fields& f, const char* key, const std::set<std::string>& known) {
  std::vector<MetricSpec> specs;
  const Json* list = f.OptList(key);
  for (size_t i = 0; list && i < list->size(); ++i) {
    Fields item = f.Child((*list)[i], std::string(key) + "." + std::to_string(i));
    MetricSpec spec{item.Str("metric"),
                    item.OptStrList("aggregations").value_or(std::vector<std::string>{}),
                    {}};
    if (item.ok() && !known.count(spec.metric))
      item.Fail("metric", "unknown metric '" + spec.metric + "'");
    for (const auto& a : spec.aggregations)
      if (item.ok() && !kAggregations.count(a))
        item.Fail("aggregations", "unknown aggregation '" + a + "'");
    const Json* percentiles = item.OptList("percentiles");
    for (size_t p = 0; percentiles && p < percentiles->size(); ++p) {
      const Json& v = (*percentiles)[p];
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100) {
        item.Reject("percentiles." + std::to_string(p), "a percentile is a number from 0 to 100");
        break;
      }
      spec.percentiles.push_back(v.get<double>());
    }
    if (spec.aggregations.empty() && spec.percentiles.empty()) spec.aggregations = {"sum"};
    if (!item.Finish().ok()) break;
    specs.push_back(std::move(spec));
  }
  return specs;
}

// One metric's values in a bucket (nullopt: no value, SQL's NULL) as
// Weave's columns: sum, avg and counts 0 when there are none, min, max and
// percentiles null.
void Aggregate(Json& row, const MetricSpec& spec,
               const std::vector<std::optional<double>>& values) {
  std::vector<double> v;
  for (const auto& x : values)
    if (x) v.push_back(*x);
  double sum = 0;
  for (double x : v) sum += x;
  for (const std::string& a : spec.aggregations) {
    Json& out = row[a + "_" + spec.metric];
    if (a == "sum")
      out = sum;
    else if (a == "avg")
      out = v.empty() ? 0.0 : sum / static_cast<double>(v.size());
    else if (a == "min")
      out = v.empty() ? Json(nullptr) : Json(*std::min_element(v.begin(), v.end()));
    else if (a == "max")
      out = v.empty() ? Json(nullptr) : Json(*std::max_element(v.begin(), v.end()));
    else if (a == "count")
      out = v.size();
    else
      out = std::count(v.begin(), v.end(), a == "count_true" ? 1.0 : 0.0);
  }
  for (double p : spec.percentiles) {
    std::string name =
        p == std::floor(p) ? std::to_string(static_cast<int64_t>(p)) : Json(p).dump();
    row["p" + name + "_" + spec.metric] = Quantile(v, p / 100);
  }
}

// A usage metric of one model's usage entry, as usage_query_builder.py
// extracts it (input and output fold the providers' two spellings).
std::optional<double> UsageMetric(const std::string& metric, const Json& u, const LlmUsage& priced,
                                  bool has_price) {
  auto num = [&](const char* key) -> std::optional<double> {
    auto it = u.find(key);
    return it != u.end() && it->is_number() ? std::optional(it->get<double>()) : std::nullopt;
  };
  if (metric == "input_tokens")
    return u.contains("gross_input_tokens")
               ? num("gross_input_tokens").value_or(0)
               : num("prompt_tokens").value_or(0) + num("input_tokens").value_or(0);
  if (metric == "output_tokens")
    return num("completion_tokens").value_or(0) + num("output_tokens").value_or(0);
  if (metric.starts_with("cache_")) return num(metric.c_str()).value_or(0);
  if (metric.ends_with("_cost")) {
    if (!has_price) return std::nullopt;
    if (metric == "input_cost")
      return priced.prompt_cost + priced.cache_read_cost + priced.cache_creation_cost;
    if (metric == "output_cost") return priced.completion_cost;
    return priced.cost();
  }
  return num(metric.c_str());
}

std::optional<double> CallMetric(const std::string& metric, const Json& call) {
  if (metric == "call_count") return 1;
  if (metric == "error_count") return call["exception"].is_null() ? 0 : 1;
  if (!call["ended_at"].is_string()) return std::nullopt;  // latency_ms of a running call
  auto ms = [](const Json& t) { return ParseTime(t.get<std::string>()).value_or(0) / 1000; };
  return static_cast<double>(ms(call["ended_at"]) - ms(call["started_at"]));
}

// The values of each metric per time bucket (and model), as calls stream by.
struct Tally {
  Micros step;
  const std::vector<MetricSpec>& usage_specs;
  const std::vector<MetricSpec>& call_specs;
  // (bucket, model, metric) -> values; (bucket, metric) -> values; rows per bucket and model
  std::map<std::tuple<Micros, std::string, std::string>, std::vector<std::optional<double>>>
      usage_values = {};
  std::map<std::pair<Micros, std::string>, std::vector<std::optional<double>>> call_values = {};
  std::map<std::pair<Micros, std::string>, int64_t> usage_rows = {};
  std::map<Micros, int64_t> call_rows = {};
  std::set<std::string> models = {};

  void Add(const Json& call) {
    Micros t = ParseTime(call["started_at"].get<std::string>()).value_or(0);
    Micros bucket = t - ((t % step) + step) % step;
    if (!call_specs.empty()) ++call_rows[bucket];
    for (const MetricSpec& spec : call_specs)
      call_values[{bucket, spec.metric}].push_back(CallMetric(spec.metric, call));
    const Json& summary = call["summary"];
    if (usage_specs.empty() || !summary.is_object() || !summary["usage"].is_object()) return;
    ModelUsage priced = UsageOf(summary, true);
    const Json* costs = summary.contains("weave") ? &summary["weave"] : nullptr;
    for (const auto& [model, u] : summary["usage"].items()) {
      if (!u.is_object()) continue;
      models.insert(model);
      ++usage_rows[{bucket, model}];
      bool has_price = costs && costs->contains("costs") && (*costs)["costs"].contains(model);
      for (const MetricSpec& spec : usage_specs)
        usage_values[{bucket, model, spec.metric}].push_back(
            UsageMetric(spec.metric, u, priced[model], has_price));
    }
  }

  Json UsageBuckets(const std::vector<Micros>& buckets) {
    Json out = Json::array();
    for (Micros b : buckets)
      for (const std::string& model : models) {
        Json row = {{"timestamp", FormatTime(b)}, {"model", model}};
        for (const MetricSpec& spec : usage_specs)
          Aggregate(row, spec, usage_values[{b, model, spec.metric}]);
        row["count"] = usage_rows[{b, model}];
        out.push_back(std::move(row));
      }
    return out;
  }

  Json CallBuckets(const std::vector<Micros>& buckets) {
    Json out = Json::array();
    for (Micros b : call_specs.empty() ? std::vector<Micros>{} : buckets) {
      Json row = {{"timestamp", FormatTime(b)}};
      for (const MetricSpec& spec : call_specs) Aggregate(row, spec, call_values[{b, spec.metric}]);
      row["count"] = call_rows[b];
      out.push_back(std::move(row));
    }
    return out;
  }
};

// The calls_query_stream request of the calls started in [start, end).
Json WindowQuery(const std::string& project, Micros start, Micros end, bool with_costs,
                 const Json* filter) {
  auto at = [](const char* op, Micros t) {
    return Json{{op, {{{"$getField", "started_at"}}, {{"$literal", FormatTime(t)}}}}};
  };
  Json q = {{"project_id", project},
            {"query", {{"$expr", {{"$and", {at("$gte", start), {{"$not", {at("$gte", end)}}}}}}}}},
            {"include_costs", with_costs},
            {"columns", {"id", "started_at", "ended_at", "exception", "summary"}}};
  if (filter) q["filter"] = *filter;
  return q;
}

}  // namespace

Result<Json> CallStats(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  Micros start = f.Time("start");
  const Json* end_given = f.OptAny("end");
  Micros end = end_given ? f.Time("end") : NowMicros();
  std::optional<int64_t> granularity = f.OptInt("granularity");
  if (granularity && *granularity <= 0) f.Reject("granularity", "a bucket is at least 1 second");
  std::string timezone = f.OptStr("timezone").value_or("UTC");
  if (f.ok() && timezone != "UTC")
    f.Reject("timezone", "weft aligns buckets in UTC only, not '" + timezone + "'");
  std::vector<MetricSpec> usage_specs = ReadSpecs(f, "usage_metrics", kUsageMetrics);
  std::vector<MetricSpec> call_specs = ReadSpecs(f, "call_metrics", kCallMetrics);
  const Json* filter = f.OptDict("filter");
  WEFT_TRY(f.Finish());

  int64_t g = Granularity(granularity, std::max<int64_t>(0, (end - start) / kSecond));
  Micros step = g * kSecond;
  Micros first = start - ((start % step) + step) % step;
  std::vector<Micros> buckets;
  for (Micros b = first; b < end && buckets.size() < static_cast<size_t>(kMaxBuckets) + 1;
       b += step)
    buckets.push_back(b);
  Tally tally{step, usage_specs, call_specs};
  WEFT_TRY(StreamCalls(WindowQuery(project, start, end, !usage_specs.empty(), filter), ctx,
                       [&](const Json& call) { tally.Add(call); }));
  return Json{{"start", FormatTime(start)},
              {"end", FormatTime(end)},
              {"granularity", g},
              {"timezone", timezone},
              {"usage_buckets", tally.UsageBuckets(buckets)},
              {"call_buckets", tally.CallBuckets(buckets)}};
}

}  // namespace weft
