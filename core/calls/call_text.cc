// Calls as JSON text without a JSON tree for their big columns.
#include "core/calls/call_text.h"

#include "core/refs.h"
#include "core/transfer/ref_map.h"

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
  void OptStr(const char* key, const std::optional<std::string>& s) { s ? Str(key, *s) : Raw(key, "null"); }
  void OptTime(const char* key, const std::optional<Micros>& t) { t ? Str(key, FormatTime(*t)) : Raw(key, "null"); }

 private:
  void Key(const char* key) {
    if (out_.back() != '{') out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string& out_;
};

// A stored JSON column for another server: refs rewritten when it may hold one.
std::string Column(const std::string& text, const char* empty, const RefMap& map) {
  if (text.empty()) return empty;
  if (!MayHoldRef(text)) return text;
  auto parsed = ParseJson(text, "stored call");
  return parsed.ok() ? CompactDumps(map.RewriteAll(std::move(*parsed))) : text;
}

}  // namespace

void AppendCallSchemaText(std::string& out, const CallRecord& c, const std::string& project) {
  auto stored = [](const std::string& text, std::string_view empty) {
    return text.empty() ? std::string(empty) : CanonicalText(text);  // as written, when it is canonical already
  };
  Json summary = nullptr;
  if (!c.summary.empty())
    if (auto parsed = ParseJson(c.summary, "stored call"); parsed.ok()) summary = std::move(*parsed);
  bool named = c.display_name && !c.display_name->empty();
  ObjectText o(out);  // keys in sorted order, as CompactDumps writes them
  o.Raw("attributes", stored(c.attributes, "{}"));
  o.Raw("deleted_at", "null");
  o.OptStr("display_name", named ? c.display_name : std::nullopt);
  o.OptTime("ended_at", c.ended_at);
  o.OptStr("exception", c.exception);
  o.Str("id", c.id);
  o.Raw("inputs", stored(c.inputs, "{}"));
  o.Str("op_name", c.op_name);
  o.Raw("output", stored(c.output, "null"));
  o.OptStr("parent_id", c.parent_id);
  o.Str("project_id", project);
  o.OptTime("started_at", c.started_at);
  o.Raw("summary", CompactDumps(DerivedSummary(c, summary)));
  o.Str("trace_id", c.trace_id);
  o.OptStr("wb_run_id", c.wb_run_id);
  o.OptStr("wb_user_id", c.wb_user_id);
}

std::string StartItemText(const CallRecord& c, const RefMap& map) {
  std::string out = "{\"mode\":\"start\",\"req\":{\"start\":";
  {
    ObjectText o(out);
    o.Str("project_id", map.to());
    o.Str("id", c.id);
    o.Str("op_name", map.Rewrite(c.op_name));
    o.Str("trace_id", c.trace_id);
    if (c.parent_id) o.Str("parent_id", *c.parent_id);
    o.OptTime("started_at", c.started_at);
    o.Raw("attributes", Column(c.attributes, "{}", map));
    o.Raw("inputs", Column(c.inputs, "{}", map));
    if (c.display_name) o.Str("display_name", *c.display_name);
    if (c.wb_user_id) o.Str("wb_user_id", *c.wb_user_id);
    if (c.wb_run_id) o.Str("wb_run_id", *c.wb_run_id);
  }
  return out += "}}";
}

std::string EndItemText(const CallRecord& c, const RefMap& map) {
  std::string out = "{\"mode\":\"end\",\"req\":{\"end\":";
  {
    ObjectText o(out);
    o.Str("project_id", map.to());
    o.Str("id", c.id);
    o.OptTime("ended_at", c.ended_at);
    if (c.exception) o.Str("exception", *c.exception);
    o.Raw("output", Column(c.output, "null", map));
    o.Raw("summary", Column(c.summary, "{}", map));
  }
  return out += "}}";
}

}  // namespace weft
