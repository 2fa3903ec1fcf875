// cost_create, cost_query, cost_purge, cost_import and include_costs on a
// real store: Weave's ranking of prices (effective at the call's start,
// project over default, newest) and its cost object.
#include <doctest/doctest.h>

#include "core/check.h"
#include "core/costs/prices.h"
#include "server_fixture.h"
#include "store/keys.h"
#include "store/store.h"

using namespace weft;

namespace {

// A call started at `at` whose summary.usage is usage.
void RecordCall(testing::Server& s, const std::string& id, const std::string& at,
                const Json& usage) {
  s.Ok("call_start", {{"start",
                       {{"project_id", "e/p"},
                        {"id", id},
                        {"trace_id", "t"},
                        {"op_name", "llm"},
                        {"started_at", at},
                        {"attributes", Json::object()},
                        {"inputs", Json::object()}}}});
  s.Ok("call_end",
       {{"end",
         {{"project_id", "e/p"}, {"id", id}, {"ended_at", at}, {"summary", {{"usage", usage}}}}}});
}

Json CostsOf(testing::Server& s, const std::string& id) {
  return s.Ok("call_read", {{"project_id", "e/p"},
                            {"id", id},
                            {"include_costs", true}})["call"]["summary"]["weave"]["costs"];
}

}  // namespace

TEST_CASE("a call's usage is priced from the shipped defaults, with Weave's fields") {
  testing::Server s;
  RecordCall(s, "c1", "2026-01-01T00:00:00Z",
             {{"gpt-4o",
               {{"prompt_tokens", 1000},
                {"input_tokens", 10},
                {"completion_tokens", "100"},
                {"requests", 1},
                {"total_tokens", 1110},
                {"cache_read_input_tokens", 200}}},
              {"no-such-model", {{"prompt_tokens", 5}}}});
  Json costs = CostsOf(s, "c1");
  REQUIRE(costs.is_object());
  CHECK(costs.size() == 1);  // an unpriced model is left out
  const Json& c = costs["gpt-4o"];
  CHECK(c["prompt_tokens"] == 1010);     // prompt and input tokens both count, as in Weave
  CHECK(c["completion_tokens"] == 100);  // a numeric string counts, as Python's int() reads it
  CHECK(c["requests"] == 1);
  CHECK(c["pricing_level"] == "default");
  // Cached prompt tokens are priced at the cache-read rate, the rest at the prompt rate.
  CHECK(c["prompt_tokens_total_cost"].get<double>() ==
        doctest::Approx(810 * c["prompt_token_cost"].get<double>()));
  CHECK(c["cache_read_input_token_cost"].get<double>() > 0);
  CHECK(c["cache_read_input_tokens_total_cost"].get<double>() ==
        doctest::Approx(200 * c["cache_read_input_token_cost"].get<double>()));
  CHECK(c["effective_date"] == "1970-01-01 00:00:00.000");  // Weave's text of the price's times
  for (const char* k :
       {"completion_tokens_total_cost", "prompt_token_cost_unit", "completion_token_cost_unit",
        "provider_id", "pricing_level_id", "created_by", "created_at", "total_tokens",
        "cache_creation_input_tokens", "cache_creation_input_token_cost",
        "cache_creation_input_tokens_total_cost"})
    CHECK(c.contains(k));
  // Without include_costs, nothing is added.
  CHECK_FALSE(
      s.Ok("call_read", {{"project_id", "e/p"}, {"id", "c1"}})["call"]["summary"]["weave"].contains(
          "costs"));
  // A shipped price given for a family of names prices its dated versions.
  RecordCall(s, "c2", "2026-01-01T00:00:00Z", {{"claude-3-opus-20240229", {{"input_tokens", 10}}}});
  CHECK(CostsOf(s, "c2")["claude-3-opus-20240229"]["provider_id"] == "anthropic");
}

