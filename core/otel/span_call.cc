// Weave's span → call mapping (docs/otel.md#spans-become-calls): the key
// lists of its opentelemetry/constants.py in order, get_attribute's lookup
// (a flat key, else a dotted path through objects and list indexes, else
// the span's events), and Span.to_call's rules for ids, names, usage and
// the otel_dump kept on the call.
#include "core/otel/span_call.h"

#include <cmath>
#include <functional>

#include "base/clock.h"
#include "core/digest.h"

namespace weft {
namespace {

constexpr size_t kMaxOpName = 128;        // Weave's MAX_OP_NAME_LENGTH
constexpr size_t kMaxDisplayName = 1024;  // MAX_DISPLAY_NAME_LENGTH

// INPUT_KEYS and OUTPUT_KEYS: the first present is kept under its own key.
const char* const kInputKeys[] = {"ai.prompt",
                                  "gen_ai.prompt",
                                  "input.value",
                                  "mlflow.spanInputs",
                                  "gen_ai.input.messages",
                                  "pydantic_ai.all_messages",
                                  "traceloop.entity.input",
                                  "gcp.vertex.agent.tool_call_args",
                                  "gcp.vertex.agent.llm_request",
                                  "events.gen_ai.user.message",
                                  "input",
                                  "inputs"};
const char* const kOutputKeys[] = {"ai.response",
                                   "gen_ai.completion",
                                   "output.value",
                                   "gen_ai.output.messages",
                                   "mlflow.spanOutputs",
                                   "final_result",
                                   "gen_ai.content.completion",
                                   "traceloop.entity.output",
                                   "gcp.vertex.agent.tool_response",
                                   "gcp.vertex.agent.llm_response",
                                   "events.gen_ai.choice",
                                   "output",
                                   "outputs"};

// The dict mappings: a field and the keys that give it, first present wins.
struct Mapping {
  const char* field;
  std::vector<const char*> keys;
};
const Mapping kUsageKeys[] = {  // values through try_parse_int
    {"input_tokens", {"gen_ai.usage.input_tokens"}},
    {"prompt_tokens",
     {"gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "ai.usage.promptTokens"}},
    {"completion_tokens",
     {"gen_ai.usage.completion_tokens", "llm.token_count.completion", "ai.usage.completionTokens"}},
    {"output_tokens", {"gen_ai.usage.output_tokens"}},
    {"total_tokens", {"llm.usage.total_tokens", "llm.token_count.total"}}};
const Mapping kAttributeKeys[] = {
    {"system", {"gen_ai.system", "llm.system", "gen_ai.system_instructions", "system_prompt"}},
    {"kind", {"weave.span.kind", "traceloop.span.kind", "openinference.span.kind"}},
    {"model", {"gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "ai.model.id"}},
    {"provider", {"llm.provider", "ai.model.provider"}},
    {"model_parameters", {"gen_ai.request", "llm.invocation_parameters"}},
    {"agent", {"gen_ai.agent.name"}},
    {"tools", {"gen_ai.agent.tools"}},
    {"operation", {"gen_ai.operation.name"}}};
const Mapping kWandbKeys[] = {{"display_name", {"wandb.display_name"}},
                              {"thread_id", {"gcp.vertex.agent.session_id", "wandb.thread_id"}},
                              {"attributes", {"wandb.attributes"}},
                              {"wb_run_id", {"wandb.wb_run_id"}},
                              {"wb_run_step", {"wandb.wb_run_step"}},
                              {"wb_run_step_end", {"wandb.wb_run_step_end"}},
                              {"is_turn", {"gcp.vertex.agent.session_id", "wandb.is_turn"}}};

// Python's truthiness of a JSON value.
bool Truthy(const Json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string() || v.is_array() || v.is_object()) return !v.empty();
  return true;
}

std::vector<std::string> SplitDots(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(key.substr(start, dot - start));
  parts.push_back(key.substr(start));
  return parts;
}

// get_attribute: a flat key of data, else the dotted path (list indexes too).
const Json* GetAttribute(const Json& data, const std::string& key) {
  if (!data.is_object()) return nullptr;
  if (auto it = data.find(key); it != data.end()) return it->is_null() ? nullptr : &*it;
  const Json* at = &data;
  for (const std::string& part : SplitDots(key)) {
    if (at->is_object() && at->contains(part)) {
      at = &(*at)[part];
    } else if (at->is_array() && !part.empty() &&
               part.find_first_not_of("0123456789") == std::string::npos && part.size() < 10 &&
               std::stoul(part) < at->size()) {
      at = &(*at)[std::stoul(part)];
    } else {
      return nullptr;
    }
  }
  return at->is_null() ? nullptr : at;
}

// convert_numeric_keys_to_list, everywhere inside v: objects keyed 0..n-1 become lists.
void NumericKeysToLists(Json& v) {
  if (v.is_array()) {
    for (Json& item : v) NumericKeysToLists(item);
    return;
  }
  if (!v.is_object()) return;
  for (auto& [k, item] : v.items()) NumericKeysToLists(item);
  if (v.empty()) return;
  size_t i = 0;
  for (auto& [k, item] : v.items()) {
    (void)item;
    if (k.empty() || k.find_first_not_of("0123456789") != std::string::npos || k.size() > 9) return;
    ++i;
  }
  Json list = Json::array();
  for (size_t n = 0; n < i; ++n) {
    auto it = v.find(std::to_string(n));
    if (it == v.end()) return;  // not contiguous from 0 (or "01")
    list.push_back(std::move(*it));
  }
  v = std::move(list);
}

// try_parse_int: Python's int() where it succeeds, else the value as it is.
Json TryParseInt(const Json& v) {
  if (v.is_number_integer()) return v;
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_number_float()) {
    double d = v.get<double>();
    return std::isfinite(d) && std::fabs(d) < 9.2e18 ? Json(static_cast<int64_t>(d)) : v;
  }
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
    if (b == std::string::npos) return v;
    s = s.substr(b, e - b + 1);
    size_t digits = s[0] == '-' || s[0] == '+' ? 1 : 0;
    if (s.size() > digits && s.size() < 19 &&
        s.find_first_not_of("0123456789_", digits) == std::string::npos &&
        s.find('_') == std::string::npos)
      return std::stoll(s);
  }
  return v;
}

// The span's events as the nested tree Weave looks keys up in ({"events": ...}).
Json EventsTree(const std::vector<OtelEvent>& events, const std::vector<Json>& attributes) {
  Json tree = Json::object();
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].name.empty()) continue;
    std::vector<std::string> parts = SplitDots(events[i].name);
    Json* at = &tree;
    for (size_t p = 0; p + 1 < parts.size(); ++p) {
      Json& next = (*at)[parts[p]];
      if (!next.is_object()) next = Json::object();
      at = &next;
    }
    Json& leaf = (*at)[parts.back()];
    if (leaf.is_array())
      leaf.push_back(attributes[i]);
    else if (leaf.is_object())
      leaf["__events__"].push_back(attributes[i]);
    else
      leaf = Json::array({attributes[i]});
  }
  return tree.empty() ? Json::object() : Json{{"events", std::move(tree)}};
}

