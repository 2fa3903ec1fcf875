// The OpenTelemetry JS SDK exporting spans to weft serve, as an app would
// (tests/e2e/test_otel_sdk.py runs it). OTLP_URL is the traces endpoint;
// OTLP_PROTOCOL is proto or json; OTLP_GZIP=1 compresses; WEFT_OTEL_PROJECT
// goes into the resource as wandb.entity/wandb.project. With TRACEPARENT
// set, one more span is made as the child of that span. Prints the trace
// id and each span's id by name.
import { trace, SpanStatusCode, ROOT_CONTEXT } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";

const Exporter = process.env.OTLP_PROTOCOL === "json" ? JsonExporter : ProtoExporter;
const exporter = new Exporter({ url: process.env.OTLP_URL, compression: process.env.OTLP_GZIP === "1" ? "gzip" : "none" });
const [entity, project] = (process.env.WEFT_OTEL_PROJECT || "").split("/");
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ "service.name": "otel-test", "wandb.entity": entity, "wandb.project": project }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],  // each span is sent as it ends: children before parents
});
const tracer = provider.getTracer("weft-test");
const ids = {};

// No context manager is registered: the parent is passed explicitly.
function child(name, attributes, fail) {
  const span = tracer.startSpan(name, { attributes }, trace.setSpan(ROOT_CONTEXT, root));
  ids[name] = span.spanContext().spanId;
  if (fail) span.setStatus({ code: SpanStatusCode.ERROR, message: fail });
  span.end();
}

const root = tracer.startSpan("pipeline", { attributes: { "wandb.display_name": "Pipeline run", "wandb.thread_id": "thread-7", "wandb.is_turn": true } });
ids.pipeline = root.spanContext().spanId;
child("openinference llm", {
  "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o", "input.value": JSON.stringify({ question: "2+2?" }),
  "output.value": "4", "llm.token_count.prompt": 7, "llm.token_count.completion": 1,
});
child("gen_ai indexed", {
  "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o-mini", "gen_ai.prompt.0.role": "user",
  "gen_ai.prompt.0.content": "hi", "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "hello",
  "gen_ai.usage.prompt_tokens": 3, "gen_ai.usage.completion_tokens": 5,
});
child("gen_ai messages", {
  "gen_ai.operation.name": "chat", "gen_ai.response.model": "claude-x",
  "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "hey" }] }]),
  "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "yo" }] }]),
  "gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 2,
});
child("traceloop task", { "traceloop.span.kind": "task", "traceloop.entity.input": JSON.stringify({ x: 1 }), "traceloop.entity.output": JSON.stringify({ y: 2 }) });
child("vercel generate", { "ai.model.id": "gpt-4.1", "ai.model.provider": "openai.chat", "ai.prompt": JSON.stringify({ prompt: "write" }), "ai.response": "done", "ai.usage.promptTokens": 4, "ai.usage.completionTokens": 6 });
child("fails", { "step": 3 }, "boom");
child("conflict", { "a": 1, "a.b": 2 });
root.end();

if (process.env.TRACEPARENT) {
  const parent = new W3CTraceContextPropagator().extract(ROOT_CONTEXT, { traceparent: process.env.TRACEPARENT }, {
    get: (carrier, key) => carrier[key], keys: (carrier) => Object.keys(carrier),
  });
  const span = tracer.startSpan("child of step", {}, parent);
  ids["child of step"] = span.spanContext().spanId;
  ids.step_trace = span.spanContext().traceId;
  span.end();
}

await provider.forceFlush();
await provider.shutdown();
console.log(JSON.stringify({ trace_id: root.spanContext().traceId, ids }));
