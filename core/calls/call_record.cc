// Call record encoding: a version byte, a presence bitmap, three times and
// length-prefixed strings, so a record decodes without parsing JSON.
#include "core/calls/call_record.h"

#include <algorithm>
#include <cstring>

#include "base/bytes.h"
#include "core/refs.h"

namespace weft {
namespace {

constexpr char kRecordVersion = 1;

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool ok() const { return ok_; }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) return Bad();
      unsigned char c = b_[pos_++];
      v |= static_cast<uint64_t>(c & 0x7F) << shift;
      if (!(c & 0x80)) return v;
    }
    return Bad();
  }
  std::string_view Str() {
    uint64_t n = Varint();
    if (!ok_ || n > b_.size() - pos_) return Bad(), std::string_view();
    std::string_view s = b_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint64_t Fixed64() {
    if (b_.size() - pos_ < 8) return Bad();
    uint64_t v = DecodeBE(b_.substr(pos_, 8));
    pos_ += 8;
    return v;
  }

 private:
  uint64_t Bad() {
    ok_ = false;
    pos_ = b_.size();
    return 0;
  }
  std::string_view b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void FindRefsInto(const Json& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (LooksLikeRef(s)) out.push_back(s);
  } else if (v.is_object() || v.is_array()) {
    for (const auto& item : v) FindRefsInto(item, out);
  }
}

std::string JoinRefs(const std::vector<std::string>& refs) {
  std::string out;
  for (const auto& r : refs) PutVarint(out, r.size()), out += r;
  return out;
}

std::vector<std::string> SplitRefs(std::string_view joined) {
  std::vector<std::string> refs;
  Reader r(joined);
  while (r.ok()) {
    std::string_view s = r.Str();
    if (r.ok()) refs.emplace_back(s);
  }
  return refs;
}

Json OptionalString(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }
Json OptionalTime(const std::optional<Micros>& t) { return t ? Json(FormatTime(*t)) : Json(nullptr); }

}  // namespace

std::string EncodeCall(const CallRecord& c) {
  const std::optional<std::string>* optionals[] = {&c.display_name, &c.parent_id, &c.exception,
                                                   &c.wb_user_id, &c.wb_run_id};
  const std::optional<Micros>* times[] = {&c.started_at, &c.ended_at, &c.deleted_at};
  unsigned presence = 0;
  for (int i = 0; i < 5; ++i) presence |= optionals[i]->has_value() << i;
  for (int i = 0; i < 3; ++i) presence |= times[i]->has_value() << (5 + i);
  std::string out;
  size_t room = 64 + c.id.size() + c.op_name.size() + c.trace_id.size() + c.attributes.size() + c.inputs.size() +
                c.output.size() + c.summary.size();
  for (const auto* o : optionals) room += o->has_value() ? (*o)->size() + 10 : 0;
  for (const auto* refs : {&c.input_refs, &c.output_refs})
    for (const auto& r : *refs) room += r.size() + 10;
  out.reserve(room);
  out += kRecordVersion;
  PutVarint(out, presence);
  for (const auto* t : times) AppendBE(out, static_cast<uint64_t>(t->value_or(0)), 8);
  for (const std::string* s : {&c.id, &c.op_name, &c.trace_id}) PutVarint(out, s->size()), out += *s;
  for (const auto* o : optionals)
    if (*o) PutVarint(out, (*o)->size()), out += **o;
  for (const std::string* s : {&c.attributes, &c.inputs, &c.output, &c.summary}) PutVarint(out, s->size()), out += *s;
  for (const auto* refs : {&c.input_refs, &c.output_refs}) {
    std::string joined = JoinRefs(*refs);
    PutVarint(out, joined.size());
    out += joined;
  }
  return out;
}

Result<CallView> ViewCall(std::string_view bytes) {
  if (bytes.empty() || bytes[0] != kRecordVersion) return StoreError("corrupt call record");
  Reader r(bytes.substr(1));
  CallView v;
  v.presence = r.Varint();
  for (Micros& t : v.times) t = static_cast<Micros>(r.Fixed64());
  for (int i = 0; i < CallView::kStrings; ++i) {
    bool optional = i >= CallView::kDisplayName && i <= CallView::kWbRunId;
    if (!optional || v.Has(i)) v.strings[i] = r.Str();
  }
  if (!r.ok()) return StoreError("corrupt call record");
  return v;
}

