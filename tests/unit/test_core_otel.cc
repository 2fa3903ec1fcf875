// OTLP in (core/otel): the protobuf and JSON readers, and Weave's span → call
// mapping, checked against what Weave's python_spans.py gives.
#include <doctest/doctest.h>

#include "core/api/otel_export.h"
#include "core/otel/span_call.h"
#include "server_fixture.h"

using namespace weft;

namespace {

// A protobuf writer for the test's messages.
struct Pb {
  std::string out;
  Pb& Varint(uint64_t v) {
    while (v >= 0x80) out += static_cast<char>((v & 0x7F) | 0x80), v >>= 7;
    out += static_cast<char>(v);
    return *this;
  }
  Pb& Tag(int field, int type) { return Varint(static_cast<uint64_t>(field) << 3 | type); }
  Pb& Bytes(int field, std::string_view b) {
    Tag(field, 2).Varint(b.size());
    out += b;
    return *this;
  }
  Pb& Fixed64(int field, uint64_t v) {
    Tag(field, 1);
    for (int i = 0; i < 8; ++i) out += static_cast<char>(v >> (8 * i));
    return *this;
  }
  Pb& Int(int field, uint64_t v) { return Tag(field, 0).Varint(v); }
};

std::string KeyValue(const std::string& key, const std::string& any_value) {
  return Pb().Bytes(1, key).Bytes(2, any_value).out;
}
std::string StringValue(const std::string& s) { return Pb().Bytes(1, s).out; }
std::string IntValue(int64_t i) { return Pb().Int(3, static_cast<uint64_t>(i)).out; }

std::string OneSpanRequest(const std::string& span, const std::string& resource = "") {
  std::string scope_spans = Pb().Bytes(1, Pb().Bytes(1, "scope").out).Bytes(2, span).out;
  Pb rs;
  if (!resource.empty()) rs.Bytes(1, resource);
  rs.Bytes(2, scope_spans);
  return Pb().Bytes(1, rs.out).out;
}

OtelSpan SpanWith(OtelAttributes attributes) {
  OtelSpan s;
  s.trace_id = "0af7651916cd43dd8448eb211c80319c";
  s.span_id = "b7ad6b7169203331";
  s.name = "chat gpt-4o";
  s.start_ns = 1700000000000000000;
  s.end_ns = 1700000000250000000;
  s.attributes = std::move(attributes);
  return s;
}

Json Parse(const std::string& text) { return *ParseJson(text, "test"); }

}  // namespace

TEST_CASE("OTLP protobuf decodes into spans; unknown fields are skipped") {
  std::string status = Pb().Bytes(2, "bad").Int(3, 2).out;
  std::string span = Pb().Bytes(1, std::string("\x0a\xf7\x65\x19", 4) + std::string(12, '\x01'))
                         .Bytes(2, "\xb7\xad\x6b\x71\x69\x20\x33\x31")
                         .Bytes(4, "\x01\x02\x03\x04\x05\x06\x07\x08")
                         .Bytes(5, "op")
                         .Int(6, 3)
                         .Fixed64(7, 1000)
                         .Fixed64(8, 5000)
                         .Bytes(9, KeyValue("a.b", IntValue(-2)))
                         .Bytes(9, KeyValue("s", StringValue("x")))
                         .Int(99, 7)  // unknown
                         .Bytes(15, status)
                         .out;
  auto request = DecodeOtlpProto(
      OneSpanRequest(span, Pb().Bytes(1, KeyValue("wandb.entity", StringValue("e"))).out));
  REQUIRE(request.ok());
  REQUIRE(request->size() == 1);
  const OtelResourceSpans& rs = (*request)[0];
  CHECK(rs.resource[0].first == "wandb.entity");
  REQUIRE(rs.spans.size() == 1);
  const OtelSpan& s = rs.spans[0];
  CHECK(s.trace_id == "0af76519010101010101010101010101");
  CHECK(s.span_id == "b7ad6b7169203331");
  CHECK(s.parent_id == "0102030405060708");
  CHECK(s.name == "op");
  CHECK(s.kind == 3);
  CHECK(s.start_ns == 1000);
  CHECK(s.end_ns == 5000);
  CHECK(s.attributes[0].second == -2);
  CHECK(s.attributes[1].second == "x");
  CHECK(s.status_code == 2);
  CHECK(s.status_message == "bad");
}