// parse_weave_values with a key list: {key: value} of the first key present.
Json FirstOf(const Json& attributes, const Json& events, const char* const* keys, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const Json* v = GetAttribute(attributes, keys[i]);
    if (!v) v = GetAttribute(events, keys[i]);
    if (v) {
      Json out = {{keys[i], *v}};
      NumericKeysToLists(out[keys[i]]);
      return out;
    }
  }
  return Json::object();
}

// parse_weave_values with a mapping: {field: value of its first key present}.
template <size_t N>
Json MappedFields(const Json& attributes, const Mapping (&mapping)[N], bool ints = false) {
  Json out = Json::object();
  for (const Mapping& m : mapping)
    for (const char* key : m.keys)
      if (const Json* v = GetAttribute(attributes, key)) {
        out[m.field] = ints ? TryParseInt(*v) : *v;
        NumericKeysToLists(out[m.field]);
        break;
      }
  return out;
}

// A time as Python's datetime.isoformat() writes it (UTC, no offset).
std::string IsoFormat(uint64_t ns) {
  std::string t = FormatTime(static_cast<Micros>(ns / 1000));
  t.pop_back();  // 'Z'
  if (t.ends_with(".000000")) t.resize(t.size() - 7);
  return t;
}

Json DroppedAndAttributes(const Json& attributes, uint32_t dropped) {
  return Json{{"attributes", attributes}, {"dropped_attributes_count", dropped}};
}

