// Writes core/costs/default_prices.json, the prices weft ships
// (docs/costs.md#default-prices), from @pydantic/genai-prices (MIT), the
// version package-lock.json pins. Run: npm ci && node gen.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { findProvider } from "@pydantic/genai-prices";

const require = createRequire(import.meta.url);
const dist = readFileSync(require.resolve("@pydantic/genai-prices"), "utf8");
const pkg = JSON.parse(readFileSync(new URL("node_modules/@pydantic/genai-prices/package.json", import.meta.url), "utf8"));
// The package exports no list of providers: every id in its data is tried.
const ids = [...new Set([...dist.matchAll(/\bid: ?"([A-Za-z0-9_.-]+)"/g)].map((m) => m[1]))]
  .filter((id) => findProvider({ providerId: id })?.id === id);

const epoch = "1970-01-01T00:00:00Z";
const perToken = (p) => (p == null ? null : typeof p === "number" ? p / 1e6 : typeof p.base === "number" ? p.base / 1e6 : null);
// The names a model matches: exact names, and prefixes ("claude-3-opus" matches "claude-3-opus-20240229").
function names(match, out) {
  if (match.equals) out.push([match.equals, false]);
  else if (match.starts_with) out.push([match.starts_with, true]);
  else if (match.or) match.or.forEach((m) => names(m, out));
  return out;
}

const rows = [];
for (const id of ids) {
  const provider = findProvider({ providerId: id });
  if (!provider) continue;
  for (const model of provider.models) {
    const versions = Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }];
    for (const v of versions) {
      const input = perToken(v.prices.input_mtok), output = perToken(v.prices.output_mtok);
      if (input == null || output == null) continue;
      const since = v.constraint?.start_date ? new Date(v.constraint.start_date).toISOString().replace(".000Z", "Z") : epoch;
      for (const [name, prefix] of names(model.match, [[model.id, false]]))
        rows.push([name, provider.id, input, output, perToken(v.prices.cache_read_mtok) ?? 0,
                   perToken(v.prices.cache_write_mtok) ?? 0, since, prefix ? 1 : 0]);
    }
  }
}
const seen = new Set();
const unique = rows.filter((r) => { const k = r.join("\u0000"); return !seen.has(k) && seen.add(k); });
unique.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
const out = {
  source: `${pkg.name} ${pkg.version} (${pkg.license}), https://github.com/pydantic/genai-prices`,
  date: new Date().toISOString().slice(0, 10),
  columns: ["llm_id", "provider_id", "prompt_token_cost", "completion_token_cost", "cache_read_input_token_cost",
            "cache_creation_input_token_cost", "effective_date", "prefix"],
  prices: unique,
};
writeFileSync(new URL("../../core/costs/default_prices.json", import.meta.url),
  "{" + Object.entries(out).map(([k, v]) => JSON.stringify(k) + ": " +
    (k === "prices" ? "[\n" + v.map((r) => JSON.stringify(r)).join(",\n") + "\n]" : JSON.stringify(v))).join(",\n") + "}\n");
console.log(`${unique.length} prices from ${ids.length} providers`);
