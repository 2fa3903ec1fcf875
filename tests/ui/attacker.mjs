// A web page as an attacker of a running weft ui (or serve), in Debian's
// chromium: served from another loopback origin, it tries to read the
// store and to write into it (a text/plain form, no-cors fetches, a
// multipart upload); then, as a DNS-rebinding page would, it loads the
// server under a foreign name that resolves to 127.0.0.1 and reads from
// there. Prints what each attempt got as JSON; tests/e2e/test_ui.py checks
// that nothing got through.
//   node attacker.mjs WEFT_URL
import http from "node:http";
import puppeteer from "puppeteer-core";

const [target] = process.argv.slice(2);
const weftPort = new URL(target).port;
const write = (id) => JSON.stringify({ obj: { project_id: "acme/app", object_id: id, val: 1 } });

const attack = `<!doctype html><body>
<form id="f" method="POST" action="${target}/obj/create" enctype="text/plain" target="sink">
<input name='{"obj": {"project_id": "acme/app", "object_id": "by-form", "val": 1}, "x": "' value='"}'>
</form><iframe name="sink"></iframe>
<script>
window.results = (async () => {
  const T = ${JSON.stringify(target)}, out = {};
  const attempt = async (name, f) => { try { out[name] = await f(); } catch (e) { out[name] = "blocked"; } };
  await attempt("read_projects", async () => (await fetch(T + "/weft/projects")).text());
  await attempt("read_calls", async () => (await fetch(T + "/calls/query",
    { method: "POST", body: JSON.stringify({ project_id: "acme/app" }) })).text());
  await attempt("no_cors_write", async () => { await fetch(T + "/obj/create",
    { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: ${JSON.stringify(write("by-no-cors"))} }); return "sent"; });
  await attempt("no_cors_upload", async () => { const form = new FormData();
    form.append("project_id", "acme/app"); form.append("file", new Blob(["pwned"]), "f.txt");
    await fetch(T + "/file/create", { method: "POST", mode: "no-cors", body: form }); return "sent"; });
  document.getElementById("f").submit();
  await new Promise((r) => setTimeout(r, 1500));
  return out;
})();
</script></body>`;

const evil = http.createServer((req, res) => { res.setHeader("Content-Type", "text/html"); res.end(attack); });
await new Promise((r) => evil.listen(0, "127.0.0.1", r));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
});
const seen = {};
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${evil.address().port}/`, { waitUntil: "load" });
  seen.crossOrigin = await page.evaluate(() => window.results);
  // DNS rebinding: the attacker's name now points at the server.
  const rebound = await page.goto(`http://rebind.test:${weftPort}/weft/projects`);
  seen.reboundStatus = rebound.status();
  seen.reboundBody = await rebound.text();
  seen.reboundPost = await page.evaluate(async (body) => {
    const r = await fetch("/obj/create", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    return r.status;
  }, write("by-rebinding"));
} finally {
  await browser.close();
  evil.close();
}
console.log(JSON.stringify(seen));
