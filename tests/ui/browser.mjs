// Drives Debian's chromium (headless, through puppeteer-core) over a
// weft ui page as a user would, and prints what it saw as JSON; the
// screenshots of each view go to SHOTS. tests/e2e/test_ui.py checks it.
//   node browser.mjs URL PROJECT SHOTS CHAT_PROJECT EVALS_PROJECT
import puppeteer from "puppeteer-core";

const [url, project, shots, chat, evals] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const seen = {};
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Every request the page makes, to check that none leaves the server.
  seen.elsewhere = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) seen.elsewhere.push(r.url()); });
  const rows = (sel) => page.$$eval(sel, (trs) => trs.map((tr) => tr.innerText.split("\t").map((s) => s.trim())));

  // A list's rows and headings without the leading cell that picks rows to compare.
  const heads = async () => (await page.$$eval("table.calls thead th", (ths) => ths.map((th) => th.innerText.trim()))).slice(1);
  const listed = async (sel) => (await rows(sel)).map((r) => r.slice(1));

  // The start page: traces, each with its calls, tokens, cost and first error.
  await page.goto(`${url}/?project=${project}`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.calls tbody tr");
  seen.traces = await listed("table.calls tbody tr");
  seen.tracesHead = await heads();
  await page.screenshot({ path: `${shots}/traces.png` });

  // The column picker adds a column, and the URL keeps it.
  await page.click("details.columns summary");
  await Promise.all([page.waitForFunction(() => location.search.includes("cols=")), page.click("input[name=col-op]")]);
  await page.waitForFunction(() => [...document.querySelectorAll("table.calls thead th")].some((th) => th.innerText === "op"));
  seen.pickedHead = await heads();

  // Every call, newest first.
  await page.goto(`${url}/?project=${project}&all=1`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.calls tbody tr");
  seen.list = await listed("table.calls tbody tr");
  seen.pager = await page.$eval(".pager span", (e) => e.innerText);
  await page.screenshot({ path: `${shots}/calls.png` });

  // A filter narrows them, and the URL keeps it.
  await page.select("select[name=status]", "error");
  await Promise.all([page.waitForFunction(() => location.search.includes("status=error")), page.click("form.filters button")]);
  await page.waitForFunction(() => document.querySelectorAll("table.calls tbody tr").length > 0 &&
    [...document.querySelectorAll("table.calls tbody .status")].every((s) => s.classList.contains("error")));
  seen.errors = await listed("table.calls tbody tr");
  seen.filterUrl = await page.evaluate(() => location.search);
  await page.screenshot({ path: `${shots}/calls-filtered.png` });

  // A trace: its tree and the detail.
  await page.goto(`${url}/?project=${project}`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.calls tbody tr");
  await page.click("table.calls tbody tr");
  await page.waitForSelector(".tree .node");
  await page.waitForSelector(".detail h2");
  seen.tree = await page.$$eval(".tree .node", (nodes) => nodes.map((n) => ({
    depth: Number(n.dataset.depth), name: n.querySelector(".name").innerText,
    status: n.querySelector(".status").getAttribute("title") })));
  seen.detail = await page.$eval(".detail h2", (e) => e.innerText);
  seen.logs = await page.$eval(".detail pre.log", (e) => e.textContent);
  await page.screenshot({ path: `${shots}/trace.png` });

  // Feedback: the root's reaction and note; then a reaction and a note given here.
  const reactions = () => page.$$eval(".reactions .reaction", (rs) => rs.map((r) => r.innerText));
  seen.reactions = await reactions();
  seen.notes = await page.$$eval(".feedback .notes li", (lis) => lis.map((li) => li.innerText));
  await page.click("button.react[title='react with 🎉']");
  await page.waitForFunction(() => document.querySelectorAll(".reactions .reaction").length === 2);
  seen.reactionsAfter = await reactions();
  await page.type("form.note textarea", "from the browser");
  await page.click("form.note button");
  await page.waitForFunction(() => document.querySelectorAll(".feedback .notes li").length === 2);
  await page.screenshot({ path: `${shots}/feedback.png` });

  // Keyboard: j moves to the next call, Enter selects it.
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("call") === "load" &&
    document.querySelector(".detail h2").innerText.includes("load"));
  seen.afterKeys = await page.$eval(".detail h2", (e) => e.innerText);

  // A ref in the inputs opens its object; a dataset shows its rows.
  const ref = await page.$(".detail a.ref[data-ref*='/object/']");
  if (!ref) {
    await page.click(".tree .node");  // the root holds the dataset ref
    await page.waitForSelector(".detail a.ref[data-ref*='/object/']");
  }
  await page.click(".detail a.ref[data-ref*='/object/']");
  await page.waitForSelector("table.rows tbody tr");
  seen.object = await page.$eval("main h2", (e) => e.innerText);
  seen.rows = await rows("table.rows tbody tr");
  await page.screenshot({ path: `${shots}/dataset.png` });

  // Escape goes back to the trace.
  await page.keyboard.press("Escape");
  await page.waitForSelector(".tree .node");
  seen.back = true;

  // Charts of the calls: over time, latency per op, tokens per model.
  await page.goto(`${url}/?project=${project}&view=charts`, { waitUntil: "networkidle0" });
  await page.waitForSelector("svg.chart");
  seen.charts = await page.$$eval(".chart-section", (ss) => ss.map((s) => ({
    title: s.querySelector("h3").innerText, bars: s.querySelectorAll("rect").length,
    texts: [...s.querySelectorAll("text")].map((t) => t.textContent) })));
  await page.screenshot({ path: `${shots}/charts.png` });

  // Two traces picked in the list open side by side; a step opens both calls.
  await page.goto(`${url}/?project=${evals}`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.calls tbody tr");
  for (const box of await page.$$("table.calls tbody input.pick")) await box.click();
  await Promise.all([page.waitForSelector("table.steps tbody tr"), page.click("button.compare")]);
  seen.compareUrl = await page.evaluate(() => location.search);
  seen.steps = await rows("table.steps tbody tr");
  await page.click("table.steps tbody tr:nth-child(3)");
  await page.waitForSelector(".pair table.diff");
  seen.diffOld = await page.$$eval(".pair table.diff td.old", (tds) => tds.map((td) => td.textContent));
  seen.diffNew = await page.$$eval(".pair table.diff td.new", (tds) => tds.map((td) => td.textContent));
  await page.screenshot({ path: `${shots}/compare.png`, fullPage: true });

  // Evaluations: the list; two picked compare row by row; one alone as its table.
  await page.goto(`${url}/?project=${evals}&view=evals`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.evals tbody tr");
  seen.evals = await listed("table.evals tbody tr");
  await page.screenshot({ path: `${shots}/evals.png` });
  const picks = await page.$$("table.evals tbody input.pick");
  await picks[1].click();  // the older first: the baseline
  await picks[0].click();
  await Promise.all([page.waitForSelector("table.eval-rows tbody tr"), page.click("button.compare")]);
  seen.evalScores = await rows("table.scores tbody tr");
  seen.evalRows = await rows("table.eval-rows tbody tr");
  await page.screenshot({ path: `${shots}/eval-compare.png`, fullPage: true });
  await page.goto(`${url}/?project=${evals}&view=eval&evals=e2`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.eval-rows tbody tr");
  seen.evalSingle = await rows("table.eval-rows tbody tr");
  await page.screenshot({ path: `${shots}/eval.png`, fullPage: true });

  // Threads: the conversations of a project, then one as its turns.
  await page.goto(`${url}/?project=${chat}&view=threads`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.threads tbody tr");
  seen.threads = await rows("table.threads tbody tr");
  await page.screenshot({ path: `${shots}/threads.png` });
  await page.click("table.threads tbody tr");
  await page.waitForSelector(".conversation .turn");
  seen.turns = await page.$$eval(".conversation .turn", (ts) => ts.map((t) => t.innerText));
  await page.screenshot({ path: `${shots}/thread.png` });

  // The objects list.
  await page.goto(`${url}/?project=${project}&view=objects`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.objects tbody tr");
  seen.objects = await rows("table.objects tbody tr");
  await page.screenshot({ path: `${shots}/objects.png` });

  // An op's page shows its source code.
  await page.goto(`${url}/?project=${project}&view=object&name=hello&kind=op`, { waitUntil: "networkidle0" });
  await page.waitForSelector("pre.code");
  seen.code = await page.$eval("pre.code", (e) => e.innerText);
  await page.screenshot({ path: `${shots}/op.png` });
  await page.click(".versions a.vs");
  await page.waitForSelector(".side-by-side table.diff");
  seen.versionOld = await page.$$eval(".side-by-side > div td.old", (tds) => tds.map((td) => td.textContent));
  seen.versionNew = await page.$$eval(".side-by-side > div td.new", (tds) => tds.map((td) => td.textContent));
  await page.screenshot({ path: `${shots}/op-versions.png` });
  // The dark theme follows the system's.
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
  await page.goto(`${url}/?project=${project}`, { waitUntil: "networkidle0" });
  await page.waitForSelector("table.calls tbody tr");
  seen.darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.screenshot({ path: `${shots}/traces-dark.png` });
  seen.pageErrors = errors;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
