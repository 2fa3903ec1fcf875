// Calls as JSON text without a JSON tree for their big columns.
#include "core/calls/call_text.h"

#include <algorithm>

#include "base/json_cursor.h"
#include "core/api/ref_map.h"
#include "core/api/refs.h"

namespace weft {
namespace {

// Writes the fields of one JSON object in the order they are added.
class ObjectText {
 public:
  explicit ObjectText(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectText() { out_ += '}'; }
  // A field whose value is JSON text already.
  void Raw(const char* key, std::string_view json) {
    Key(key);
    out_ += json;
  }
  void Str(const char* key, const std::string& s) {
    Key(key);
    AppendJsonString(out_, s);
  }
  void OptStr(const char* key, const std::optional<std::string>& s) {
    s ? Str(key, *s) : Raw(key, "null");
  }
  void OptTime(const char* key, const std::optional<Micros>& t) {
    t ? Str(key, FormatTime(*t)) : Raw(key, "null");
  }

  // Starts a field: its value is appended to what this answers.
  std::string& Key(const char* key) {
    if (out_.back() != '{') out_ += ',';
    out_ += '"';
    out_ += key;
    return out_ += "\":";
  }

 private:
  std::string& out_;
};

// A stored JSON column for another server: refs rewritten when it may hold one.
std::string Column(const std::string& text, const char* empty, const RefMap& map) {
  if (text.empty()) return empty;
  if (!MayHoldRef(text)) return text;
  auto parsed = ParseJson(text, "stored call");
  return parsed.ok() ? CompactDumps(map.RewriteAll(std::move(*parsed))) : text;
}

// The shown fields and project_id, by name: the order CompactDumps writes keys in.
const std::vector<int>& SortedFields() {
  static const std::vector<int> kSorted = [] {
    std::vector<int> fields = {-1};  // -1: project_id
    for (int i = 0; i < CallField::kCount; ++i)
      if (kCallFields[i].shown() || kCallFields[i].kind == FieldKind::kDump) fields.push_back(i);
    auto name = [](int i) { return std::string_view(i < 0 ? "project_id" : kCallFields[i].name); };
    std::sort(fields.begin(), fields.end(), [&](int a, int b) { return name(a) < name(b); });
    return fields;
  }();
  return kSorted;
}

}  // namespace

namespace {

// A stored JSON text as CallSchema shows it: as written when it is canonical
// already (no copy); `empty` for a field never given.
void AppendStored(std::string& out, const std::string& text, std::string_view empty) {
  if (text.empty())
    out += empty;
  else
    AppendCanonical(out, text);
}

using Members = std::vector<std::pair<std::string_view, std::string_view>>;

// The members of a canonical JSON object (keys unescaped, in order), or
// nothing for anything else and for what the cursor declines.
std::optional<Members> MembersOf(std::string_view canonical) {
  Members out;
  JsonCursor in(canonical);
  std::string_view key, raw;
  if (!IsCompactDumps(canonical) || in.Peek() != '{' || !in.Object()) return std::nullopt;
  while (in.Member(key) && in.Raw(raw)) out.emplace_back(key, raw);
  return in.ok() ? std::optional(out) : std::nullopt;
}

// A call's summary as CallSchema shows it (DerivedSummary, as CompactDumps
// writes it): spliced into the stored text when that and its summary.weave
// are canonical objects the cursor reads, else through a JSON tree.
std::string SummaryText(const CallRecord& c, const std::string& stored) {
  auto top = stored.empty() ? std::optional(Members{}) : MembersOf(stored);
  auto at =
      top ? std::find_if(top->begin(), top->end(), [](const auto& m) { return m.first >= "weave"; })
          : Members::iterator();
  std::optional<Members> stored_weave = Members{};
  if (top && at != top->end() && at->first == "weave") stored_weave = MembersOf(at->second);
  if (!top || !stored_weave) {
    auto parsed = ParseJson(stored, "stored call");
    return CompactDumps(DerivedSummary(c, parsed.ok() ? *parsed : Json(nullptr)));
  }
  Members weave;
  for (const auto& m : *stored_weave)
    if (!IsDerivedKey(m.first)) weave.push_back(m);
  if (at != top->end() && at->first == "weave") at = top->erase(at);
  std::string status, latency, name;
  AppendJsonString(status, StatusOf(c));
  weave.emplace_back("status", status);
  if (auto ms = LatencyMs(c)) weave.emplace_back("latency_ms", latency = std::to_string(*ms));
  bool named = c.display_name && !c.display_name->empty();
  AppendJsonString(name, named ? *c.display_name : TraceName(c.op_name));
  weave.emplace_back(named ? "display_name" : "trace_name", name);
  std::sort(weave.begin(), weave.end());
  auto object = [](const Members& members) {
    std::string to = "{";
    for (const auto& [key, value] : members) AppendMember(to, key, value);
    return to += '}';
  };
  std::string inner = object(weave);
  top->insert(at, {"weave", inner});
  return object(*top);
}

// Writes each field of a stored call as CallSchema does, by its type.
struct SchemaFieldWriter {
  ObjectText& o;
  const CallRecord& c;
  bool with_dump;

