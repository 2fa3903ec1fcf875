// Call fields for the query language.
#include "core/calls/call_row.h"

namespace weft {
namespace {

bool IsDerived(const std::string& name) {
  return name == "status" || name == "latency_ms" || name == "trace_name";
}

class CallSchemaFields : public Schema {
 public:
  bool Resolve(const std::string& name, FieldRef& out) const override {
    std::vector<std::string> path = SplitPath(name);
    int column = path[0] == "project_id" ? kProjectColumn : FindCallField(path[0]);
    if (column < 0 || (column < kProjectColumn && !kCallFields[column].shown())) return false;
    bool json = column < kProjectColumn && kCallFields[column].json();
    if (!json && path.size() > 1) return false;
    for (const auto& p : path)
      if (p.empty()) return false;
    if (column == CallField::summary && path.size() > 1 && path[1] == "weave" &&
        (path.size() != 3 || !IsDerived(path[2])))
      return false;  // only the derived summary.weave fields can be asked for
    out.column = column;
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
  if (f.column == kProjectColumn) return Value::Text(*project_);
  const CallFieldInfo& info = kCallFields[f.column];
  if (!info.json()) {
    Value out = Value::Null();
    VisitField(c_, f.column, [&](const CallFieldInfo&, const auto& v) {
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, std::string>) {
        out = Value::Text(v);
      } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
        if (v) out = Value::Text(*v);  // a display name is "" after an update that removed it
      } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
        if (v)
          out = info.kind == FieldKind::kTime
                    ? Value::Time(*v)
                    : Value::Number(static_cast<double>(*v), std::to_string(*v));
      }
    });
    return out;
  }
  if (f.column == CallField::summary && f.path.size() == 2 && f.path[0] == "weave")
    return Derived(f.path[1]);
  if ((f.column == CallField::output || f.column == CallField::summary) && !c_.ended())
    return Value::Null();
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
  if (!parsed_[column]) {
    VisitField(c_, column, [&](const CallFieldInfo& f, const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
        auto parsed = v.empty() ? Result<Json>(Json(nullptr)) : ParseJson(v, "stored call");
        json_[column] = parsed.ok() ? std::move(*parsed) : Json(nullptr);
        if (f.kind == FieldKind::kSummary) json_[column] = DerivedSummary(c_, json_[column]);
      }
    });
    parsed_[column] = true;
  }
  return json_[column];
}

Status CallRow::ExpandRefs(const std::vector<std::string>& paths, RefExpander& expander) {
  for (const std::string& dotted : paths) {
    std::vector<std::string> path = SplitPath(dotted);
    int column = FindCallField(path[0]);
    if (column < 0 || !kCallFields[column].json() || path.size() < 2) continue;
    Column(column);  // parsed before it is changed
    WEFT_TRY(expander.Expand(json_[column], path, 1));
  }
  return Status::OK();
}

}  // namespace weft