// The whole span as Span.as_dict gives it: Weave's otel_dump.
Json OtelDump(const OtelSpan& s, const Json& attributes, const std::vector<Json>& event_attributes,
              const Json& resource, uint32_t resource_dropped) {
  Json events = Json::array(), links = Json::array();
  for (size_t i = 0; i < s.events.size(); ++i) {
    Json e = DroppedAndAttributes(event_attributes[i], s.events[i].dropped_attributes_count);
    e["name"] = s.events[i].name;
    e["timestamp"] = s.events[i].time_ns;
    events.push_back(std::move(e));
  }
  for (const OtelLink& l : s.links) {
    auto attrs = UnflattenAttributes(l.attributes);
    Json link =
        DroppedAndAttributes(attrs.ok() ? *attrs : Json::object(), l.dropped_attributes_count);
    link.update({{"trace_id", l.trace_id},
                 {"span_id", l.span_id},
                 {"trace_state", l.trace_state},
                 {"flags", l.flags}});
    links.push_back(std::move(link));
  }
  return Json{
      {"name", s.name},
      {"context",
       {{"trace_id", s.trace_id}, {"span_id", s.span_id}, {"trace_state", s.trace_state}}},
      {"kind", s.kind >= 0 && s.kind < static_cast<int>(std::size(kSpanKindNames))
                   ? kSpanKindNames[s.kind]
                   : "UNSPECIFIED"},
      {"parent_id", s.parent_id.empty() ? Json(nullptr) : Json(s.parent_id)},
      {"start_time", IsoFormat(s.start_ns)},
      {"end_time", IsoFormat(s.end_ns)},
      {"status",
       {{"code", s.status_code >= 0 && s.status_code < static_cast<int>(std::size(kStatusCodeNames))
                     ? kStatusCodeNames[s.status_code]
                     : "UNSET"},
        {"message", s.status_message}}},
      {"attributes", attributes},
      {"events", std::move(events)},
      {"links", std::move(links)},
      {"resource", DroppedAndAttributes(resource, resource_dropped)}};
}

// A langfuse.startTime/endTime override: ISO text or Unix nanoseconds.
std::optional<Micros> Override(const Json& attributes, const char* key) {
  const Json* v = GetAttribute(attributes, key);
  if (!v) return std::nullopt;
  if (v->is_string()) return ParseTime(v->get<std::string>());
  if (v->is_number_integer()) return v->get<int64_t>() / 1000;
  return std::nullopt;
}

std::optional<int64_t> OptionalInt(const Json& fields, const char* name) {
  auto it = fields.find(name);
  if (it == fields.end() || !Truthy(*it)) return std::nullopt;  // Weave's `or None`
  Json v = TryParseInt(*it);
  return v.is_number_integer() ? std::optional<int64_t>(v.get<int64_t>()) : std::nullopt;
}

}  // namespace

Result<Json> UnflattenAttributes(const OtelAttributes& attributes) {
  Json out = Json::object();
  for (const auto& [key, raw] : attributes) {
    Json value = raw;
    if (raw.is_string()) {
      const std::string& s = raw.get_ref<const std::string&>();
      if (!s.empty() && (s[0] == '[' || s[0] == '{'))
        if (auto parsed = ParseJson(s, "attribute"); parsed.ok()) value = std::move(*parsed);
    }
    if (value.is_number_float() && !std::isfinite(value.get<double>())) {
      double d = value.get<double>();
      value = std::isnan(d) ? "nan" : d > 0 ? "inf" : "-inf";  // Weave's to_json_serializable
    }
    std::vector<std::string> parts = SplitDots(key);
    Json* at = &out;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      Json& next = (*at)[parts[i]];
      if (next.is_null()) next = Json::object();
      if (!next.is_object())
        return Invalid("attribute '" + key + "' conflicts with the value at '" + parts[i] + "'");
      at = &next;
    }
    (*at)[parts.back()] = std::move(value);
  }
  return out;
}