  void operator()(const CallFieldInfo& f, const std::string& v) const {
    if (f.kind == FieldKind::kName) {
      o.Str(f.name, v);
    } else if (f.kind == FieldKind::kSummary) {
      o.Raw(f.name, SummaryText(c, v));
    } else if (f.kind != FieldKind::kDump) {
      AppendStored(o.Key(f.name), v, f.kind == FieldKind::kDict ? "{}" : "null");
    } else if (with_dump && !v.empty()) {
      AppendStored(o.Key(f.name), v, "null");
    }
  }
  void operator()(const CallFieldInfo& f, const std::optional<std::string>& v) const {
    bool removed = &f == &kCallFields[CallField::display_name] && v && v->empty();  // as CallSchema
    o.OptStr(f.name, removed ? std::nullopt : v);
  }
  void operator()(const CallFieldInfo& f, const std::optional<int64_t>& v) const {
    if (f.kind == FieldKind::kTime)
      o.OptTime(f.name, v);
    else
      o.Raw(f.name, v ? std::to_string(*v) : "null");
  }
  template <typename T>
  void operator()(const CallFieldInfo&, const T&) const {}  // refs: not CallSchema's
};

}  // namespace

void AppendCallSchemaText(std::string& out, const CallRecord& c, const std::string& project,
                          bool with_dump, const std::vector<std::string>* columns) {
  ObjectText o(out);  // keys in sorted order, as CompactDumps writes them
  SchemaFieldWriter write{o, c, with_dump};
  for (int i : SortedFields()) {
    const CallFieldInfo* f = i < 0 ? nullptr : &kCallFields[i];
    if (!f)
      o.Str("project_id", project);
    else if (f->shown() && !ColumnWanted(*f, columns))
      o.Raw(f->name, f->kind == FieldKind::kDict ? "{}" : "null");
    else
      VisitField(c, i, write);
  }
}

namespace {

// The fields of one part of a call as an upsert_batch item's model: given
// optional fields only, refs rewritten through map.
std::string PartText(const CallRecord& c, const RefMap& map, bool start) {
  std::string out =
      start ? "{\"mode\":\"start\",\"req\":{\"start\":" : "{\"mode\":\"end\",\"req\":{\"end\":";
  {
    ObjectText o(out);
    o.Str("project_id", map.to());
    ForEachField(c, [&](const CallFieldInfo& f, const auto& v) {
      if (!f.in(start)) return;
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, std::string>) {
        if (f.kind == FieldKind::kName)
          o.Str(f.name, f.flags & kRefName ? map.Rewrite(v) : v);
        else if (f.kind != FieldKind::kDump || !v.empty())
          o.Raw(f.name, Column(v, f.kind == FieldKind::kValue ? "null" : "{}", map));
      } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
        if (v) o.Str(f.name, *v);
      } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
        if (f.kind == FieldKind::kTime)
          o.OptTime(f.name, v);
        else if (v)
          o.Raw(f.name, std::to_string(*v));
      }
    });
  }
  return out += "}}";
}

}  // namespace

std::string StartItemText(const CallRecord& c, const RefMap& map) { return PartText(c, map, true); }
std::string EndItemText(const CallRecord& c, const RefMap& map) { return PartText(c, map, false); }

}  // namespace weft
