// evaluation_status (docs/semantics.md#evaluation-status): how far an
// Evaluation.evaluate call has come, from the call, its finished children
// and its dataset's row count, as Weave's methods/evaluation_status.py
// derives it.
#include "core/api/refs.h"
#include "core/fields.h"
#include "core/methods.h"

namespace weft {
namespace {

// The row count of the dataset the evaluation object at `ref` names, or 0.
Result<int64_t> DatasetRows(const Json& eval_ref, const std::string& project, Context& ctx) {
  if (!eval_ref.is_string()) return int64_t{0};
  auto ref = ParseRef(eval_ref.get<std::string>());
  if (!ref.ok() || ref->kind != "object") return int64_t{0};
  auto read = [&](const Ref& r) {
    return ObjRead(Json{{"project_id", project}, {"object_id", r.name}, {"digest", r.version}},
                   ctx);
  };
  auto evaluation = read(*ref);
  if (!evaluation.ok() || !(*evaluation)["obj"]["val"].contains("dataset")) return int64_t{0};
  const Json& dataset_ref = (*evaluation)["obj"]["val"]["dataset"];
  auto dref = dataset_ref.is_string() ? ParseRef(dataset_ref.get<std::string>())
                                      : Result<Ref>(Invalid("no dataset"));
  if (!dref.ok() || dref->kind != "object") return int64_t{0};
  auto dataset = read(*dref);
  if (!dataset.ok() || !(*dataset)["obj"]["val"].contains("rows") ||
      !(*dataset)["obj"]["val"]["rows"].is_string())
    return int64_t{0};
  auto table = ParseRef((*dataset)["obj"]["val"]["rows"].get<std::string>());
  if (!table.ok() || table->kind != "table") return int64_t{0};
  WEFT_ASSIGN(Json stats,
              TableQueryStats(Json{{"project_id", project}, {"digest", table->name}}, ctx));
  return stats["count"].get<int64_t>();
}

}  // namespace

Result<Json> EvaluationStatus(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string id = f.Str("call_id");
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(Json read, CallRead(Json{{"project_id", project}, {"id", id}}, ctx));
  const Json& call = read["call"];
  auto status = [](Json s) { return Json{{"status", std::move(s)}}; };
  if (call.is_null()) return status({{"code", "not_found"}});
  if (call["op_name"].get<std::string>().find("Evaluation.evaluate") == std::string::npos)
    return Invalid("call_id: call " + id + " is not an evaluation (Evaluation.evaluate)");
  if (!call["exception"].is_null()) return status({{"code", "failed"}, {"error", nullptr}});
  if (!call["ended_at"].is_null())
    return status({{"code", "complete"}, {"output", call["output"]}});
  Json finished = {
      {"$not", {{{"$eq", {{{"$getField", "summary.weave.status"}}, {{"$literal", "running"}}}}}}}};
  WEFT_ASSIGN(Json children, CallsQueryStats(Json{{"project_id", project},
                                                  {"filter", {{"parent_ids", {id}}}},
                                                  {"query", {{"$expr", finished}}}},
                                             ctx));
  int64_t completed = children["count"];
  auto total =
      DatasetRows(call["inputs"].value("self", Json()), project, ctx);  // as Weave: never an error
  return status({{"code", "running"},
                 {"completed_rows", completed},
                 {"total_rows", std::max(completed, total.ok() ? *total : 0)}});
}

}  // namespace weft