std::string ShortenName(const std::string& name, size_t max_len, const std::string& abbrv,
                        bool delimiter_in_abbrv) {
  if (name.size() <= max_len) return name;
  static const std::string kDelimiters = ",;| /?.";
  std::vector<std::string> parts;  // capture_parts: words and single delimiters
  for (size_t i = 0; i < name.size();) {
    size_t j =
        kDelimiters.find(name[i]) != std::string::npos ? i + 1 : name.find_first_of(kDelimiters, i);
    if (j == std::string::npos) j = name.size();
    parts.push_back(name.substr(i, j - i));
    i = j;
  }
  auto is_delimiter = [&](const std::string& p) {
    return p.size() == 1 && kDelimiters.find(p[0]) != std::string::npos;
  };
  if (parts.size() <= 1 || parts[0].size() > max_len - abbrv.size())
    return parts[0].substr(0, max_len - abbrv.size()) + abbrv;
  std::string shortened = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string delimiter;
    while (i < parts.size() && is_delimiter(parts[i])) delimiter += parts[i++];
    std::string next = delimiter + (i < parts.size() ? parts[i] : "");
    std::string closing = abbrv.empty()                                         ? ""
                          : abbrv.starts_with(delimiter) || !delimiter_in_abbrv ? abbrv
                                                                                : delimiter + abbrv;
    if (shortened.size() + next.size() >= max_len - closing.size()) return shortened + closing;
    shortened += next;
  }
  return shortened;
}

namespace {

// Each event's attributes, nested as the span's are.
Result<std::vector<Json>> EventAttributes(const OtelSpan& s) {
  std::vector<Json> out;
  for (const OtelEvent& e : s.events) {
    WEFT_ASSIGN(Json a, UnflattenAttributes(e.attributes));
    out.push_back(std::move(a));
  }
  return out;
}

// The usage the attributes give, with total_tokens added when only its two parts are.
Json SpanUsage(const Json& attributes) {
  Json usage = MappedFields(attributes, kUsageKeys, true);
  for (auto [a, b] : {std::pair{"prompt_tokens", "completion_tokens"},
                      std::pair{"input_tokens", "output_tokens"}})
    if (usage.contains(a) && usage.contains(b) && !usage.contains("total_tokens") &&
        usage[a].is_number_integer() && usage[b].is_number_integer())
      usage["total_tokens"] = usage[a].get<int64_t>() + usage[b].get<int64_t>();
  return usage;
}

// A lone {"inputs": v} (when truthy) or {"input": v} stands for v (an
// object only, when object_only; anything but null otherwise).
Json Unwrapped(Json fields, const char* plural, const char* singular, bool object_only) {
  if (fields.size() != 1) return fields;
  const Json* nested = fields.contains(plural) && Truthy(fields[plural]) ? &fields[plural]
                       : fields.contains(singular)                       ? &fields[singular]
                                                                         : nullptr;
  if (nested && (object_only ? nested->is_object() : !nested->is_null())) return Json(*nested);
  return fields;
}

// The call fields the wandb.* keys give: display name, run, step, thread.
void AddWandbFields(CallRecord& c, const Json& wandb, const std::string& project) {
  auto given = [&](const char* key) { return wandb.contains(key) && Truthy(wandb[key]); };
  if (given("display_name") && wandb["display_name"].is_string()) {
    std::string name = wandb["display_name"];
    c.display_name =
        name.size() >= kMaxDisplayName ? ShortenName(name, kMaxDisplayName, "...", true) : name;
  }
  if (given("wb_run_id") && wandb["wb_run_id"].is_string()) {
    std::string run = wandb["wb_run_id"];
    if (run.find_first_of("/:") == std::string::npos) c.wb_run_id = project + ":" + run;
  }
  c.wb_run_step = OptionalInt(wandb, "wb_run_step");
  if (given("thread_id")) {
    c.thread_id = wandb["thread_id"].is_string() ? wandb["thread_id"].get<std::string>()
                                                 : CompactDumps(wandb["thread_id"]);
    if (Truthy(wandb.value("is_turn", Json(nullptr)))) c.turn_id = c.id;
  }
}

// The end's summary: the usage under the model's name (else "usage"), every
// usage field Weave's row has present.
std::string UsageSummary(const Json& usage, const Json& model) {
  Json row = {{"input_tokens", nullptr},      {"output_tokens", nullptr},
              {"completion_tokens", nullptr}, {"prompt_tokens", nullptr},
              {"total_tokens", nullptr},      {"requests", nullptr}};
  for (auto& [k, v] : usage.items()) row[k] = v;
  std::string key = Truthy(model) && model.is_string() ? model.get<std::string>() : "usage";
  return CompactDumps(Json{{"usage", {{key, std::move(row)}}}});
}

}  // namespace

