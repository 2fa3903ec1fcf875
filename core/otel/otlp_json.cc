// OTLP JSON (the OTLP/HTTP JSON encoding, and the lines the Collector's
// file exporter writes): camelCase names (proto field names accepted too),
// hex ids, 64-bit integers as strings or numbers, enums as integers or names.
#include <cmath>
#include <limits>

#include "base/percent.h"
#include "core/api/otlp.h"

namespace weft {
namespace {

constexpr int kMaxValueDepth = 64;

// Reads one OTLP JSON request, remembering the first problem with its path.
class Reader {
 public:
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // The member named camel (or snake, proto's own name) of an object, or nullptr.
  const Json* Member(const Json& obj, const char* camel, const char* snake, const std::string& at) {
    if (!obj.is_object()) return Fail(at, "expected an object"), nullptr;
    auto it = obj.find(camel);
    if (it == obj.end()) it = obj.find(snake);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }
  const Json& List(const Json& obj, const char* camel, const char* snake, const std::string& at) {
    static const Json kEmpty = Json::array();
    const Json* v = Member(obj, camel, snake, at);
    if (!v) return kEmpty;
    if (!v->is_array()) return Fail(at + "." + camel, "expected a list"), kEmpty;
    return *v;
  }
  std::string Str(const Json& obj, const char* camel, const char* snake, const std::string& at) {
    const Json* v = Member(obj, camel, snake, at);
    if (!v) return "";
    if (!v->is_string()) return Fail(at + "." + camel, "expected a string"), "";
    return v->get<std::string>();
  }
  std::string HexId(const Json& obj, const char* camel, const char* snake, const std::string& at) {
    std::string s = Str(obj, camel, snake, at);
    for (char& c : s) {
      if (HexValue(c) < 0) return Fail(at + "." + camel, "expected a hex id, got '" + s + "'"), "";
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (s.size() % 2) Fail(at + "." + camel, "a hex id has an odd number of digits");
    return s;
  }
  // An integer field: a number or a decimal string (proto3 JSON for 64-bit).
  uint64_t Uint(const Json& obj, const char* camel, const char* snake, const std::string& at) {
    const Json* v = Member(obj, camel, snake, at);
    if (!v) return 0;
    if (v->is_number_unsigned()) return v->get<uint64_t>();
    if (v->is_number_integer() && v->get<int64_t>() >= 0)
      return static_cast<uint64_t>(v->get<int64_t>());
    if (v->is_string()) {
      const std::string& s = v->get_ref<const std::string&>();
      uint64_t n = 0;
      bool digits = !s.empty() && s.size() <= 20;
      for (char c : s) digits &= c >= '0' && c <= '9', n = n * 10 + static_cast<uint64_t>(c - '0');
      if (digits) return n;
    }
    return Fail(at + "." + camel, "expected a non-negative integer"), 0;
  }
  // An enum: its number, or its name's position in names.
  int Enum(const Json& obj, const char* camel, const std::string& at,
           std::initializer_list<const char*> names) {
    const Json* v = Member(obj, camel, camel, at);
    if (!v) return 0;
    if (v->is_number_integer()) return v->get<int>();
    int i = 0;
    if (v->is_string())
      for (const char* name : names) {
        if (*v == name) return i;
        ++i;
      }
    return Fail(at + "." + camel, "expected an enum number"), 0;
  }

  Json Value(const Json& v, const std::string& at, int depth) {
    if (depth > kMaxValueDepth) return Fail(at, "attribute values nest too deep"), Json(nullptr);
    if (!v.is_object()) return Fail(at, "expected an AnyValue object"), Json(nullptr);
    if (const Json* s = Member(v, "stringValue", "string_value", at)) {
      if (!s->is_string()) Fail(at + ".stringValue", "expected a string");
      return *s;
    }
    if (const Json* b = Member(v, "boolValue", "bool_value", at)) {
      if (!b->is_boolean()) Fail(at + ".boolValue", "expected true or false");
      return *b;
    }
    if (Member(v, "intValue", "int_value", at)) {
      const Json* i = Member(v, "intValue", "int_value", at);
      if (i->is_number_integer()) return *i;
      if (i->is_string()) {
        auto parsed = ParseJson(i->get_ref<const std::string&>(), "intValue");
        if (parsed.ok() && parsed->is_number_integer()) return *parsed;
      }
      return Fail(at + ".intValue", "expected an integer"), Json(nullptr);
    }
    if (const Json* d = Member(v, "doubleValue", "double_value", at)) {
      if (d->is_number()) return d->get<double>();
      // proto3 JSON's spellings; Weave's to_json_serializable turns them into these strings.
      if (*d == "NaN") return "nan";
      if (*d == "Infinity") return "inf";
      if (*d == "-Infinity") return "-inf";
      return Fail(at + ".doubleValue", "expected a number"), Json(nullptr);
    }
    if (const Json* a = Member(v, "arrayValue", "array_value", at)) {
      Json out = Json::array();
      const Json& values = List(*a, "values", "values", at + ".arrayValue");
      for (size_t i = 0; i < values.size() && ok(); ++i)
        out.push_back(Value(values[i], at + ".arrayValue.values." + std::to_string(i), depth + 1));
      return out;
    }
    if (const Json* kv = Member(v, "kvlistValue", "kvlist_value", at)) {
      Json out = Json::object();
      for (auto& [k, val] : Attributes(*kv, "values", at + ".kvlistValue", depth + 1))
        out[k] = std::move(val);
      return out;
    }
    if (const Json* b = Member(v, "bytesValue", "bytes_value", at)) {
      if (!b->is_string()) Fail(at + ".bytesValue", "expected base64 text");
      return *b;  // base64 already, as Weave writes bytes
    }
    return nullptr;  // an empty AnyValue
  }

  OtelAttributes Attributes(const Json& obj, const char* name, const std::string& at,
                            int depth = 0) {
    OtelAttributes out;
    const Json& list = List(obj, name, name, at);
    for (size_t i = 0; i < list.size() && ok(); ++i) {
      std::string item = at + "." + name + "." + std::to_string(i);
      std::string key = Str(list[i], "key", "key", item);
      const Json* value = Member(list[i], "value", "value", item);
      out.emplace_back(std::move(key),
                       value ? Value(*value, item + ".value", depth) : Json(nullptr));
    }
    return out;
  }

  OtelSpan Span(const Json& j, const std::string& at) {
    OtelSpan s;
    s.trace_id = HexId(j, "traceId", "trace_id", at);
    s.span_id = HexId(j, "spanId", "span_id", at);
    s.parent_id = HexId(j, "parentSpanId", "parent_span_id", at);
    s.trace_state = Str(j, "traceState", "trace_state", at);
    s.name = Str(j, "name", "name", at);
    s.kind = Enum(j, "kind", at,
                  {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                   "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"});
    s.flags = static_cast<uint32_t>(Uint(j, "flags", "flags", at));
    s.start_ns = Uint(j, "startTimeUnixNano", "start_time_unix_nano", at);
    s.end_ns = Uint(j, "endTimeUnixNano", "end_time_unix_nano", at);
    s.attributes = Attributes(j, "attributes", at);
    s.dropped_attributes_count =
        static_cast<uint32_t>(Uint(j, "droppedAttributesCount", "dropped_attributes_count", at));
    s.dropped_events_count =
        static_cast<uint32_t>(Uint(j, "droppedEventsCount", "dropped_events_count", at));
    s.dropped_links_count =
        static_cast<uint32_t>(Uint(j, "droppedLinksCount", "dropped_links_count", at));
    const Json& events = List(j, "events", "events", at);
    for (size_t i = 0; i < events.size() && ok(); ++i) {
      std::string e_at = at + ".events." + std::to_string(i);
      OtelEvent& e = s.events.emplace_back();
      e.name = Str(events[i], "name", "name", e_at);
      e.time_ns = Uint(events[i], "timeUnixNano", "time_unix_nano", e_at);
      e.attributes = Attributes(events[i], "attributes", e_at);
      e.dropped_attributes_count = static_cast<uint32_t>(
          Uint(events[i], "droppedAttributesCount", "dropped_attributes_count", e_at));
    }
    const Json& links = List(j, "links", "links", at);
    for (size_t i = 0; i < links.size() && ok(); ++i) {
      std::string l_at = at + ".links." + std::to_string(i);
      OtelLink& l = s.links.emplace_back();
      l.trace_id = HexId(links[i], "traceId", "trace_id", l_at);
      l.span_id = HexId(links[i], "spanId", "span_id", l_at);
      l.trace_state = Str(links[i], "traceState", "trace_state", l_at);
      l.attributes = Attributes(links[i], "attributes", l_at);
      l.dropped_attributes_count = static_cast<uint32_t>(
          Uint(links[i], "droppedAttributesCount", "dropped_attributes_count", l_at));
      l.flags = static_cast<uint32_t>(Uint(links[i], "flags", "flags", l_at));
    }
    if (const Json* status = Member(j, "status", "status", at)) {
      s.status_code = Enum(*status, "code", at + ".status",
                           {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"});
      s.status_message = Str(*status, "message", "message", at + ".status");
    }
    return s;
  }

  void Fail(const std::string& at, const std::string& what) {
    if (ok()) error_ = at + ": " + what;
  }

 private:
  std::string error_;
};

}  // namespace

Result<OtelRequest> DecodeOtlpJson(const Json& request) {
  Reader r;
  OtelRequest out;
  const Json& resource_spans = r.List(request, "resourceSpans", "resource_spans", "request");
  for (size_t i = 0; i < resource_spans.size() && r.ok(); ++i) {
    std::string at = "resourceSpans." + std::to_string(i);
    const Json& rs = resource_spans[i];
    OtelResourceSpans& into = out.emplace_back();
    if (const Json* resource = r.Member(rs, "resource", "resource", at)) {
      into.resource = r.Attributes(*resource, "attributes", at + ".resource");
      into.resource_dropped = static_cast<uint32_t>(
          r.Uint(*resource, "droppedAttributesCount", "dropped_attributes_count", at));
    }
    const Json& scopes = r.List(rs, "scopeSpans", "scope_spans", at);
    for (size_t k = 0; k < scopes.size() && r.ok(); ++k) {
      std::string s_at = at + ".scopeSpans." + std::to_string(k);
      const Json& spans = r.List(scopes[k], "spans", "spans", s_at);
      for (size_t n = 0; n < spans.size() && r.ok(); ++n)
        into.spans.push_back(r.Span(spans[n], s_at + ".spans." + std::to_string(n)));
    }
  }
  if (!r.ok()) return Invalid(r.error());
  return out;
}

namespace {

Json AnyValueJson(const Json& v) {
  if (v.is_string()) return {{"stringValue", v}};
  if (v.is_boolean()) return {{"boolValue", v}};
  if (v.is_number_integer() && !v.is_number_unsigned())
    return {{"intValue", std::to_string(v.get<int64_t>())}};
  if (v.is_number_unsigned()) return {{"intValue", std::to_string(v.get<uint64_t>())}};
  if (v.is_number_float()) return {{"doubleValue", v}};
  if (v.is_array()) {
    Json values = Json::array();
    for (const Json& item : v) values.push_back(AnyValueJson(item));
    return {{"arrayValue", {{"values", std::move(values)}}}};
  }
  if (v.is_object()) {
    Json values = Json::array();
    for (const auto& [k, item] : v.items())
      values.push_back({{"key", k}, {"value", AnyValueJson(item)}});
    return {{"kvlistValue", {{"values", std::move(values)}}}};
  }
  return Json::object();
}

Json AttributesJson(const OtelAttributes& attributes) {
  Json out = Json::array();
  for (const auto& [k, v] : attributes) out.push_back({{"key", k}, {"value", AnyValueJson(v)}});
  return out;
}

}  // namespace

Json OtlpJson(const OtelRequest& request) {
  Json resource_spans = Json::array();
  for (const OtelResourceSpans& rs : request) {
    Json spans = Json::array();
    for (const OtelSpan& s : rs.spans) {
      Json span = {{"traceId", s.trace_id},
                   {"spanId", s.span_id},
                   {"name", s.name},
                   {"kind", s.kind},
                   {"startTimeUnixNano", std::to_string(s.start_ns)},
                   {"endTimeUnixNano", std::to_string(s.end_ns)},
                   {"attributes", AttributesJson(s.attributes)},
                   {"status", {{"code", s.status_code}, {"message", s.status_message}}}};
      if (!s.parent_id.empty()) span["parentSpanId"] = s.parent_id;
      if (!s.trace_state.empty()) span["traceState"] = s.trace_state;
      if (s.flags) span["flags"] = s.flags;
      for (const OtelEvent& e : s.events)
        span["events"].push_back({{"name", e.name},
                                  {"timeUnixNano", std::to_string(e.time_ns)},
                                  {"attributes", AttributesJson(e.attributes)}});
      for (const OtelLink& l : s.links)
        span["links"].push_back({{"traceId", l.trace_id},
                                 {"spanId", l.span_id},
                                 {"traceState", l.trace_state},
                                 {"attributes", AttributesJson(l.attributes)},
                                 {"flags", l.flags}});
      spans.push_back(std::move(span));
    }
    resource_spans.push_back(
        {{"resource", {{"attributes", AttributesJson(rs.resource)}}},
         {"scopeSpans", {{{"scope", {{"name", "weft"}}}, {"spans", std::move(spans)}}}}});
  }
  return Json{{"resourceSpans", std::move(resource_spans)}};
}

Json OtlpResponseJson(int64_t rejected, const std::string& message) {
  if (rejected == 0 && message.empty()) return Json::object();
  // int64 in proto3 JSON is a string.
  return Json{
      {"partialSuccess", {{"rejectedSpans", std::to_string(rejected)}, {"errorMessage", message}}}};
}

}  // namespace weft
