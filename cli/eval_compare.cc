// Comparing evaluations row by row (eval_compare.h). A row is a dataset row:
// the predict_and_score calls of two evaluations line up by the row they
// scored (its ref, or its value when the SDK sent the row itself); a scorer's
// answer becomes metrics, a number or a boolean each ("correct",
// "similarity.score"), dotted below the scorer's name.
#include "cli/eval_compare.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "cli/tree.h"
#include "cli/view.h"
#include "core/api/refs.h"

namespace weft::cli {
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

// One evaluation as CompareEvaluations reads it.
Result<Json> ReadEvaluation(Session& s, const std::string& id) {
  WEFT_ASSIGN(Json found, QueryCalls(s, {{"filter", {{"call_ids", {id}}}}}));
  if (found["calls"].empty()) return NotFound("no call " + id + " in project " + s.project());
  const Json& call = found["calls"][0];
  if (TraceName(call["op_name"]).find("Evaluation.evaluate") == std::string::npos)
    return Invalid("call " + id + " is not an evaluation (Evaluation.evaluate)");
  std::string name = EvaluationName(call);
  WEFT_ASSIGN(Json children,
              QueryCalls(s, {{"filter", {{"parent_ids", {id}}}},
                             {"sort_by", {{{"field", "started_at"}, {"direction", "asc"}}}}}));
  Json rows = Json::array();
  for (const Json& c : children["calls"]) {
    if (TraceName(c["op_name"]).find("predict_and_score") == std::string::npos) continue;
    const Json& inputs = c["inputs"].is_object() ? c["inputs"] : Json::object();
    Json scores = Json::object();
    if (c["output"].is_object() && c["output"].contains("scores"))
      for (const auto& [scorer, v] : c["output"]["scores"].items()) Metrics(scorer, v, scores);
    rows.push_back(
        {{"key", RowKey(inputs)},
         {"example", inputs.contains("example") ? inputs["example"] : inputs.value("row", Json())},
         {"scores", scores},
         {"failed", !c["exception"].is_null()}});
  }
  return Json{{"id", id}, {"name", name}, {"rows", rows}};
}

double Mean(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return xs.empty() ? NAN : sum / xs.size();
}

Json OrNull(double x) { return std::isnan(x) ? Json(nullptr) : Json(x); }

// The text report: the evaluations, each metric's means, the changed rows.
void PrintReport(const Json& r, bool color) {
  const Json& evals = r["evaluations"];
  for (size_t i = 0; i < evals.size(); ++i)
    std::printf("%c  %s  %s  %zu rows\n", static_cast<char>('A' + std::min<size_t>(i, 25)),
                evals[i]["id"].get<std::string>().c_str(),
                evals[i]["name"].get<std::string>().c_str(), evals[i]["rows"].get<size_t>());
  auto num = [](const Json& v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v.is_number() ? v.get<double>() : NAN);
    return v.is_number() ? std::string(buf) : std::string("-");
  };
  for (const auto& [metric, m] : r["metrics"].items()) {
    std::string line = "  " + metric + "  ";
    for (size_t i = 0; i < m["means"].size(); ++i)
      line += (i ? " \u2192 " : "") + num(m["means"][i]);
    std::printf("%s\n",
                (m["regressed"].get<bool>() ? Paint(color, "31", line + "  worse") : line).c_str());
  }
  size_t unchanged = 0;
  for (const Json& row : r["rows"]) {
    if (row["regressed"].empty() && row["improved"].empty()) {
      ++unchanged;
      continue;
    }
    std::string line =
        row["regressed"].empty() ? Paint(color, "32", "+ ") : Paint(color, "31", "- ");
    const Json& example = row["example"];
    bool ref = example.is_string() && LooksLikeRef(example.get<std::string>());
    line += ref ? "row " + row["key"].get<std::string>() : Preview(example, 40);
    for (const auto& [metric, values] : row["scores"].items()) {
      std::string change;
      for (size_t i = 0; i < values.size(); ++i) change += (i ? "\u2192" : "") + num(values[i]);
      line += "  " + metric + " " + change;
    }
    std::printf("%s\n", line.c_str());
  }
  std::printf("%s\n", Paint(color, "2", std::to_string(unchanged) + " rows unchanged").c_str());
}

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
              {"scores", Json::object()},
              {"failed", Json::array()},
              {"regressed", Json::array()},
              {"improved", Json::array()}};
  for (const Json* r : slots) {
    if (r && row["example"].is_null()) row["example"] = (*r)["example"];
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

}  // namespace

Json CompareEvaluations(const std::vector<Json>& evaluations) {
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
    out["evaluations"].push_back(
        {{"id", e["id"]}, {"name", e["name"]}, {"rows", e["rows"].size()}});
  out["regressed"] = regressed;
  return out;
}

void SetupEvalCompare(CLI::App* cmd, EvalCompareOptions& o) {
  cmd->add_option("evaluations", o.ids, "Evaluation.evaluate call ids, the baseline first")
      ->required()
      ->expected(2, -1);
  cmd->add_flag("--fail-on-regression", o.fail_on_regression,
                "exit 1 when a scorer's mean is lower than the first evaluation's");
  cmd->fallthrough();
  cmd->footer(
      "Rows line up by the dataset row they scored; --format json prints the whole comparison.\n"
      "Example:\n  weft eval compare \"$BASELINE_EVAL\" \"$NEW_EVAL\" --fail-on-regression");
}

int RunEvalCompare(const EvalCompareOptions& o, const Globals& globals) {
  Session s(globals);
  if (Status st = s.UseOnlyProject(); !st.ok()) return Fail(st.error());
  std::vector<Json> evaluations;
  for (const std::string& id : o.ids) {
    auto e = ReadEvaluation(s, id);
    if (!e.ok()) return Fail(e.error());
    evaluations.push_back(std::move(*e));
  }
  Json report = CompareEvaluations(evaluations);
  if (globals.format == "json" && globals.format_given)
    std::printf("%s\n", globals.pretty ? report.dump(2).c_str() : CompactDumps(report).c_str());
  else
    PrintReport(report, UseColor(globals.color));
  if (std::fflush(stdout) != 0) return Fail(1, "cannot write to standard output");
  if (!o.fail_on_regression || !report["regressed"].get<bool>()) return 0;
  std::string worse;
  for (const auto& [metric, m] : report["metrics"].items())
    if (m["regressed"].get<bool>()) worse += (worse.empty() ? "" : ", ") + metric;
  return Fail(1, "the evaluation regressed: " + worse + " lower than the baseline's");
}

}  // namespace weft::cli
