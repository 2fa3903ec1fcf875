// LLM token prices and the cost of a call's usage as Weave computes it
// (docs/costs.md): a project's own prices (the costs sub-database, written
// by cost_create) over the defaults weft ships (default_prices.json).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "core/api/usage.h"
#include "store/txn.h"

namespace weft {

// One row of Weave's llm_token_prices.
struct Price {
  std::string id, llm_id, provider_id = "default";
  std::string pricing_level = "project",
              pricing_level_id;  // "default", "default" for shipped prices
  double prompt_token_cost = 0, completion_token_cost = 0;
  double cache_read_input_token_cost = 0, cache_creation_input_token_cost = 0;
  std::string prompt_token_cost_unit = "USD", completion_token_cost_unit = "USD";
  Micros effective_date = 0, created_at = 0;
  std::string created_by;
  bool prefix = false;  // shipped only: priced for every llm id that starts with llm_id

  // As cost_query answers it (and as it is stored).
  Json ToJson() const;
  static Result<Price> FromJson(const Json& row);
};

// The prices weft ships (docs/costs.md#default-prices), parsed once.
const std::vector<Price>& DefaultPrices();
// Where those prices come from and when they were taken.
std::string DefaultPricesSource();

// A project's own prices, in key order (by llm id).
Result<std::vector<Price>> ProjectPrices(Txn& txn, const std::string& project);
// An llm id weft can store: 1 to 200 bytes (a part of an LMDB key) without
// control characters; `at` names it in the message.
Status CheckLlmId(const std::string& llm_id, const std::string& at);
// Stores prices as the project's own (a price of the same id is replaced).
Status PutPrices(Txn& txn, const std::string& project, const std::vector<Price>& prices);

// The prices that apply to one project's calls.
class CostTable {
 public:
  explicit CostTable(std::vector<Price> project_prices) : project_(std::move(project_prices)) {}
  // summary.weave.costs for a call's summary.usage started at started_at:
  // {llm_id: cost} for each usage entry that has a price, or null when
  // none has.
  Json CostsOf(const Json& usage, Micros started_at) const;

  // The price Weave ranks first for llm_id at time t, or nullptr.
  const Price* Best(const std::string& llm_id, Micros t) const;
  // The times at which a price takes effect (Best can answer differently
  // on either side of them, and only there).
  std::vector<Micros> EffectiveDates() const;

 private:
  std::vector<Price> project_;
};

// The costs of token counts at a price: prompt (less the cached prompt
// tokens, priced at their own rates), completion, cache read, cache creation.
std::array<double, 4> TokenCosts(const Price& p, const LlmUsage& tokens);

// Adds summary.weave.costs to a CallSchema object that has a summary (and
// so its usage), when any usage entry is priced.
void AddCosts(Json& call, const CostTable& table, Micros started_at);

}  // namespace weft
