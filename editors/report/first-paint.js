// Opens a twin report in headless Chromium and prints when it painted first and when the
// page's script had drawn everything (median of RUNS fresh loads), for BENCHMARKS.md:
//   node editors/report/first-paint.js twin-report.html [RUNS]
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

(async () => {
  const file = path.resolve(process.argv[2]);
  const runs = Number(process.argv[3] || 5);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "twin-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  const fcp = [], drawn = [];
  const errors = [];
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`file://${file}`, { waitUntil: "load" });
    await page.waitForSelector("#graph .node");
    const t = await page.evaluate(() => {
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      return { fcp: paint ? paint.startTime : null, load: performance.getEntriesByType("navigation")[0].loadEventEnd };
    });
    fcp.push(t.fcp);
    drawn.push(t.load);
    await page.close();
  }
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${path.basename(file)}: ${(fs.statSync(file).size / 1048576).toFixed(2)} MB, first contentful paint median ${Math.round(median(fcp))} ms [${fcp.map(Math.round).join(", ")}], load (script done) median ${Math.round(median(drawn))} ms`);
  if (errors.length) { console.error(errors.join("\n")); process.exit(1); }
})();
