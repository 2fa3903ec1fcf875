// Call fields for the query language.
#include "core/calls/call_row.h"

#include <map>

namespace weft {
namespace {

bool IsDerived(const std::string& name) { return name == "status" || name == "latency_ms" || name == "trace_name"; }

class CallSchemaFields : public Schema {
 public:
  bool Resolve(const std::string& name, FieldRef& out) const override {
    static const std::map<std::string, int> kColumns = {
        {"id", CallColumn::kId}, {"project_id", CallColumn::kProjectId}, {"trace_id", CallColumn::kTraceId}, {"parent_id", CallColumn::kParentId},
        {"op_name", CallColumn::kOpName}, {"display_name", CallColumn::kDisplayName}, {"started_at", CallColumn::kStartedAt},
        {"ended_at", CallColumn::kEndedAt}, {"exception", CallColumn::kException}, {"wb_user_id", CallColumn::kWbUserId},
        {"wb_run_id", CallColumn::kWbRunId}, {"deleted_at", CallColumn::kDeletedAt}, {"inputs", CallColumn::kInputs},
        {"output", CallColumn::kOutput}, {"attributes", CallColumn::kAttributes}, {"summary", CallColumn::kSummary}};
    std::vector<std::string> path = SplitPath(name);
    auto it = kColumns.find(path[0]);
    if (it == kColumns.end()) return false;
    bool json = it->second >= CallColumn::kInputs;
    if (!json && path.size() > 1) return false;
    for (const auto& p : path)
      if (p.empty()) return false;
    if (it->second == CallColumn::kSummary && path.size() > 1 && path[1] == "weave" &&
        (path.size() != 3 || !IsDerived(path[2])))
      return false;  // only the derived summary.weave fields can be asked for
    out.column = it->second;
    out.json = json;
    out.path.assign(path.begin() + 1, path.end());
    out.name = name;
    return true;
  }
};

}  // namespace

const Schema& CallFields() {
  static const CallSchemaFields kFields;
  return kFields;
}

Value CallRow::Get(const FieldRef& f) const {
  auto str = [](const std::optional<std::string>& s) { return s ? Value::Text(*s) : Value::Null(); };
  auto time = [](const std::optional<Micros>& t) { return t ? Value::Time(*t) : Value::Null(); };
  switch (f.column) {
    case CallColumn::kId: return Value::Text(c_.id);
    case CallColumn::kProjectId: return Value::Text(*project_);
    case CallColumn::kTraceId: return Value::Text(c_.trace_id);
    case CallColumn::kParentId: return str(c_.parent_id);
    case CallColumn::kOpName: return Value::Text(c_.op_name);
    case CallColumn::kDisplayName: return str(c_.display_name);  // "" after an update that removed it
    case CallColumn::kStartedAt: return time(c_.started_at);
    case CallColumn::kEndedAt: return time(c_.ended_at);
    case CallColumn::kException: return str(c_.exception);
    case CallColumn::kWbUserId: return str(c_.wb_user_id);
    case CallColumn::kWbRunId: return str(c_.wb_run_id);
    case CallColumn::kDeletedAt: return time(c_.deleted_at);
    default: break;
  }
  if (f.column == CallColumn::kSummary && f.path.size() == 2 && f.path[0] == "weave") return Derived(f.path[1]);
  if ((f.column == CallColumn::kOutput || f.column == CallColumn::kSummary) && !c_.ended()) return Value::Null();
  return Value::FromJsonPath(FollowPath(Column(f.column), f.path));
}

Value CallRow::Derived(const std::string& name) const {
  if (name == "status") return Value::Text(StatusOf(c_));
  if (name == "latency_ms") {
    auto ms = LatencyMs(c_);
    return ms ? Value::Number(static_cast<double>(*ms), std::to_string(*ms)) : Value::Null();
  }
  return Value::Text(TraceNameOf(c_));
}

const Json& CallRow::Column(int column) const {
  int slot = column - CallColumn::kInputs;
  if (!parsed_[slot]) {
    const std::string* text[] = {&c_.inputs, &c_.output, &c_.attributes, &c_.summary};
    auto v = text[slot]->empty() ? Result<Json>(Json(nullptr)) : ParseJson(*text[slot], "stored call");
    json_[slot] = v.ok() ? *v : Json(nullptr);
    if (column == CallColumn::kSummary) json_[slot] = DerivedSummary(c_, json_[slot]);
    parsed_[slot] = true;
  }
  return json_[slot];
}

}  // namespace weft
