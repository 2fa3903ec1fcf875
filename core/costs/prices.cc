// Price rows, the shipped defaults, and Weave's ranking of prices for a
// call (docs/costs.md#how-a-cost-is-computed; Weave's token_costs.py).
#include "core/costs/prices.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "base/wrapping.h"
#include "store/keys.h"

namespace weft {
namespace {

// The JSON text of default_prices.json, embedded by tools/embed.cmake.
std::string_view DefaultPricesText() {
  static const std::pair<std::string_view, std::string_view> embedded[] = {
#include "default_prices.inc"
  };
  return embedded[0].second;
}

// Python's int() of a usage count, 0 where it fails or is missing (Weave's _safe_int).
int64_t IntOf(const Json& usage, const char* key) {
  auto it = usage.find(key);
  return it == usage.end() ? 0 : PythonInt(*it);
}

// Weave's text of a price's times inside a cost entry: "2024-01-01 00:00:00.000".
std::string CostTime(Micros t) {
  std::string iso = FormatTime(t);  // 2024-01-01T00:00:00.000000Z
  return iso.substr(0, 10) + " " + iso.substr(11, 12);
}

}  // namespace

Json Price::ToJson() const {
  return Json{{"id", id},
              {"llm_id", llm_id},
              {"pricing_level", pricing_level},
              {"pricing_level_id", pricing_level_id},
              {"provider_id", provider_id},
              {"prompt_token_cost", prompt_token_cost},
              {"completion_token_cost", completion_token_cost},
              {"cache_read_input_token_cost", cache_read_input_token_cost},
              {"cache_creation_input_token_cost", cache_creation_input_token_cost},
              {"prompt_token_cost_unit", prompt_token_cost_unit},
              {"completion_token_cost_unit", completion_token_cost_unit},
              {"effective_date", FormatTime(effective_date)},
              {"created_by", created_by},
              {"created_at", FormatTime(created_at)}};
}

Result<Price> Price::FromJson(const Json& row) {
  Price p;
  try {
    p.id = row.at("id");
    p.llm_id = row.at("llm_id");
    p.pricing_level = row.at("pricing_level");
    p.pricing_level_id = row.at("pricing_level_id");
    p.provider_id = row.at("provider_id");
    p.prompt_token_cost = row.at("prompt_token_cost");
    p.completion_token_cost = row.at("completion_token_cost");
    p.cache_read_input_token_cost = row.value("cache_read_input_token_cost", 0.0);
    p.cache_creation_input_token_cost = row.value("cache_creation_input_token_cost", 0.0);
    p.prompt_token_cost_unit = row.at("prompt_token_cost_unit");
    p.completion_token_cost_unit = row.at("completion_token_cost_unit");
    p.effective_date = ParseTime(row.at("effective_date").get<std::string>()).value_or(0);
    p.created_by = row.at("created_by");
    p.created_at = ParseTime(row.at("created_at").get<std::string>()).value_or(0);
  } catch (const Json::exception& e) {
    return StoreError(std::string("a stored price is damaged: ") + e.what());
  }
  return p;
}

const std::vector<Price>& DefaultPrices() {
  static const std::vector<Price> prices = [] {
    std::vector<Price> out;
    Json doc = Json::parse(DefaultPricesText());
    Micros taken = ParseTime(doc["date"].get<std::string>() + "T00:00:00Z").value_or(0);
    for (const Json& r : doc["prices"]) {
      Price p;
      p.llm_id = r[0];
      p.provider_id = r[1];
      p.prompt_token_cost = r[2];
      p.completion_token_cost = r[3];
      p.cache_read_input_token_cost = r[4];
      p.cache_creation_input_token_cost = r[5];
      p.effective_date = ParseTime(r[6].get<std::string>()).value_or(0);
      p.prefix = r[7] == 1;
      p.id = "default:" + p.provider_id + ":" + p.llm_id;
      p.pricing_level = p.pricing_level_id = "default";
      p.created_by = "system";
      p.created_at = taken;
      out.push_back(std::move(p));
    }
    return out;
  }();
  return prices;
}

std::string DefaultPricesSource() {
  Json doc = Json::parse(DefaultPricesText());
  return doc["source"].get<std::string>() + ", taken " + doc["date"].get<std::string>();
}

Result<std::vector<Price>> ProjectPrices(Txn& txn, const std::string& project) {
  std::vector<Price> out;
  WEFT_TRY(txn.ForEach(Db::kCosts, keys::ProjectPrefix(project),
                       [&](std::string_view, std::string_view v) -> Result<bool> {
                         WEFT_ASSIGN(Json row, ParseJson(v, "stored price"));
                         WEFT_ASSIGN(Price p, Price::FromJson(row));
                         out.push_back(std::move(p));
                         return true;
                       }));
  return out;
}

Status CheckLlmId(const std::string& llm_id, const std::string& at) {
  constexpr size_t kMaxLlmId = 200;  // keeps the key within LMDB's 511 bytes
  if (llm_id.empty() || llm_id.size() > kMaxLlmId)
    return Invalid(at + ": an llm id is 1 to 200 bytes");
  for (unsigned char c : llm_id)
    if (c < 0x20 || c == 0x7f) return Invalid(at + ": an llm id holds no control characters");
  return Status::OK();
}

Status PutPrices(Txn& txn, const std::string& project, const std::vector<Price>& prices) {
  for (const Price& p : prices)
    WEFT_TRY(txn.Put(Db::kCosts, keys::Cost(project, p.llm_id, p.id), CompactDumps(p.ToJson())));
  return Status::OK();
}

namespace {

// The shipped prices by exact llm id, and the family (prefix) prices, built
// once: a query prices every model of every call it answers.
struct DefaultIndex {
  std::unordered_map<std::string, std::vector<const Price*>> exact;
  std::vector<const Price*> prefixes;
};

const DefaultIndex& Defaults() {
  static const DefaultIndex index = [] {
    DefaultIndex out;
    for (const Price& p : DefaultPrices()) {
      if (p.prefix)
        out.prefixes.push_back(&p);
      else
        out.exact[p.llm_id].push_back(&p);
    }
    return out;
  }();
  return index;
}

}  // namespace

const Price* CostTable::Best(const std::string& llm_id, Micros t) const {
  // Weave's rank: prices effective at t first, then project over default,
  // then the newest; a shipped prefix price only where no exact one is.
  std::vector<const Price*> candidates;
  for (const Price& p : project_)
    if (p.llm_id == llm_id) candidates.push_back(&p);
  if (auto exact = Defaults().exact.find(llm_id); exact != Defaults().exact.end()) {
    candidates.insert(candidates.end(), exact->second.begin(), exact->second.end());
  } else {
    const Price* prefix = nullptr;  // the longest family name llm_id starts with
    for (const Price* p : Defaults().prefixes)
      if (llm_id.starts_with(p->llm_id) && (!prefix || p->llm_id.size() > prefix->llm_id.size()))
        prefix = p;
    if (prefix) candidates.push_back(prefix);
  }
  auto rank = [&](const Price* p) {
    return std::make_tuple(t >= p->effective_date ? 1 : 2, p->pricing_level == "project" ? 2 : 3,
                           -p->effective_date);
  };
  auto best = std::min_element(candidates.begin(), candidates.end(),
                               [&](const Price* a, const Price* b) { return rank(a) < rank(b); });
  return best == candidates.end() ? nullptr : *best;
}

Json CostTable::CostsOf(const Json& usage, Micros started_at) const {
  if (!usage.is_object()) return nullptr;
  Json costs = Json::object();
  for (const auto& [llm_id, u] : usage.items()) {
    if (!u.is_object()) continue;
    const Price* p = Best(llm_id, started_at);
    if (!p) continue;
    // Some libraries count prompt/completion tokens, others input/output: Weave adds both.
    LlmUsage n;
    n.prompt_tokens = WrapAdd(IntOf(u, "prompt_tokens"), IntOf(u, "input_tokens"));
    n.completion_tokens = WrapAdd(IntOf(u, "completion_tokens"), IntOf(u, "output_tokens"));
    n.cache_read_input_tokens = IntOf(u, "cache_read_input_tokens");
    n.cache_creation_input_tokens = IntOf(u, "cache_creation_input_tokens");
    auto [prompt_cost, completion_cost, cache_read_cost, cache_creation_cost] = TokenCosts(*p, n);
    costs[llm_id] = Json{{"prompt_tokens", n.prompt_tokens},
                         {"completion_tokens", n.completion_tokens},
                         {"cache_read_input_tokens", n.cache_read_input_tokens},
                         {"cache_creation_input_tokens", n.cache_creation_input_tokens},
                         {"requests", IntOf(u, "requests")},
                         {"total_tokens", IntOf(u, "total_tokens")},
                         {"prompt_tokens_total_cost", prompt_cost},
                         {"completion_tokens_total_cost", completion_cost},
                         {"cache_read_input_tokens_total_cost", cache_read_cost},
                         {"cache_creation_input_tokens_total_cost", cache_creation_cost},
                         {"prompt_token_cost", p->prompt_token_cost},
                         {"completion_token_cost", p->completion_token_cost},
                         {"cache_read_input_token_cost", p->cache_read_input_token_cost},
                         {"cache_creation_input_token_cost", p->cache_creation_input_token_cost},
                         {"prompt_token_cost_unit", p->prompt_token_cost_unit},
                         {"completion_token_cost_unit", p->completion_token_cost_unit},
                         {"effective_date", CostTime(p->effective_date)},
                         {"provider_id", p->provider_id},
                         {"pricing_level", p->pricing_level},
                         {"pricing_level_id", p->pricing_level_id},
                         {"created_at", CostTime(p->created_at)},
                         {"created_by", p->created_by}};
  }
  return costs.empty() ? Json(nullptr) : costs;
}

std::vector<Micros> CostTable::EffectiveDates() const {
  std::vector<Micros> out;
  for (const Price& p : project_) out.push_back(p.effective_date);
  for (const Price& p : DefaultPrices()) out.push_back(p.effective_date);
  return out;
}

std::array<double, 4> TokenCosts(const Price& p, const LlmUsage& n) {
  auto times = [](int64_t count, double price) { return static_cast<double>(count) * price; };
  int64_t uncached =
      WrapAdd(n.prompt_tokens,
              WrapMul(-1, WrapAdd(n.cache_read_input_tokens, n.cache_creation_input_tokens)));
  return {times(uncached, p.prompt_token_cost), times(n.completion_tokens, p.completion_token_cost),
          times(n.cache_read_input_tokens, p.cache_read_input_token_cost),
          times(n.cache_creation_input_tokens, p.cache_creation_input_token_cost)};
}

void AddCosts(Json& call, const CostTable& table, Micros started_at) {
  auto summary = call.find("summary");
  if (summary == call.end() || !summary->is_object()) return;
  if (auto weave = summary->find("weave"); weave != summary->end() && weave->is_object())
    weave->erase("costs");
  auto usage = summary->find("usage");
  if (usage == summary->end()) return;
  Json costs = table.CostsOf(*usage, started_at);
  if (costs.is_null()) return;
  Json& weave = (*summary)["weave"];
  if (!weave.is_object()) weave = Json::object();
  weave["costs"] = std::move(costs);  // replaces any costs a client stored there
}

}  // namespace weft