Result<SpanCall> SpanToCall(const OtelSpan& s, const Json& resource, uint32_t resource_dropped,
                            const std::string& project, const std::string& user) {
  WEFT_ASSIGN(Json attributes, UnflattenAttributes(s.attributes));
  WEFT_ASSIGN(std::vector<Json> event_attributes, EventAttributes(s));
  if (s.span_id.empty() || s.trace_id.empty())
    return Invalid("the span has no span_id or trace_id");
  Json events = EventsTree(s.events, event_attributes);

  Json usage = SpanUsage(attributes);
  // {"input": {...}} or {"inputs": {...}} stands for its object; {"output": x} for x.
  Json inputs = Unwrapped(FirstOf(attributes, events, kInputKeys, std::size(kInputKeys)), "inputs",
                          "input", true);
  Json output = Unwrapped(FirstOf(attributes, events, kOutputKeys, std::size(kOutputKeys)),
                          "outputs", "output", false);

  Json call_attributes = MappedFields(attributes, kAttributeKeys);
  Json wandb = MappedFields(attributes, kWandbKeys);
  Json model = call_attributes.value("model", Json(nullptr));
  if (!Truthy(model) && call_attributes.contains("model_parameters") &&
      call_attributes["model_parameters"].is_object())
    model = call_attributes["model_parameters"].value("model", Json(nullptr));
  bool has_output = output.is_number() || output.is_boolean() || !output.empty();
  bool extracted = !call_attributes.empty() || !inputs.empty() || has_output || !usage.empty();
  if (wandb.contains("attributes") && wandb["attributes"].is_object() &&
      Truthy(wandb["attributes"]))
    call_attributes.update(wandb["attributes"]);
  if (!extracted) call_attributes = attributes;

  SpanCall out;
  out.op = s.name;
  if (out.op.size() >= kMaxOpName)
    out.op = ShortenName(out.op, kMaxOpName, ":" + HexDigest(out.op).substr(0, 4), false);

  CallPart& start = out.start;
  start.start = true;
  start.project = project;
  CallRecord& c = start.call;
  c.id = s.span_id;
  c.trace_id = s.trace_id;
  if (!s.parent_id.empty()) c.parent_id = s.parent_id;
  c.started_at =
      Override(attributes, "langfuse.startTime").value_or(static_cast<Micros>(s.start_ns / 1000));
  c.attributes = CompactDumps(call_attributes);
  c.inputs = CompactDumps(inputs);
  c.input_refs = FindRefs(inputs);
  c.otel_dump = CompactDumps(OtelDump(s, attributes, event_attributes, resource, resource_dropped));
  c.wb_user_id = user;
  AddWandbFields(c, wandb, project);

  CallPart& end = out.end;
  end.project = project;
  end.call.id = s.span_id;
  end.call.ended_at =
      Override(attributes, "langfuse.endTime").value_or(static_cast<Micros>(s.end_ns / 1000));
  if (s.status_code == 2) end.call.exception = s.status_message;
  end.call.output = CompactDumps(output);
  end.call.output_refs = FindRefs(output);
  end.call.summary = UsageSummary(usage, model);
  end.call.wb_run_step_end = OptionalInt(wandb, "wb_run_step_end");
  return out;
}

}  // namespace weft
