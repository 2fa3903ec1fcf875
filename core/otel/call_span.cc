// Calls to spans (call_span.h). A span's own record (otel_dump) gives back
// its name, kind, attributes, events, links, status and resource; a call
// recorded by weft or a Weave SDK is described with the keys Weave's OTLP
// ingest reads back (inputs, output, wandb.*), so weft otlp import of an
// export gives the same calls.
#include "core/api/call_span.h"

#include <map>

#include "core/api/export.h"
#include "core/digest.h"
#include "core/otel/span_call.h"
#include "core/transfer/export_parts.h"

namespace weft {
namespace {

bool IsHex(const std::string& s, size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The number of a name in names (otel_dump's kinds and codes); 0 when unknown.
template <size_t N>
int IndexOf(const Json& name, const char* const (&names)[N]) {
  for (size_t i = 0; i < N; ++i)
    if (name == names[i]) return static_cast<int>(i);
  return 0;
}

Json ParsedOr(const std::string& text, Json fallback) {
  if (text.empty()) return fallback;
  auto v = ParseJson(text, "stored call");
  return v.ok() ? std::move(*v) : fallback;
}

// A JSON value as one attribute: JSON text for objects and arrays (which
// Weave's ingest parses back), else the scalar.
Json AttributeValue(const Json& v) {
  return v.is_object() || v.is_array() ? Json(CompactDumps(v)) : v;
}

void FromDump(const Json& dump, OtelSpan& s, OtelAttributes& resource) {
  s.name = dump.value("name", s.name);
  s.kind = IndexOf(dump.value("kind", Json("INTERNAL")), kSpanKindNames);
  if (dump.contains("context") && dump["context"].is_object())
    s.trace_state = dump["context"].value("trace_state", "");
  s.attributes = FlattenAttributes(dump.value("attributes", Json::object()));
  if (dump.contains("status") && dump["status"].is_object()) {
    s.status_code = IndexOf(dump["status"].value("code", Json("UNSET")), kStatusCodeNames);
    s.status_message = dump["status"].value("message", "");
  }
  for (const Json& e : dump.value("events", Json::array()))
    if (e.is_object())
      s.events.push_back({e.value("name", ""), e.value("timestamp", uint64_t{0}),
                          FlattenAttributes(e.value("attributes", Json::object())),
                          e.value("dropped_attributes_count", 0u)});
  for (const Json& l : dump.value("links", Json::array()))
    if (l.is_object())
      s.links.push_back({l.value("trace_id", ""), l.value("span_id", ""),
                         l.value("trace_state", ""),
                         FlattenAttributes(l.value("attributes", Json::object())),
                         l.value("dropped_attributes_count", 0u), l.value("flags", 0u)});
  if (dump.contains("resource") && dump["resource"].is_object())
    resource = FlattenAttributes(dump["resource"].value("attributes", Json::object()));
}

// A call of weft or a Weave SDK: inputs, output and attributes under the
// keys Weave's ingest reads, the original ids and op under weave.*.
void FromCall(const CallRecord& c, OtelSpan& s) {
  Json summary = DerivedSummary(c, ParsedOr(c.summary, Json::object()));
  s.kind = 1;
  s.attributes = {{"wandb.attributes", CompactDumps(ParsedOr(c.attributes, Json::object()))},
                  {"weave.op_name", c.op_name},
                  {"weave.call_id", c.id},
                  {"weave.trace_id", c.trace_id}};
  Json inputs = ParsedOr(c.inputs, Json::object());
  if (!inputs.empty()) s.attributes.emplace_back("inputs", CompactDumps(inputs));
  Json output = ParsedOr(c.output, nullptr);
  if (!output.is_null()) s.attributes.emplace_back("output", AttributeValue(output));
  if (c.display_name && !c.display_name->empty())
    s.attributes.emplace_back("wandb.display_name", *c.display_name);
  if (c.thread_id) s.attributes.emplace_back("wandb.thread_id", *c.thread_id);
  if (c.thread_id && c.turn_id == c.id) s.attributes.emplace_back("wandb.is_turn", true);
  if (c.wb_run_step) s.attributes.emplace_back("wandb.wb_run_step", *c.wb_run_step);
  if (c.wb_run_step_end) s.attributes.emplace_back("wandb.wb_run_step_end", *c.wb_run_step_end);
  // Token usage summed over models, as gen_ai.* names it.
  int64_t in = 0, out = 0;
  if (summary.contains("usage") && summary["usage"].is_object())
    for (const auto& [model, u] : summary["usage"].items()) {
      if (!u.is_object()) continue;
      for (const char* k : {"input_tokens", "prompt_tokens"})
        if (u.contains(k) && u[k].is_number_integer()) in += u[k].get<int64_t>();
      for (const char* k : {"output_tokens", "completion_tokens"})
        if (u.contains(k) && u[k].is_number_integer()) out += u[k].get<int64_t>();
    }
  if (in) s.attributes.emplace_back("gen_ai.usage.input_tokens", in);
  if (out) s.attributes.emplace_back("gen_ai.usage.output_tokens", out);
  if (c.exception)
    s.status_code = 2, s.status_message = *c.exception;
  else
    s.status_code = 1;
}

OtelSpan CallToSpan(const CallRecord& c, OtelAttributes& resource) {
  OtelSpan s;
  s.trace_id = TraceIdOf(c.trace_id);
  s.span_id = SpanIdOf(c.id);
  if (c.parent_id) s.parent_id = SpanIdOf(*c.parent_id);
  s.name = TraceNameOf(c);
  s.start_ns = static_cast<uint64_t>(*c.started_at) * 1000;
  s.end_ns = static_cast<uint64_t>(*c.ended_at) * 1000;
  if (!c.otel_dump.empty())
    FromDump(ParsedOr(c.otel_dump, Json::object()), s, resource);
  else
    FromCall(c, s);
  return s;
}

// One trace's calls as a request: its spans grouped by resource, each
// resource naming the project.
OtelRequest TraceRequest(const std::vector<CallRecord>& calls, const std::string& project) {
  std::map<std::string, OtelResourceSpans> by_resource;
  size_t slash = project.find('/');
  for (const CallRecord& c : calls) {
    OtelAttributes resource = {{"service.name", "weft"}};
    OtelSpan span = CallToSpan(c, resource);
    auto given = [&](const char* key) {
      for (const auto& kv : resource)
        if (kv.first == key) return true;
      return false;
    };
    if (!given("wandb.entity") && !given("wandb.project")) {
      resource.emplace_back("wandb.entity", project.substr(0, slash));
      resource.emplace_back("wandb.project", project.substr(slash + 1));
    }
    Json key = Json::array();
    for (const auto& [k, v] : resource) key.push_back({k, v});
    OtelResourceSpans& rs = by_resource[CompactDumps(key)];
    rs.resource = std::move(resource);
    rs.spans.push_back(std::move(span));
  }
  OtelRequest request;
  for (auto& [key, rs] : by_resource) request.push_back(std::move(rs));
  return request;
}

void Flatten(const Json& v, const std::string& prefix, OtelAttributes& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& [k, item] : v.items())
      Flatten(item, prefix.empty() ? k : prefix + "." + k, out);
    return;
  }
  if (!prefix.empty() && !v.is_null()) out.emplace_back(prefix, v);
}

}  // namespace

std::string SpanIdOf(const std::string& call_id) {
  if (IsHex(call_id, 16)) return call_id;
  std::string hex = call_id;
  std::erase(hex, '-');
  if (IsHex(hex, 32)) return hex.substr(16);  // a UUID's random half
  return HexDigest(call_id).substr(0, 16);
}

std::string TraceIdOf(const std::string& trace_id) {
  std::string hex = trace_id;
  std::erase(hex, '-');
  return IsHex(hex, 32) ? hex : HexDigest(trace_id).substr(0, 32);
}

OtelAttributes FlattenAttributes(const Json& nested) {
  OtelAttributes out;
  Flatten(nested, "", out);
  return out;
}

Status ExportOtlp(Context& ctx, const std::string& project, std::optional<Micros> since,
                  const std::function<bool(const OtelRequest&)>& emit) {
  std::vector<CallRecord> trace;
  auto flush = [&] {
    bool going = trace.empty() || emit(TraceRequest(trace, project));
    trace.clear();
    return going;
  };
  std::string from;
  do {
    WEFT_ASSIGN(CallsPage page,
                ReadCallsPage(ctx, project, since, from, 1000, CallsOrder::kByTrace));
    for (CallRecord& c : page.calls) {
      if (!c.ended()) continue;
      if (!trace.empty() && trace.front().trace_id != c.trace_id && !flush()) return Status::OK();
      trace.push_back(std::move(c));
    }
    from = std::move(page.next);
  } while (!from.empty());
  flush();
  return Status::OK();
}

}  // namespace weft
