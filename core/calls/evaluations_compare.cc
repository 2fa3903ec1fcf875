// evaluations_compare, weft's own (docs/command-line.md#eval-compare):
// evaluations of one dataset row by row, as Weave's SDK records them
// (Evaluation.evaluate and its predict_and_score children). A row is a
// dataset row: the predict_and_score calls of the evaluations line up by
// the row they scored (its ref, or its value when the SDK sent the row
// itself); a scorer's answer becomes metrics, a number or a boolean each
// ("correct", "similarity.score"), dotted below the scorer's name. Each
// metric's mean per evaluation, and whether a later one fell below the
// first's; each row's output and scores in every evaluation, regressions
// first.
#include <cmath>
#include <map>
#include <set>

#include "core/api/refs.h"
#include "core/calls/calls.h"
#include "core/fields.h"
#include "core/methods.h"

namespace weft {
namespace {

// A score as a number: booleans count 1 and 0; nullopt for anything else.
std::optional<double> Number(const Json& v) {
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

// A scorer's answer as metrics: "name" for a score, "name.key..." inside objects.
void Metrics(const std::string& name, const Json& v, Json& out) {
  if (auto n = Number(v)) out[name] = *n;
  if (!v.is_object()) return;
  for (const auto& [key, inner] : v.items()) Metrics(name + "." + key, inner, out);
}

// The row a predict_and_score call scored: its ref's last part, or its value.
std::string RowKey(const Json& inputs) {
  const Json& example =
      inputs.contains("example") ? inputs["example"] : inputs.value("row", Json());
  if (example.is_string() && LooksLikeRef(example.get<std::string>())) {
    std::string ref = example;
    return ref.substr(ref.rfind('/') + 1);
  }
  return CompactDumps(example);
}

// What an evaluation is called: its display name, else its model's name,
// else its id.
std::string EvaluationName(const Json& call) {
  if (call["display_name"].is_string()) return call["display_name"];
  const Json& inputs = call["inputs"];
  if (inputs.is_object() && inputs.contains("model") && inputs["model"].is_string())
    if (auto ref = ParseRef(inputs["model"].get<std::string>()); ref.ok()) return ref->name;
  return call["id"];
}

// One evaluation as Compare reads it: its rows, each with the row it
// scored, the model's output, the scores as metrics, and whether it failed.
Result<Json> ReadEvaluation(Context& ctx, const std::string& project, const std::string& id) {
  WEFT_ASSIGN(Json found, QueryCalls(ctx, project, {{"filter", {{"call_ids", {id}}}}}));
  if (found.empty()) return NotFound("no call " + id + " in project " + project);
  const Json& call = found[0];
  if (TraceName(call["op_name"]).find("Evaluation.evaluate") == std::string::npos)
    return Invalid("call " + id + " is not an evaluation (Evaluation.evaluate)");
  std::string name = EvaluationName(call);
  WEFT_ASSIGN(Json children,
              QueryCalls(ctx, project,
                         {{"filter", {{"parent_ids", {id}}}},
                          {"sort_by", {{{"field", "started_at"}, {"direction", "asc"}}}}}));
  Json rows = Json::array();
  for (const Json& c : children) {
    if (TraceName(c["op_name"]).find("predict_and_score") == std::string::npos) continue;
    const Json& inputs = c["inputs"].is_object() ? c["inputs"] : Json::object();
    Json scores = Json::object();
    const Json& out = c["output"].is_object() ? c["output"] : Json::object();
    if (out.contains("scores") && out["scores"].is_object())
      for (const auto& [scorer, v] : out["scores"].items()) Metrics(scorer, v, scores);
    rows.push_back(
        {{"key", RowKey(inputs)},
         {"example", inputs.contains("example") ? inputs["example"] : inputs.value("row", Json())},
         {"output", out.value("output", Json())},
         {"scores", scores},
         {"failed", !c["exception"].is_null()},
         {"call_id", c["id"]}});
  }
  return Json{{"id", id}, {"name", name}, {"summary", call["output"]}, {"rows", rows}};
}

double Mean(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return xs.empty() ? NAN : sum / xs.size();
}

Json OrNull(double x) { return std::isnan(x) ? Json(nullptr) : Json(x); }

// A metric's mean in each evaluation, and whether a later one is lower than
// the baseline's.
Json MetricMeans(const std::string& metric, const std::vector<Json>& evaluations) {
  Json means = Json::array();
  for (const Json& e : evaluations) {
    std::vector<double> xs;
    for (const Json& row : e["rows"])
      if (row["scores"].contains(metric)) xs.push_back(row["scores"][metric]);
    means.push_back(OrNull(Mean(xs)));
  }
  bool worse = false;
  for (size_t i = 1; i < means.size(); ++i)
    worse |=
        means[0].is_number() && means[i].is_number() && means[i] < means[0].get<double>() - 1e-9;
  return {{"means", means}, {"regressed", worse}};
}

// One dataset row across the evaluations (slots: its row in each, or null).
Json CompareRow(const std::string& key, const std::vector<const Json*>& slots,
                const std::set<std::string>& metrics) {
  Json row = {{"key", key},
              {"example", nullptr},
              {"outputs", Json::array()},
              {"call_ids", Json::array()},
              {"scores", Json::object()},
              {"failed", Json::array()},
              {"regressed", Json::array()},
              {"improved", Json::array()}};
  for (const Json* r : slots) {
    if (r && row["example"].is_null()) row["example"] = (*r)["example"];
    row["outputs"].push_back(r ? (*r)["output"] : Json(nullptr));
    row["call_ids"].push_back(r ? (*r)["call_id"] : Json(nullptr));
    row["failed"].push_back(r ? (*r)["failed"] : Json(nullptr));
  }
  for (const std::string& metric : metrics) {
    Json values = Json::array();
    for (const Json* r : slots)
      values.push_back(r && (*r)["scores"].contains(metric) ? (*r)["scores"][metric] : Json());
    bool down = false, up = false;
    for (size_t i = 1; i < values.size(); ++i)
      if (values[0].is_number() && values[i].is_number()) {
        down |= values[i] < values[0];
        up |= values[i] > values[0];
      }
    if (down) row["regressed"].push_back(metric);
    if (up && !down) row["improved"].push_back(metric);
    row["scores"][metric] = values;
  }
  return row;
}

Json Compare(const std::vector<Json>& evaluations) {
  std::map<std::string, std::vector<const Json*>> by_key;  // row key -> its row in each evaluation
  std::vector<std::string> order;                          // the keys, baseline's order first
  std::set<std::string> metrics;
  for (size_t e = 0; e < evaluations.size(); ++e)
    for (const Json& row : evaluations[e]["rows"]) {
      auto& slots = by_key[row["key"]];
      if (slots.empty()) order.push_back(row["key"]), slots.resize(evaluations.size(), nullptr);
      slots[e] = &row;
      for (const auto& [metric, v] : row["scores"].items()) metrics.insert(metric);
    }
  Json out = {{"evaluations", Json::array()}, {"metrics", Json::object()}, {"rows", Json::array()}};
  bool regressed = false;
  for (const std::string& metric : metrics) {
    out["metrics"][metric] = MetricMeans(metric, evaluations);
    regressed |= out["metrics"][metric]["regressed"].get<bool>();
  }
  std::vector<Json> rows;
  for (const std::string& key : order) rows.push_back(CompareRow(key, by_key[key], metrics));
  std::stable_sort(rows.begin(), rows.end(), [](const Json& a, const Json& b) {
    return a["regressed"].size() > b["regressed"].size();
  });
  for (Json& row : rows) out["rows"].push_back(std::move(row));
  for (const Json& e : evaluations)
    out["evaluations"].push_back({{"id", e["id"]},
                                  {"name", e["name"]},
                                  {"summary", e["summary"]},
                                  {"rows", e["rows"].size()}});
  out["regressed"] = regressed;
  return out;
}

}  // namespace

Result<Json> EvaluationsCompare(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::vector<std::string> ids = f.StrList("evaluation_call_ids");
  if (f.ok() && ids.empty()) f.Fail("evaluation_call_ids", "name at least one evaluation");
  WEFT_TRY(f.Finish());
  std::vector<Json> evaluations;
  for (const std::string& id : ids) {
    WEFT_ASSIGN(Json e, ReadEvaluation(ctx, project, id));
    evaluations.push_back(std::move(e));
  }
  return Compare(evaluations);
}

}  // namespace weft
