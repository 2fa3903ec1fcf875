// cost_create, cost_query, cost_purge (Weave's), and cost_import, which
// loads a LiteLLM price file as the project's prices (docs/costs.md).
#include <algorithm>
#include <cmath>

#include "base/ids.h"
#include "core/costs/prices.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/row_table.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr const char* kColumnNames[] = {"id",
                                        "llm_id",
                                        "pricing_level",
                                        "pricing_level_id",
                                        "provider_id",
                                        "prompt_token_cost",
                                        "completion_token_cost",
                                        "cache_read_input_token_cost",
                                        "cache_creation_input_token_cost",
                                        "prompt_token_cost_unit",
                                        "completion_token_cost_unit",
                                        "effective_date",
                                        "created_by",
                                        "created_at"};
constexpr int kTimeColumns[] = {11, 13};
// CostQueryOutput's fields.
constexpr const char* kShown[] = {"id",
                                  "llm_id",
                                  "prompt_token_cost",
                                  "completion_token_cost",
                                  "prompt_token_cost_unit",
                                  "completion_token_cost_unit",
                                  "effective_date",
                                  "provider_id"};
const RowColumns kColumns{kColumnNames, -1, kTimeColumns, kShown};

constexpr size_t kMaxImportBytes = size_t{64} << 20;

// One CostCreateInput as a project price.
Result<Price> ReadCostInput(Fields& f, const std::string& llm_id, const std::string& project,
                            const std::string& user, Micros now) {
  Price p;
  p.id = NewId();
  p.llm_id = llm_id;
  p.pricing_level_id = project;
  p.prompt_token_cost = f.Number("prompt_token_cost", true).value_or(0);
  p.completion_token_cost = f.Number("completion_token_cost", true).value_or(0);
  p.cache_read_input_token_cost = f.Number("cache_read_input_token_cost", false).value_or(0);
  p.cache_creation_input_token_cost =
      f.Number("cache_creation_input_token_cost", false).value_or(0);
  p.prompt_token_cost_unit = f.OptStr("prompt_token_cost_unit").value_or("USD");
  p.completion_token_cost_unit = f.OptStr("completion_token_cost_unit").value_or("USD");
  const Json* effective = f.OptAny("effective_date");
  p.effective_date = effective && !effective->is_null() ? f.Time("effective_date") : now;
  auto provider = f.OptStr("provider_id");
  p.provider_id = provider && !provider->empty() ? *provider : "default";
  p.created_by = user;
  p.created_at = now;
  WEFT_TRY(f.Finish());
  WEFT_TRY(CheckLlmId(llm_id, f.path()));
  return p;
}

std::string UserOf(const std::optional<std::string>& given, Context& ctx) {
  return given && !given->empty() ? *given : ctx.user();
}

// The whole of ctx.input, up to max bytes.
Result<std::string> ReadInput(Context& ctx, size_t max, const std::string& what) {
  std::string text;
  for (;;) {
    size_t have = text.size();
    text.resize(have + (1 << 20));
    WEFT_ASSIGN(size_t got, ctx.input(text.data() + have, text.size() - have));
    text.resize(have + got);
    if (got == 0) return text;
    if (text.size() > max)
      return Invalid(what + ": larger than " + std::to_string(max >> 20) + " MiB");
  }
}

}  // namespace

Result<Json> CostCreate(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  const Json& costs = f.Dict("costs");
  std::string user = UserOf(f.OptStr("wb_user_id"), ctx);
  WEFT_TRY(f.Finish());
  Micros now = NowMicros();
  std::vector<Price> prices;
  for (const auto& [llm_id, input] : costs.items()) {
    Fields c = f.Child(input, "costs." + llm_id, Extra::kForbid);
    if (!input.is_object()) return Invalid(c.path() + ": input should be a valid dictionary");
    WEFT_ASSIGN(Price p, ReadCostInput(c, llm_id, project, user, now));
    prices.push_back(std::move(p));
  }
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return PutPrices(txn, project, prices); }));
  Json ids = Json::array();
  for (const Price& p : prices) ids.push_back(Json::array({p.id, p.llm_id}));
  return Json{{"ids", std::move(ids)}};
}

