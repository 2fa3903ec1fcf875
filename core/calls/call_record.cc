// A stored call's derived fields and its CallSchema JSON (call_record.h);
// its encoding is core/records/call.cc.
#include "core/calls/call_record.h"

#include <algorithm>
#include <cstring>

#include "base/bytes.h"
#include "core/api/refs.h"

namespace weft {
namespace {
void FindRefsInto(const Json& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (LooksLikeRef(s)) out.push_back(s);
  } else if (v.is_object() || v.is_array()) {
    for (const auto& item : v) FindRefsInto(item, out);
  }
}

Json OptionalTime(const std::optional<Micros>& t) {
  return t ? Json(FormatTime(*t)) : Json(nullptr);
}

}  // namespace

std::vector<std::string> FindRefs(const Json& v) {
  std::vector<std::string> out;
  FindRefsInto(v, out);
  return out;
}

const char* StatusOf(const CallRecord& c) {
  return c.exception ? "error" : (c.ended() ? "success" : "running");
}

std::optional<int64_t> LatencyMs(const CallRecord& c) {
  if (!c.ended() || !c.started()) return std::nullopt;
  Micros d = *c.ended_at - *c.started_at;
  return d >= 0 ? d / 1000 : -((-d + 999) / 1000);
}

std::string TraceNameOf(const CallRecord& c) {
  return c.display_name && !c.display_name->empty() ? *c.display_name : TraceName(c.op_name);
}

bool IsDerivedKey(std::string_view key) {
  return key == "status" || key == "trace_name" || key == "latency_ms" || key == "display_name";
}

void DropDerived(Json& summary) {
  if (!summary.is_object() || !summary.contains("weave") || !summary["weave"].is_object()) return;
  Json& weave = summary["weave"];
  for (auto it = weave.begin(); it != weave.end();)
    it = IsDerivedKey(it.key()) ? weave.erase(it) : std::next(it);
  if (weave.empty()) summary.erase("weave");
}

Json DerivedSummary(const CallRecord& c, const Json& stored) {
  Json summary = stored.is_object() ? stored : Json::object();
  DropDerived(summary);
  Json& weave = summary["weave"];
  if (!weave.is_object()) weave = Json::object();
  weave["status"] = StatusOf(c);
  if (auto ms = LatencyMs(c)) weave["latency_ms"] = *ms;
  if (c.display_name && !c.display_name->empty())
    weave["display_name"] = *c.display_name;
  else
    weave["trace_name"] = TraceName(c.op_name);
  return summary;
}

namespace {

// A field of CallSchema as JSON. A display name an update removed ("") reads as null.
Json FieldJson(const CallRecord& c, const CallFieldInfo& f) {
  auto json_or = [](const std::string& text, Json fallback) {
    if (text.empty()) return fallback;
    auto v = ParseJson(text, "stored call");
    return v.ok() ? std::move(*v) : fallback;  // moved: a value may be large
  };
  Json out;
  VisitField(c, static_cast<int>(&f - kCallFields), [&](const CallFieldInfo&, const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>) {
      if (f.kind == FieldKind::kName)
        out = v;
      else if (f.kind == FieldKind::kSummary)
        out = DerivedSummary(c, json_or(v, nullptr));
      else
        out = json_or(v, f.kind == FieldKind::kDict ? Json::object() : Json(nullptr));
    } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      bool removed = &f == &kCallFields[CallField::display_name] && v && v->empty();
      out = v && !removed ? Json(*v) : Json(nullptr);
    } else if constexpr (std::is_same_v<T, std::optional<Micros>>) {
      out = f.kind == FieldKind::kTime ? OptionalTime(v) : v ? Json(*v) : Json(nullptr);
    }
  });
  return out;
}

}  // namespace

bool ColumnWanted(const CallFieldInfo& f, const std::vector<std::string>* columns) {
  if (!columns || (f.flags & kAlwaysShown)) return true;
  size_t n = std::strlen(f.name);
  return std::any_of(columns->begin(), columns->end(), [&](const std::string& name) {
    return name.starts_with(f.name) && (name.size() == n || name[n] == '.');
  });
}

Json CallSchema(const CallRecord& c, const std::string& project_id,
                const std::vector<std::string>* columns) {
  Json out = {{"project_id", project_id}};
  for (const CallFieldInfo& f : kCallFields) {
    if (!f.shown()) continue;
    out[f.name] = ColumnWanted(f, columns)     ? FieldJson(c, f)
                  : f.kind == FieldKind::kDict ? Json::object()
                                               : Json(nullptr);
  }
  return out;
}

}  // namespace weft
