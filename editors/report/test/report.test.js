// twin report's page in a real browser: Debian's Chromium, headless, driven by
// playwright-core (no browser download). Checks what a person sees: the trend chart has
// points, the graph has nodes, a click on a node shows its findings, search focuses a
// note, and the console stays clean. Run by .ci/run; needs target/debug/twin.
//
// Environment: TWIN_BIN (the binary), CHROMIUM (default /usr/bin/chromium),
// TWIN_REPORT_SCREENSHOT (write the fixture's screenshot there, for docs/).

const test = require("node:test");
const assert = require("node:assert/strict");
const cp = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const REPO = path.resolve(__dirname, "../../..");
const BINARY = process.env.TWIN_BIN || path.join(REPO, "target/debug/twin");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// Flags for a quiet, offline, throwaway browser.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function twin(args, env = {}) {
  const run = cp.spawnSync(BINARY, args, { encoding: "utf8", timeout: 60000, env: { ...process.env, ...env } });
  assert.ok(run.status === 0 || run.status === 1, `twin ${args.join(" ")}: ${run.stderr}`);
  return run;
}

/** Opens `file` in a fresh Chromium profile; returns the page and the errors it logs. */
async function open(t, file) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "twin-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 1500 },
  });
  t.after(async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  // Anything but the page itself would be a network load: refuse and remember it.
  await page.route((url) => url.href !== `file://${file}`, (route) => {
    errors.push(`request for ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(`file://${file}`);
  return { page, errors };
}

test("the fixture's report shows a trend, the graph, and a note's findings on click", async (t) => {
  assert.ok(fs.existsSync(BINARY), `${BINARY} is missing: build it with \`cargo build\``);
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twin-report-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const vault = path.join(dir, "demo-vault");
  fs.cpSync(path.join(REPO, "fixtures/demo-vault"), vault, { recursive: true });
  // A history: the findings recorded ten days ago, one fixed since.
  twin(["check", vault, "--record"], { TWIN_NOW: new Date(Date.now() - 10 * 86400e3).toISOString().slice(0, 19) + "Z" });
  const essay = path.join(vault, "Projects/Drafts/Vault Linter Essay.md");
  fs.writeFileSync(essay, fs.readFileSync(essay, "utf8").replace("[[Tool-Assisted Writing]]", "Tool-Assisted Writing"));
  twin(["check", vault, "--record"]);
  const file = path.join(dir, "report.html");
  twin(["report", vault, "--out", file]);

  const { page, errors } = await open(t, file);
  const points = await page.locator("#trend circle.pt").count();
  assert.ok(points >= 2, `the chart has points (${points})`);
  // The fix raised the coherence score: two recorded scores, drawn as their own line.
  assert.equal(await page.locator("#trend polyline.score").count(), 1, "the score trend is drawn");
  assert.equal(await page.locator("#trend circle.score-pt").count(), 2, "one point per recorded score");
  const nodes = await page.locator("#graph .node").count();
  assert.equal(nodes, 33, "every note of the small vault is drawn");
  assert.ok(await page.locator("#graph line").count() > 0, "edges are drawn");
  assert.ok(await page.locator("#least tr").count() > 1, "least coherent notes are listed");

  const id = await page.evaluate(() => {
    const d = JSON.parse(document.getElementById("data").textContent);
    return d.notes.findIndex((n) => n[0] === "Projects/Drafts/Vault Linter Essay.md");
  });
  await page.locator(`#graph .node[data-id="${id}"]`).click();
  const findings = await page.locator("#panel-findings li").allTextContents();
  assert.ok(findings.length >= 3, findings.join("\n"));
  assert.ok(findings.some((f) => f.includes("broken-heading") && f.includes("Vault Linter Essay.md:21")), findings.join("\n"));
  assert.ok(await page.locator("#panel h3").first().textContent());

  // Search focuses a note's neighbourhood.
  await page.fill("#search", "Working Memory");
  await page.press("#search", "Enter");
  const shown = await page.locator("#graph .node").count();
  assert.ok(shown >= 2 && shown < 33, `the neighbourhood of Working Memory (${shown} notes)`);
  assert.match(await page.locator("#panel h3").first().textContent(), /Working Memory/);

  if (process.env.TWIN_REPORT_SCREENSHOT) {
    await page.locator("#show-default").click();
    await page.locator(`#graph .node[data-id="${id}"]`).click();
    const jpeg = /\.jpe?g$/.test(process.env.TWIN_REPORT_SCREENSHOT);
    await page.screenshot({ path: process.env.TWIN_REPORT_SCREENSHOT, fullPage: true, ...(jpeg ? { type: "jpeg", quality: 70 } : {}) });
  }
  assert.deepEqual(errors, [], "no console errors and no network requests");
});