TEST_CASE("project prices win over defaults, the newest one effective at the call's start first") {
  testing::Server s;
  Json price = {{"prompt_token_cost", 1},
                {"completion_token_cost", 2},
                {"effective_date", "2026-01-01T00:00:00Z"}};
  Json ids = s.Ok("cost_create", {{"project_id", "e/p"}, {"costs", {{"gpt-4o", price}}}})["ids"];
  REQUIRE(ids.size() == 1);
  CHECK(ids[0][1] == "gpt-4o");
  price["prompt_token_cost"] = 3;
  price["effective_date"] = "2026-06-01T00:00:00Z";
  s.Ok("cost_create", {{"project_id", "e/p"}, {"costs", {{"gpt-4o", price}}}});
  RecordCall(s, "before", "2025-06-01T00:00:00Z", {{"gpt-4o", {{"prompt_tokens", 1}}}});
  RecordCall(s, "between", "2026-03-01T00:00:00Z", {{"gpt-4o", {{"prompt_tokens", 1}}}});
  RecordCall(s, "after", "2026-07-01T00:00:00Z", {{"gpt-4o", {{"prompt_tokens", 1}}}});
  CHECK(CostsOf(s, "before")["gpt-4o"]["pricing_level"] ==
        "default");  // no project price was effective yet
  CHECK(CostsOf(s, "between")["gpt-4o"]["prompt_token_cost"] == 1);
  CHECK(CostsOf(s, "after")["gpt-4o"]["prompt_token_cost"] == 3);
  // calls_query answers the same costs.
  Json calls = s.Ok("calls_query", {{"project_id", "e/p"}, {"include_costs", true}})["calls"];
  REQUIRE(calls.size() == 3);
  CHECK(calls[2]["summary"]["weave"]["costs"]["gpt-4o"]["prompt_token_cost"] == 3);
}

TEST_CASE("cost_query lists the project's prices; cost_purge deletes by id only") {
  testing::Server s;
  Json ids = s.Ok("cost_create", {{"project_id", "e/p"},
                                  {"costs",
                                   {{"a", {{"prompt_token_cost", 1}, {"completion_token_cost", 1}}},
                                    {"b",
                                     {{"prompt_token_cost", "2"},
                                      {"completion_token_cost", 2},
                                      {"provider_id", "me"}}}}}})["ids"];
  Json all = s.Ok("cost_query", {{"project_id", "e/p"}})["results"];
  REQUIRE(all.size() == 2);
  CHECK(all[1]["prompt_token_cost"] == 2.0);  // a numeric string, as pydantic reads it
  CHECK(all[1]["provider_id"] == "me");
  CHECK(all[0]["provider_id"] == "default");
  CHECK(all[0].size() == 8);  // CostQueryOutput's fields
  Json only_b =
      s.Ok("cost_query",
           {{"project_id", "e/p"},
            {"fields", {"llm_id"}},
            {"query",
             {{"$expr",
               {{"$eq", {{{"$getField", "provider_id"}}, {{"$literal", "me"}}}}}}}}})["results"];
  CHECK(only_b == Json::array({{{"llm_id", "b"}}}));
  CHECK(s.Ok("cost_query", {{"project_id", "other/p"}})["results"].empty());
  Error e =
      s.Err("cost_purge",
            {{"project_id", "e/p"},
             {"query", {{"$expr", {{"$eq", {{{"$getField", "llm_id"}}, {{"$literal", "a"}}}}}}}}});
  CHECK(e.message.find("can only purge costs by specifying one or more cost ids") !=
        std::string::npos);
  std::string a_id = ids[0][1] == "a" ? ids[0][0] : ids[1][0];
  s.Ok("cost_purge",
       {{"project_id", "e/p"},
        {"query", {{"$expr", {{"$in", {{{"$getField", "id"}}, {{{"$literal", a_id}}}}}}}}}});
  all = s.Ok("cost_query", {{"project_id", "e/p"}})["results"];
  REQUIRE(all.size() == 1);
  CHECK(all[0]["llm_id"] == "b");
  CHECK(
      s.Err("cost_create", {{"project_id", "e/p"}, {"costs", {{"x", {{"prompt_token_cost", 1}}}}}})
          .message.find("costs.x.completion_token_cost") != std::string::npos);
}