Result<CallRecord> DecodeCall(std::string_view bytes) {
  WEFT_ASSIGN(CallView v, ViewCall(bytes));
  CallRecord c;
  std::optional<std::string>* optionals[] = {&c.display_name, &c.parent_id, &c.exception,
                                             &c.wb_user_id, &c.wb_run_id};
  std::optional<Micros>* times[] = {&c.started_at, &c.ended_at, &c.deleted_at};
  for (int i = 0; i < 3; ++i)
    if (v.presence & (1u << (5 + i))) *times[i] = v.times[i];
  c.id = v.strings[CallView::kId];
  c.op_name = v.strings[CallView::kOpName];
  c.trace_id = v.strings[CallView::kTraceId];
  for (int i = 0; i < 5; ++i)
    if (v.Has(CallView::kDisplayName + i)) *optionals[i] = std::string(v.strings[CallView::kDisplayName + i]);
  c.attributes = v.strings[CallView::kAttributes];
  c.inputs = v.strings[CallView::kInputs];
  c.output = v.strings[CallView::kOutput];
  c.summary = v.strings[CallView::kSummary];
  c.input_refs = SplitRefs(v.strings[CallView::kInputRefs]);
  c.output_refs = SplitRefs(v.strings[CallView::kOutputRefs]);
  return c;
}

std::vector<std::string> FindRefs(const Json& v) {
  std::vector<std::string> out;
  FindRefsInto(v, out);
  return out;
}

std::string TraceName(const std::string& op_name) {
  if (!op_name.starts_with(kRefScheme)) return op_name;
  auto ref = ParseRef(op_name);
  return ref.ok() && !ref->name.empty() ? ref->name : op_name;
}

const char* StatusOf(const CallRecord& c) { return c.exception ? "error" : (c.ended() ? "success" : "running"); }

std::optional<int64_t> LatencyMs(const CallRecord& c) {
  if (!c.ended() || !c.started()) return std::nullopt;
  Micros d = *c.ended_at - *c.started_at;
  return d >= 0 ? d / 1000 : -((-d + 999) / 1000);
}

std::string TraceNameOf(const CallRecord& c) {
  return c.display_name && !c.display_name->empty() ? *c.display_name : TraceName(c.op_name);
}

Json DerivedSummary(const CallRecord& c, const Json& stored) {
  Json summary = stored.is_object() ? stored : Json::object();
  Json& weave = summary["weave"];
  if (!weave.is_object()) weave = Json::object();
  for (const char* derived : {"status", "trace_name", "latency_ms", "display_name"}) weave.erase(derived);
  weave["status"] = StatusOf(c);
  if (auto ms = LatencyMs(c)) weave["latency_ms"] = *ms;
  if (c.display_name && !c.display_name->empty())
    weave["display_name"] = *c.display_name;
  else
    weave["trace_name"] = TraceName(c.op_name);
  return summary;
}

Json CallSchema(const CallRecord& c, const std::string& project_id, const std::vector<std::string>* columns) {
  auto want = [&](const char* col) {
    if (!columns) return true;
    return std::any_of(columns->begin(), columns->end(), [&](const std::string& name) {
      return name == col || (name.starts_with(col) && name.size() > std::strlen(col) && name[std::strlen(col)] == '.');
    });
  };
  auto json_or = [](const std::string& text, Json fallback) {
    if (text.empty()) return fallback;
    auto v = ParseJson(text, "stored call");
    return v.ok() ? std::move(*v) : fallback;  // moved: a value may be large
  };
  Json out = {{"id", c.id}, {"project_id", project_id}, {"op_name", c.op_name}, {"trace_id", c.trace_id},
              {"started_at", OptionalTime(c.started_at)}};
  bool named = c.display_name && !c.display_name->empty();
  out["display_name"] = want("display_name") && named ? Json(*c.display_name) : Json(nullptr);
  out["parent_id"] = want("parent_id") ? OptionalString(c.parent_id) : Json(nullptr);
  out["attributes"] = want("attributes") ? json_or(c.attributes, Json::object()) : Json::object();
  out["inputs"] = want("inputs") ? json_or(c.inputs, Json::object()) : Json::object();
  out["ended_at"] = want("ended_at") ? OptionalTime(c.ended_at) : Json(nullptr);
  out["exception"] = want("exception") ? OptionalString(c.exception) : Json(nullptr);
  out["output"] = want("output") ? json_or(c.output, nullptr) : Json(nullptr);
  out["summary"] = want("summary") ? DerivedSummary(c, json_or(c.summary, nullptr)) : Json(nullptr);
  out["wb_user_id"] = want("wb_user_id") ? OptionalString(c.wb_user_id) : Json(nullptr);
  out["wb_run_id"] = want("wb_run_id") ? OptionalString(c.wb_run_id) : Json(nullptr);
  out["deleted_at"] = nullptr;
  return out;
}

}  // namespace weft
