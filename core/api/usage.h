// A call's LLM usage per model, and its roll-up over descendants, as
// Weave's usage_utils aggregates them (docs/semantics.md#usage): the rows
// of trace_usage, calls_usage and weft calls stats.
#pragma once

#include <map>
#include <string>

#include "base/json.h"

namespace weft {

// Weave's LLMAggregatedUsage.
struct LlmUsage {
  int64_t requests = 0, prompt_tokens = 0, completion_tokens = 0, total_tokens = 0;
  int64_t cache_read_input_tokens = 0, cache_creation_input_tokens = 0;
  // The four totals of summary.weave.costs, when costs were asked for.
  double prompt_cost = 0, completion_cost = 0, cache_read_cost = 0, cache_creation_cost = 0;

  void Add(const LlmUsage& more);
  double cost() const {
    return prompt_cost + completion_cost + cache_read_cost + cache_creation_cost;
  }
  // As Weave answers it: every field, the costs null unless with_costs.
  Json ToJson(bool with_costs) const;
};

// LlmUsage's six counts, for code that walks them all (sums, records).
inline constexpr int64_t LlmUsage::*kUsageCounts[] = {&LlmUsage::requests,
                                                      &LlmUsage::prompt_tokens,
                                                      &LlmUsage::completion_tokens,
                                                      &LlmUsage::total_tokens,
                                                      &LlmUsage::cache_read_input_tokens,
                                                      &LlmUsage::cache_creation_input_tokens};

using ModelUsage = std::map<std::string, LlmUsage>;

// The usage of a CallSchema's summary (and its summary.weave.costs when
// with_costs), models without any usage left out.
ModelUsage UsageOf(const Json& summary, bool with_costs);

void AddUsage(ModelUsage& into, const ModelUsage& more);

Json UsageJson(const ModelUsage& usage, bool with_costs);

}  // namespace weft