TEST_CASE("cost_import takes a LiteLLM price file's priced models, once") {
  testing::Server s;
  Json file = {{"sample_spec", {{"input_cost_per_token", 0}, {"output_cost_per_token", 0}}},
               {"my-llm",
                {{"input_cost_per_token", 1e-6},
                 {"output_cost_per_token", 2e-6},
                 {"litellm_provider", "acme"}}},
               {"embedder", {{"input_cost_per_token", 1e-7}, {"mode", "embedding"}}}};
  Json req = {{"project_id", "e/p"}, {"prices", file}, {"effective_date", "2020-01-01T00:00:00Z"}};
  CHECK(s.Ok("cost_import", req) == Json{{"created", 1}, {"unchanged", 0}, {"skipped", 2}});
  CHECK(s.Ok("cost_import", req) == Json{{"created", 0}, {"unchanged", 1}, {"skipped", 2}});
  RecordCall(s, "c", "2026-01-01T00:00:00Z",
             {{"my-llm", {{"prompt_tokens", 1000}, {"completion_tokens", 1000}}}});
  Json c = CostsOf(s, "c")["my-llm"];
  CHECK(c["provider_id"] == "acme");
  CHECK(c["completion_tokens_total_cost"].get<double>() == doctest::Approx(2e-3));
}

TEST_CASE("the shipped price table names its source") {
  CHECK(DefaultPrices().size() > 100);
  CHECK(DefaultPricesSource().find("genai-prices") != std::string::npos);
}

TEST_CASE(
    "trace_usage and calls_usage roll usage up over descendants, as Weave's usage_utils does") {
  testing::Server s;
  auto call = [&](const std::string& id, const Json& parent, const Json& usage) {
    s.Ok("call_start", {{"start",
                         {{"project_id", "e/p"},
                          {"id", id},
                          {"trace_id", "t"},
                          {"parent_id", parent},
                          {"op_name", "llm"},
                          {"started_at", "2026-01-01T00:00:00Z"},
                          {"attributes", Json::object()},
                          {"inputs", Json::object()}}}});
    s.Ok("call_end", {{"end",
                       {{"project_id", "e/p"},
                        {"id", id},
                        {"ended_at", "2026-01-01T00:00:01Z"},
                        {"summary", {{"usage", usage}}}}}});
  };
  // Weave's test_trace_usage case: totals fall back to prompt + completion.
  call("root", nullptr,
       {{"gpt-4", {{"prompt_tokens", 5}, {"completion_tokens", 5}, {"total_tokens", 10}}}});
  call("child", "root", {{"gpt-4", {{"input_tokens", 2}, {"output_tokens", 1}}}});
  call("grandchild", "child",
       {{"gpt-4", {{"prompt_tokens", 3}, {"completion_tokens", 1}, {"total_tokens", 4}}}});
  Json usage = s.Ok("trace_usage",
                    {{"project_id", "e/p"}, {"filter", {{"trace_ids", {"t"}}}}})["call_usage"];
  CHECK(usage["root"]["gpt-4"]["prompt_tokens"] == 10);
  CHECK(usage["root"]["gpt-4"]["completion_tokens"] == 7);
  CHECK(usage["root"]["gpt-4"]["total_tokens"] == 17);
  CHECK(usage["child"]["gpt-4"]["total_tokens"] == 7);
  CHECK(usage["grandchild"]["gpt-4"]["prompt_tokens_total_cost"].is_null());
  Json costed =
      s.Ok("calls_usage",
           {{"project_id", "e/p"}, {"call_ids", {"child"}}, {"include_costs", true}})["call_usage"];
  REQUIRE(costed.size() == 1);
  double own = CostsOf(s, "child")["gpt-4"]["prompt_tokens_total_cost"].get<double>();
  double below = CostsOf(s, "grandchild")["gpt-4"]["prompt_tokens_total_cost"].get<double>();
  CHECK(costed["child"]["gpt-4"]["prompt_tokens_total_cost"].get<double>() ==
        doctest::Approx(own + below));
}

