// Records into weft serve with Weave's TypeScript SDK, unmodified: nested
// ops, an op that throws, a Dataset read back by ref, an Evaluation with a
// scorer, an EvaluationLogger score, getCalls and setDisplayName, a price
// added with the SDK's cost API and read back with getCalls' includeCosts. Prints a
// JSON summary of what the SDK saw, which the Python side checks against
// what weft's CLI reads from the store. Run by tests/e2e/test_sdk_typescript.py.
import * as weave from 'weave';

const client = await weave.init('acme/sdk');

const add = weave.op(async function add(a, b) { return a + b; });
const fail = weave.op(async function fail(x) { throw new Error('boom ' + x); });
const pipeline = weave.op(async function pipeline(x) {
  const sum = await add(x, 1);
  try { await fail(sum); } catch (e) { /* recorded as the child's exception */ }
  return sum * 2;
});
const [result, rootCall] = await pipeline.invoke(20);
await rootCall.setDisplayName('renamed root');

const dataset = new weave.Dataset({ id: 'questions', rows: [{ q: 'one', a: 1 }, { q: 'two', a: 2 }] });
const datasetRef = await dataset.save();
const fetched = await client.get(datasetRef);
const fetchedRows = [];
for await (const row of fetched) fetchedRows.push({ q: row.q, a: row.a });

const model = weave.op(async function model({ datasetRow }) { return datasetRow.a * 10; });
const exact = weave.op(async function exact({ datasetRow, modelOutput }) { return { correct: modelOutput === datasetRow.a * 10 }; });
const evaluation = new weave.Evaluation({ id: 'eval', dataset, scorers: [exact] });
const scores = await evaluation.evaluate({ model });

const logger = new weave.EvaluationLogger({ name: 'logged-eval', dataset: 'questions', scorers: ['quality'] });
const pred = logger.logPrediction({ q: 'three' }, 3);
pred.logScore('quality', 0.75);
pred.finish();
await logger.logSummary();

// An op that reports token usage (as the SDK's OpenAI integration does), a
// project price for its model, and the call's cost as the SDK reads it.
const chat = weave.op(async function chat(q) { return 'answer to ' + q; }, {
  summarize: () => ({ usage: { 'weft-test-model': { requests: 1, prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } } }),
});
await chat('price');
await client.traceServerApi.cost.costCreateCostCreatePost({
  project_id: 'acme/sdk',
  costs: { 'weft-test-model': { prompt_token_cost: 0.001, completion_token_cost: 0.002, effective_date: '2020-01-01T00:00:00Z' } },
});

await client.waitForBatchProcessing();
let chatCosts = null;
for await (const call of client.getCallsIterator({}, true))
  if (call.op_name.includes('/op/chat:')) chatCosts = call.summary.weave.costs;
const calls = await client.getCalls();
const root = calls.find(c => c.op_name.includes('/op/pipeline:'));

console.log(JSON.stringify({
  result,
  datasetRef: datasetRef.uri(),
  fetchedRows,
  scores,
  rootId: root.id,
  callCount: calls.length,
  chatCosts,
}));
