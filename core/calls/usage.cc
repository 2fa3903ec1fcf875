// Usage per model and its roll-ups (usage.h); trace_usage and calls_usage.
#include "core/api/usage.h"

#include <algorithm>
#include <unordered_map>

#include "base/wrapping.h"
#include "core/calls/calls.h"
#include "core/fields.h"
#include "core/methods.h"

namespace weft {

void LlmUsage::Add(const LlmUsage& m) {
  for (auto count : kUsageCounts) this->*count = WrapAdd(this->*count, m.*count);
  prompt_cost += m.prompt_cost;
  completion_cost += m.completion_cost;
  cache_read_cost += m.cache_read_cost;
  cache_creation_cost += m.cache_creation_cost;
}

Json LlmUsage::ToJson(bool with_costs) const {
  auto cost = [&](double v) { return with_costs ? Json(v) : Json(nullptr); };
  return Json{{"requests", requests},
              {"prompt_tokens", prompt_tokens},
              {"completion_tokens", completion_tokens},
              {"total_tokens", total_tokens},
              {"cache_read_input_tokens", cache_read_input_tokens},
              {"cache_creation_input_tokens", cache_creation_input_tokens},
              {"prompt_tokens_total_cost", cost(prompt_cost)},
              {"completion_tokens_total_cost", cost(completion_cost)},
              {"cache_read_input_tokens_total_cost", cost(cache_read_cost)},
              {"cache_creation_input_tokens_total_cost", cost(cache_creation_cost)}};
}

ModelUsage UsageOf(const Json& summary, bool with_costs) {
  ModelUsage out;
  if (!summary.is_object() || !summary.contains("usage") || !summary["usage"].is_object())
    return out;
  const Json* costs = nullptr;
  if (with_costs && summary.contains("weave") && summary["weave"].is_object() &&
      summary["weave"].contains("costs"))
    costs = &summary["weave"]["costs"];
  auto count = [](const Json& o, const char* key) {
    return o.contains(key) ? PythonInt(o[key]) : 0;
  };
  auto money = [](const Json& o, const char* key) {
    return o.contains(key) && o[key].is_number() ? o[key].get<double>() : 0.0;
  };
  for (const auto& [model, u] : summary["usage"].items()) {
    if (!u.is_object()) continue;
    LlmUsage m;
    m.prompt_tokens = WrapAdd(count(u, "prompt_tokens"), count(u, "input_tokens"));
    m.completion_tokens = WrapAdd(count(u, "completion_tokens"), count(u, "output_tokens"));
    m.requests = count(u, "requests");
    m.total_tokens = count(u, "total_tokens");
    if (m.total_tokens == 0) m.total_tokens = WrapAdd(m.prompt_tokens, m.completion_tokens);
    m.cache_read_input_tokens = count(u, "cache_read_input_tokens");
    m.cache_creation_input_tokens = count(u, "cache_creation_input_tokens");
    if (costs && costs->is_object() && costs->contains(model) && (*costs)[model].is_object()) {
      const Json& c = (*costs)[model];
      m.prompt_cost = money(c, "prompt_tokens_total_cost");
      m.completion_cost = money(c, "completion_tokens_total_cost");
      m.cache_read_cost = money(c, "cache_read_input_tokens_total_cost");
      m.cache_creation_cost = money(c, "cache_creation_input_tokens_total_cost");
    }
    bool any = m.requests || m.prompt_tokens || m.completion_tokens || m.total_tokens ||
               m.cache_read_input_tokens || m.cache_creation_input_tokens ||
               (with_costs && m.cost() != 0);
    if (any) out[model] = m;
  }
  return out;
}

void AddUsage(ModelUsage& into, const ModelUsage& more) {
  for (const auto& [model, u] : more) into[model].Add(u);
}

Json UsageJson(const ModelUsage& usage, bool with_costs) {
  Json out = Json::object();
  for (const auto& [model, u] : usage) out[model] = u.ToJson(with_costs);
  return out;
}

Json ReadCallSelection(Fields& f) {
  Json q = {{"project_id", f.ProjectId()}};
  if (const Json* filter = f.OptDict("filter")) q["filter"] = *filter;
  if (const Json* query = f.OptAny("query"); query && !query->is_null()) q["query"] = *query;
  return q;
}

namespace {

constexpr int64_t kDefaultLimit = 10000;  // Weave's: the calls one request aggregates at most

// Each queried call's usage plus its descendants' among them (Weave's
// aggregate_usage_with_descendants), by call id.
Result<std::unordered_map<std::string, ModelUsage>> RollUp(Json query, bool with_costs,
                                                           Context& ctx) {
  struct Node {
    std::string parent;
    ModelUsage usage;
  };
  std::unordered_map<std::string, Node> nodes;
  std::vector<std::string> order;
  query["include_costs"] = with_costs;
  query["columns"] = {"id", "parent_id", "summary"};
  auto each = [&](const Json& call) {
    std::string id = call["id"];
    order.push_back(id);
    nodes[id] = Node{call["parent_id"].is_string() ? call["parent_id"].get<std::string>() : "",
                     UsageOf(call["summary"], with_costs)};
  };
  WEFT_TRY(StreamCalls(query, ctx, each));
  // Children before parents: each call adds its own usage to every ancestor in scope.
  std::unordered_map<std::string, ModelUsage> total;
  for (const std::string& id : order) {
    const ModelUsage& own = nodes[id].usage;
    AddUsage(total[id], own);
    std::string at = nodes[id].parent;
    for (size_t hops = 0; !at.empty() && hops <= order.size(); ++hops) {
      auto up = nodes.find(at);
      if (up == nodes.end()) break;
      AddUsage(total[at], own);
      at = up->second.parent;
    }
  }
  return total;
}

Json Answer(const std::unordered_map<std::string, ModelUsage>& usage, bool with_costs,
            const std::vector<std::string>* only = nullptr) {
  Json out = Json::object();
  for (const auto& [id, u] : usage)
    if (!only || std::find(only->begin(), only->end(), id) != only->end())
      out[id] = UsageJson(u, with_costs);
  return Json{{"call_usage", std::move(out)}};
}

}  // namespace

Result<Json> TraceUsage(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  Json q = ReadCallSelection(f);
  bool with_costs = f.OptBool("include_costs").value_or(false);
  q["limit"] = f.OptInt("limit").value_or(kDefaultLimit);
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(auto usage, RollUp(std::move(q), with_costs, ctx));
  return Answer(usage, with_costs);
}

Result<Json> CallsUsage(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::vector<std::string> ids = f.StrList("call_ids");
  bool with_costs = f.OptBool("include_costs").value_or(false);
  int64_t limit = f.OptInt("limit").value_or(kDefaultLimit);
  WEFT_TRY(f.Finish());
  // The roots' traces hold their descendants.
  std::vector<std::string> traces;
  auto roots = [&](const Json& call) { traces.push_back(call["trace_id"]); };
  WEFT_TRY(StreamCalls(
      Json{{"project_id", project}, {"filter", {{"call_ids", ids}}}, {"columns", {"trace_id"}}},
      ctx, roots));
  if (traces.empty()) return Json{{"call_usage", Json::object()}};
  WEFT_ASSIGN(
      auto usage,
      RollUp(Json{{"project_id", project}, {"filter", {{"trace_ids", traces}}}, {"limit", limit}},
             with_costs, ctx));
  return Answer(usage, with_costs, &ids);
}

}  // namespace weft