Result<Json> CostQuery(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::vector<JsonRow> rows;
  if (f.ok()) {
    WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
      WEFT_ASSIGN(auto prices, ProjectPrices(txn, project));
      rows.clear();
      for (const Price& p : prices) rows.emplace_back(p.ToJson(), kColumns);
      return Status::OK();
    }));
  }
  WEFT_ASSIGN(Json results, QueryRows(f, kColumns, std::move(rows)));
  return Json{{"results", std::move(results)}};
}

Result<Json> CostPurge(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  const Json& query = f.Any("query");
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(auto ids, PurgeIds(query, "costs", "cost", true));
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto prices, ProjectPrices(txn, project));
    for (const Price& p : prices)
      if (std::find(ids.begin(), ids.end(), p.id) != ids.end())
        WEFT_TRY(txn.Del(Db::kCosts, keys::Cost(project, p.llm_id, p.id)));
    return Status::OK();
  }));
  return Json::object();
}

namespace {

// One model of a LiteLLM price file as a price row; nullopt for the file's
// sample_spec, a model without both token costs, or an id weft refuses.
std::optional<Price> LiteLlmPrice(const std::string& llm_id, const Json& model) {
  auto cost = [&](const char* key) {
    return model.is_object() && model.contains(key) && model[key].is_number();
  };
  if (llm_id == "sample_spec" || !cost("input_cost_per_token") || !cost("output_cost_per_token") ||
      !CheckLlmId(llm_id, "prices").ok())
    return std::nullopt;
  Price p;
  p.id = NewId();
  p.llm_id = llm_id;
  p.prompt_token_cost = model["input_cost_per_token"].get<double>();
  p.completion_token_cost = model["output_cost_per_token"].get<double>();
  if (cost("cache_read_input_token_cost"))
    p.cache_read_input_token_cost = model["cache_read_input_token_cost"].get<double>();
  if (cost("cache_creation_input_token_cost"))
    p.cache_creation_input_token_cost = model["cache_creation_input_token_cost"].get<double>();
  if (model.contains("litellm_provider") && model["litellm_provider"].is_string())
    p.provider_id = model["litellm_provider"].get<std::string>();
  return p;
}

// Whether a stored price already says what p says, from p's date or before.
bool SamePrice(const Price& s, const Price& p) {
  return s.llm_id == p.llm_id && s.provider_id == p.provider_id &&
         s.prompt_token_cost == p.prompt_token_cost &&
         s.completion_token_cost == p.completion_token_cost &&
         s.cache_read_input_token_cost == p.cache_read_input_token_cost &&
         s.cache_creation_input_token_cost == p.cache_creation_input_token_cost &&
         s.effective_date <= p.effective_date;
}

}  // namespace

Result<Json> CostImport(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  const Json* given = f.OptDict("prices");
  const Json* effective = f.OptAny("effective_date");
  Micros now = NowMicros();
  Micros since = effective && !effective->is_null() ? f.Time("effective_date") : now;
  std::string user = UserOf(f.OptStr("wb_user_id"), ctx);
  if (f.ok() && !given && !ctx.input) f.Fail("prices", "field required");
  WEFT_TRY(f.Finish());
  Json file;
  if (!given) {
    WEFT_ASSIGN(std::string text, ReadInput(ctx, kMaxImportBytes, "prices"));
    WEFT_ASSIGN(file, ParseJson(text, "prices"));
    if (!file.is_object())
      return Invalid("prices: a LiteLLM price file is a JSON object of models");
    given = &file;
  }
  std::vector<Price> stored;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(stored, ProjectPrices(txn, project));
    return Status::OK();
  }));
  std::vector<Price> prices;
  int64_t skipped = 0, unchanged = 0;
  for (const auto& item : given->items()) {
    std::optional<Price> p = LiteLlmPrice(item.key(), item.value());
    if (!p) {
      ++skipped;
      continue;
    }
    p->pricing_level_id = project;
    p->effective_date = since;
    p->created_by = user;
    p->created_at = now;
    if (std::any_of(stored.begin(), stored.end(), [&](const Price& s) { return SamePrice(s, *p); }))
      ++unchanged;
    else
      prices.push_back(std::move(*p));
  }
  WEFT_TRY(ctx.store->Write([&](Txn& txn) { return PutPrices(txn, project, prices); }));
  return Json{{"created", prices.size()}, {"unchanged", unchanged}, {"skipped", skipped}};
}

}  // namespace weft