TEST_CASE(
    "calls_summary groups calls by op, model or status and by time, with latency percentiles, "
    "tokens and cost") {
  testing::Server s;
  auto call = [&](const std::string& id, const std::string& op, const std::string& start,
                  const std::string& end, const Json& usage, bool failed = false) {
    s.Ok("call_start", {{"start",
                         {{"project_id", "e/p"},
                          {"id", id},
                          {"trace_id", id},
                          {"op_name", op},
                          {"started_at", start},
                          {"attributes", Json::object()},
                          {"inputs", Json::object()}}}});
    Json end_req = {
        {"project_id", "e/p"}, {"id", id}, {"ended_at", end}, {"summary", {{"usage", usage}}}};
    if (failed) end_req["exception"] = "boom";
    s.Ok("call_end", {{"end", end_req}});
  };
  call("a", "chat", "2026-01-01T00:10:00Z", "2026-01-01T00:10:01Z",
       {{"gpt-4o", {{"prompt_tokens", 100}, {"completion_tokens", 10}}}});
  call("b", "chat", "2026-01-01T00:20:00Z", "2026-01-01T00:20:03Z",
       {{"no-price", {{"total_tokens", 7}}}}, true);
  call("c", "embed", "2026-01-01T01:05:00Z", "2026-01-01T01:05:00.5Z", Json::object());
  Json by_op = s.Ok("calls_summary", {{"project_id", "e/p"}, {"by", "op"}})["groups"];
  REQUIRE(by_op.size() == 2);
  CHECK(by_op[0]["group"] == "chat");
  CHECK(by_op[0]["count"] == 2);
  CHECK(by_op[0]["errors"] == 1);
  CHECK(by_op[0]["p50_ms"] == 2000.0);  // between 1 s and 3 s
  CHECK(by_op[0]["tokens"] == 117);
  CHECK(by_op[0]["cost"].get<double>() == doctest::Approx(100 * 2.5e-6 + 10 * 1e-5));
  CHECK(by_op[1]["cost"].is_null());  // nothing priced
  Json hourly = s.Ok("calls_summary", {{"project_id", "e/p"}, {"every", "1h"}})["groups"];
  REQUIRE(hourly.size() == 2);
  CHECK(hourly[0]["start"] == "2026-01-01T00:00:00.000000Z");
  CHECK(hourly[0]["group"].is_null());
  CHECK(hourly[1]["count"] == 1);
  Json by_model = s.Ok("calls_summary", {{"project_id", "e/p"}, {"by", "model"}})["groups"];
  REQUIRE(by_model.size() == 3);
  CHECK(by_model[0]["group"].is_null());  // the call without usage
  CHECK(by_model[2]["group"] == "no-price");
  CHECK(s.Err("calls_summary", {{"project_id", "e/p"}, {"every", "1x"}}).message.find("every:") !=
        std::string::npos);
  // Several groupings from one walk answer what each alone answers.
  Json all = s.Ok("calls_summary",
                  {{"project_id", "e/p"},
                   {"groupings", {{{"by", "op"}}, {{"every", "1h"}}, {{"by", "model"}}}}});
  CHECK(all ==
        Json{{"groupings", {{{"groups", by_op}}, {{"groups", hourly}}, {{"groups", by_model}}}}});
  CHECK(
      s.Err("calls_summary", {{"project_id", "e/p"}, {"groupings", {{{"by", "op"}}}}, {"by", "op"}})
          .message.find("groupings") != std::string::npos);
  CHECK(s.Err("calls_summary",
              {{"project_id", "e/p"}, {"groupings", {{{"by", "op"}}, {{"by", "x"}}}}})
            .message.find("groupings.1.by") != std::string::npos);
  CHECK(s.Err("calls_summary", {{"project_id", "e/p"}, {"groupings", {{{"byy", "op"}}}}})
            .message.find("groupings.0.byy") != std::string::npos);
  CHECK(s.Err("calls_summary", {{"project_id", "e/p"}, {"groupings", Json(9, {{"by", "op"}})}})
            .message.find("at most 8 groupings") != std::string::npos);
}