TEST_CASE("malformed protobuf is an invalid request, whatever is cut or wrong") {
  std::string good = OneSpanRequest(Pb().Bytes(2, "12345678").Bytes(5, "n").out);
  REQUIRE(DecodeOtlpProto(good).ok());
  for (size_t n = 1; n < good.size(); ++n) CHECK_FALSE(DecodeOtlpProto(good.substr(0, n)).ok());
  CHECK_FALSE(DecodeOtlpProto("\x0a\xff\xff\xff\xff\x0f").ok());          // a length past the end
  CHECK_FALSE(DecodeOtlpProto(OneSpanRequest(Pb().Int(5, 1).out)).ok());  // a name as a varint
  CHECK_FALSE(DecodeOtlpProto(OneSpanRequest(Pb().Bytes(5, "\xff\xfe").out)).ok());  // not UTF-8
  CHECK(DecodeOtlpProto("").ok());  // no spans at all
  // Values nested deeper than 64 are refused, not recursed into.
  std::string value = StringValue("x");
  for (int i = 0; i < 100; ++i) value = Pb().Bytes(5, Pb().Bytes(1, value).out).out;
  CHECK_FALSE(DecodeOtlpProto(OneSpanRequest(Pb().Bytes(9, KeyValue("k", value)).out)).ok());
}

TEST_CASE("OTLP JSON: hex ids, 64-bit integers as strings, enums by number or name") {
  Json j = Parse(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0AF7651916CD43DD8448EB211C80319C",
      "spanId":"b7ad6b7169203331","parentSpanId":"","name":"n","kind":"SPAN_KIND_SERVER",
      "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000000000000001,
      "attributes":[{"key":"i","value":{"intValue":"9007199254740993"}},{"key":"l","value":{"arrayValue":{"values":[{"boolValue":true},{"doubleValue":1.5}]}}},
                    {"key":"kv","value":{"kvlistValue":{"values":[{"key":"a","value":{"stringValue":"b"}}]}}}],
      "status":{"code":2,"message":"m"}}]}]}]})");
  auto request = DecodeOtlpJson(j);
  REQUIRE(request.ok());
  const OtelSpan& s = (*request)[0].spans[0];
  CHECK(s.trace_id == "0af7651916cd43dd8448eb211c80319c");
  CHECK(s.parent_id.empty());
  CHECK(s.kind == 2);
  CHECK(s.start_ns == 1700000000000000000ull);
  CHECK(s.end_ns == 1700000000000000001ull);
  CHECK(s.attributes[0].second == 9007199254740993ll);
  CHECK(s.attributes[1].second == Parse("[true,1.5]"));
  CHECK(s.attributes[2].second == Parse(R"({"a":"b"})"));
  CHECK(s.status_code == 2);
  auto bad = DecodeOtlpJson(
      Parse(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz"}]}]}]})"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("resourceSpans.0.scopeSpans.0.spans.0.traceId") !=
        std::string::npos);
}

TEST_CASE("attributes un-flatten; a path through a value is a conflict") {
  auto ok = UnflattenAttributes(
      {{"llm.token_count.prompt", 3}, {"j", "{\"a\": [1]}"}, {"s", "[not json"}});
  REQUIRE(ok.ok());
  CHECK(*ok == Parse(R"({"llm":{"token_count":{"prompt":3}},"j":{"a":[1]},"s":"[not json"})"));
  auto conflict = UnflattenAttributes({{"a", 1}, {"a.b", 2}});
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().message.find("'a.b'") != std::string::npos);
}