TEST_CASE(
    "call_stats: Weave's time buckets, usage per model and call metrics, empty buckets filled") {
  testing::Server s;
  auto call = [&](const std::string& id, const std::string& start, const std::string& end,
                  const Json& usage, bool failed = false) {
    s.Ok("call_start", {{"start",
                         {{"project_id", "e/p"},
                          {"id", id},
                          {"trace_id", id},
                          {"op_name", "chat"},
                          {"started_at", start},
                          {"attributes", Json::object()},
                          {"inputs", Json::object()}}}});
    Json end_req = {
        {"project_id", "e/p"}, {"id", id}, {"ended_at", end}, {"summary", {{"usage", usage}}}};
    if (failed) end_req["exception"] = "boom";
    s.Ok("call_end", {{"end", end_req}});
  };
  call("a", "2026-01-01T00:10:00Z", "2026-01-01T00:10:01Z",
       {{"gpt-4o", {{"prompt_tokens", 100}, {"completion_tokens", 10}, {"total_tokens", 110}}}});
  call("b", "2026-01-01T00:20:00Z", "2026-01-01T00:20:03Z",
       {{"gpt-4o", {{"input_tokens", 5}, {"output_tokens", 1}}}}, true);
  call("c", "2026-01-01T02:05:00Z", "2026-01-01T02:05:00.5Z", Json::object());
  call("late", "2026-01-01T03:00:00Z", "2026-01-01T03:00:01Z", Json::object());  // at end: left out
  Json res =
      s.Ok("call_stats", Json::parse(R"({"project_id": "e/p", "start": "2026-01-01T00:00:00Z",
      "end": "2026-01-01T03:00:00Z", "granularity": 3600,
      "usage_metrics": [{"metric": "input_tokens", "aggregations": ["sum", "max"]}, {"metric": "total_tokens", "aggregations": ["min", "count"]},
                        {"metric": "input_cost"}],
      "call_metrics": [{"metric": "call_count"}, {"metric": "error_count"},
                       {"metric": "latency_ms", "aggregations": ["avg"], "percentiles": [50, 99.5]}]})"));
  CHECK(res["granularity"] == 3600);
  CHECK(res["timezone"] == "UTC");
  const Json& calls = res["call_buckets"];
  REQUIRE(calls.size() == 3);  // 00:00, 01:00 (empty) and 02:00
  CHECK(calls[0]["timestamp"] == "2026-01-01T00:00:00.000000Z");
  CHECK(calls[0]["sum_call_count"] == 2.0);
  CHECK(calls[0]["sum_error_count"] == 1.0);
  CHECK(calls[0]["avg_latency_ms"] == 2000.0);
  CHECK(calls[0]["p50_latency_ms"] == 2000.0);
  CHECK(calls[0].contains("p99.5_latency_ms"));
  CHECK(calls[0]["count"] == 2);
  CHECK(calls[1]["sum_call_count"] == 0.0);  // an empty bucket: sums 0, percentiles null
  CHECK(calls[1]["p50_latency_ms"].is_null());
  CHECK(calls[1]["count"] == 0);
  const Json& usage = res["usage_buckets"];
  REQUIRE(usage.size() == 3);  // every bucket for the one model seen
  CHECK(usage[0]["model"] == "gpt-4o");
  CHECK(usage[0]["sum_input_tokens"] == 105.0);  // prompt_tokens and input_tokens fold together
  CHECK(usage[0]["max_input_tokens"] == 100.0);
  CHECK(usage[0]["min_total_tokens"] == 110.0);
  CHECK(usage[0]["count_total_tokens"] == 1);  // b has no total_tokens
  CHECK(usage[0]["sum_input_cost"].get<double>() == doctest::Approx(105 * 2.5e-6));
  CHECK(usage[0]["count"] == 2);
  CHECK(usage[1]["min_total_tokens"].is_null());
  CHECK(
      s.Err(
           "call_stats",
           Json::parse(
               R"({"project_id": "e/p", "start": "2026-01-01T00:00:00Z", "timezone": "Europe/Paris"})"))
          .message.find("timezone:") != std::string::npos);
  CHECK(
      s.Err(
           "call_stats",
           Json::parse(
               R"({"project_id": "e/p", "start": "2026-01-01T00:00:00Z", "call_metrics": [{"metric": "nope"}]})"))
          .kind == ErrorKind::kModel);
  // Without a granularity the range picks it: 3 hours -> 1 hour buckets.
  CHECK(
      s.Ok(
          "call_stats",
          Json::parse(
              R"({"project_id": "e/p", "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T03:00:00Z"})"))
          ["granularity"] == 3600);
}

TEST_CASE("weft check finds a stored price row that does not decode as one") {
  testing::Server s;
  s.Ok("cost_create",
       {{"project_id", "e/p"},
        {"costs", {{"m", {{"prompt_token_cost", 1}, {"completion_token_cost", 1}}}}}});
  auto clean = CheckStore(*s.ctx.store);
  REQUIRE(clean.ok());
  CHECK((*clean)["ok"] == true);
  REQUIRE(s.ctx.store
              ->Write([](Txn& txn) {
                return txn.Put(Db::kCosts, keys::Cost("e/p", "m", "bad"), R"({"id": 1})");
              })
              .ok());
  auto report = CheckStore(*s.ctx.store);
  REQUIRE(report.ok());
  REQUIRE((*report)["damaged"].size() == 1);
  CHECK((*report)["damaged"][0].get<std::string>().find("does not decode") != std::string::npos);
}