TEST_CASE("gen_ai spans map as Weave maps them") {
  OtelSpan s = SpanWith({{"gen_ai.system", "openai"},
                         {"gen_ai.request.model", "gpt-4o"},
                         {"gen_ai.prompt.0.role", "user"},
                         {"gen_ai.prompt.0.content", "hi"},
                         {"gen_ai.prompt.1.role", "assistant"},
                         {"gen_ai.prompt.1.content", "yes"},
                         {"gen_ai.completion.0.content", "hello"},
                         {"gen_ai.usage.input_tokens", "3"},
                         {"gen_ai.usage.output_tokens", 5},
                         {"wandb.display_name", "Chat"},
                         {"wandb.thread_id", "th"},
                         {"wandb.is_turn", true},
                         {"wandb.wb_run_id", "r1"},
                         {"wandb.wb_run_step", 4},
                         {"wandb.attributes", "{\"team\": \"x\"}"}});
  s.status_code = 2;
  s.status_message = "rate limited";
  auto call = SpanToCall(s, Json::object(), 0, "e/p", "me");
  REQUIRE(call.ok());
  const CallRecord& c = call->start.call;
  CHECK(call->op == "chat gpt-4o");
  CHECK(c.id == "b7ad6b7169203331");
  CHECK_FALSE(c.parent_id);
  CHECK(c.started_at == 1700000000000000);
  CHECK(
      Parse(c.inputs) ==
      Parse(
          R"({"gen_ai.prompt":[{"role":"user","content":"hi"},{"role":"assistant","content":"yes"}]})"));
  CHECK(
      Parse(c.attributes) ==
      Parse(
          R"({"system":"openai","model":"gpt-4o","model_parameters":{"model":"gpt-4o"},"team":"x"})"));
  CHECK(c.display_name == "Chat");
  CHECK(c.thread_id == "th");
  CHECK(c.turn_id == "b7ad6b7169203331");
  CHECK(c.wb_run_id == "e/p:r1");
  CHECK(c.wb_run_step == 4);
  CHECK(c.wb_user_id == "me");
  Json dump = Parse(c.otel_dump);
  CHECK(dump["context"]["span_id"] == "b7ad6b7169203331");
  CHECK(dump["start_time"] == "2023-11-14T22:13:20");
  CHECK(dump["end_time"] == "2023-11-14T22:13:20.250000");
  CHECK(dump["status"] == Parse(R"({"code":"ERROR","message":"rate limited"})"));
  const CallRecord& e = call->end.call;
  CHECK(e.exception == "rate limited");
  CHECK(Parse(e.output) == Parse(R"({"gen_ai.completion":[{"content":"hello"}]})"));
  CHECK(
      Parse(e.summary)["usage"]["gpt-4o"] ==
      Parse(
          R"({"input_tokens":3,"output_tokens":5,"total_tokens":8,"prompt_tokens":null,"completion_tokens":null,"requests":null})"));
}

TEST_CASE("OpenInference, Vercel, events and the fall-backs") {
  // OpenInference: input.value as a JSON string, kept under its key.
  auto oi = SpanToCall(SpanWith({{"input.value", "{\"q\": 1}"},
                                 {"output.value", "done"},
                                 {"openinference.span.kind", "LLM"},
                                 {"llm.token_count.prompt", 2}}),
                       Json::object(), 0, "e/p", "u");
  REQUIRE(oi.ok());
  CHECK(Parse(oi->start.call.inputs) == Parse(R"({"input.value":{"q":1}})"));
  CHECK(Parse(oi->end.call.output) == Parse(R"({"output.value":"done"})"));
  CHECK(Parse(oi->end.call.summary)["usage"]["usage"]["prompt_tokens"] == 2);
  // A lone "input" object stands for the inputs; a lone "output" for the output.
  auto plain = SpanToCall(SpanWith({{"input.x", 1}, {"output", 7}}), Json::object(), 0, "e/p", "u");
  REQUIRE(plain.ok());
  CHECK(Parse(plain->start.call.inputs) == Parse(R"({"x":1})"));
  CHECK(plain->end.call.output == "7");
  // Inputs found among the span's events.
  OtelSpan with_event = SpanWith({});
  with_event.events.push_back({"gen_ai.user.message", 1, {{"content", "hey"}}, 0});
  auto ev = SpanToCall(with_event, Json::object(), 0, "e/p", "u");
  REQUIRE(ev.ok());
  CHECK(Parse(ev->start.call.inputs) ==
        Parse(R"({"events.gen_ai.user.message":[{"content":"hey"}]})"));
  // Nothing extracted: the whole attribute map is the call's attributes.
  auto other = SpanToCall(SpanWith({{"http.method", "GET"}, {"http.route", "/x"}}), Json::object(),
                          0, "e/p", "u");
  REQUIRE(other.ok());
  CHECK(Parse(other->start.call.attributes) == Parse(R"({"http":{"method":"GET","route":"/x"}})"));
  CHECK(Parse(other->end.call.summary)["usage"].contains("usage"));
}

TEST_CASE("long names are shortened as Weave's shorten_name does") {
  CHECK(ShortenName("hello/world.txt", 10, "...", true) == "hello/...");
  CHECK(ShortenName("hello/world.txt", 10, "...", false) == "hello...");
  CHECK(ShortenName("hello/world.txt", 20, "...", true) == "hello/world.txt");
  CHECK(ShortenName("verylongword", 8, "...", true) == "veryl...");
  CHECK(ShortenName("hello/world.txt", 10, ":1234", false) == "hello:1234");
  OtelSpan long_name = SpanWith({});
  long_name.name = std::string(200, 'a');
  auto shortened = SpanToCall(long_name, Json::object(), 0, "e/p", "u");
  REQUIRE(shortened.ok());
  CHECK(shortened->op.size() == 128);
  CHECK(shortened->op[123] == ':');
}

TEST_CASE("spans are stored once, in their resource's project, children before parents") {
  testing::Server s;
  OtelRequest request(2);
  request[0].resource = {{"wandb.entity", "acme"}, {"wandb.project", "app"}};
  OtelSpan child = SpanWith({});
  child.span_id = "1111111111111111";
  child.parent_id = "b7ad6b7169203331";
  request[0].spans = {child, SpanWith({})};
  request[1].spans = {SpanWith({{"a", 1}, {"a.b", 2}})};  // no project, and a conflict
  for (int round = 0; round < 2; ++round) {
    auto outcome = ExportSpans(request, "", s.ctx);
    REQUIRE(outcome.ok());
    CHECK(outcome->spans == 3);
    CHECK(outcome->rejected == 1);
    CHECK(outcome->message.find("no project") != std::string::npos);
  }
  Json calls =
      s.Ok("calls_query", {{"project_id", "acme/app"},
                           {"sort_by", {{{"field", "id"}, {"direction", "asc"}}}}})["calls"];
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["parent_id"] == "b7ad6b7169203331");
  CHECK(calls[1]["op_name"] == calls[0]["op_name"]);  // one placeholder op version for the name
  std::string op = calls[0]["op_name"];
  CHECK(op.starts_with("weave:///acme/app/op/chat_gpt-4o:"));
  Json ops =
      s.Ok("objs_query", {{"project_id", "acme/app"}, {"filter", {{"is_op", true}}}})["objs"];
  REQUIRE(ops.size() == 1);
  CHECK(ops[0]["val"]["files"].contains("obj.py"));
}

TEST_CASE("what the writers write, the readers read back") {
  OtelRequest request(1);
  request[0].resource = {{"service.name", "weft"}, {"n", 3}};
  OtelSpan s = SpanWith({{"s", ""},
                         {"i", -7},
                         {"d", 1.5},
                         {"b", false},
                         {"l", Parse(R"([1,"x",{"k":true}])")},
                         {"o", Parse(R"({"a":{"b":null}})")}});
  s.parent_id = "1111111111111111";
  s.kind = 3;
  s.status_code = 2;
  s.status_message = "no";
  s.events.push_back({"e", 5, {{"k", "v"}}, 0});
  s.links.push_back(
      {"0af7651916cd43dd8448eb211c80319c", "2222222222222222", "st", {{"x", 1}}, 0, 1});
  request[0].spans = {s};
  for (bool proto : {true, false}) {
    auto back = proto ? DecodeOtlpProto(OtlpProto(request)) : DecodeOtlpJson(OtlpJson(request));
    REQUIRE(back.ok());
    const OtelSpan& t = (*back)[0].spans[0];
    CHECK((*back)[0].resource == request[0].resource);
    CHECK(t.trace_id == s.trace_id);
    CHECK(t.span_id == s.span_id);
    CHECK(t.parent_id == s.parent_id);
    CHECK(t.kind == 3);
    CHECK(t.start_ns == s.start_ns);
    CHECK(t.end_ns == s.end_ns);
    CHECK(t.attributes == s.attributes);
    CHECK((t.status_code == 2 && t.status_message == "no"));
    CHECK((t.events.size() == 1 && t.events[0].attributes == s.events[0].attributes));
    CHECK(
        (t.links.size() == 1 && t.links[0].span_id == "2222222222222222" && t.links[0].flags == 1));
  }
}
