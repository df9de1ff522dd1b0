// Checks report.html in headless Chromium; `run` beside this file installs what it needs and
// calls it as `node check.mjs CHROMIUM PAGE SHOTS`. Every failure is collected and printed, and
// the exit status is 1 when there is one. docs/html.md lists what is checked and why.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const [chrome, pagePath, shots] = process.argv.slice(2);
if (!chrome || !pagePath || !shots) {
  console.error("usage: node check.mjs CHROMIUM PAGE SHOTS");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const fileUrl = pathToFileURL(path.resolve(pagePath)).href;
const results = JSON.parse(readFileSync(path.join(path.dirname(pagePath), "results.json"), "utf8"));
const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];

const failures = [];
const fail = (what) => failures.push(what);

// docs/html.md: an id is a dotted path with `.` as `-` and anything but [A-Za-z0-9_-] as `_`.
const anchor = (p) => p.replace(/\./g, "-").replace(/[^A-Za-z0-9_-]/g, "_");
// A step's multiplier as the headline ids write it: 4, 1.5.
const step = (k) => String(Number(k.toPrecision(12)));

/** The anchors docs/html.md documents for this results.json, by kind. */
function documentedAnchors(r) {
  const ids = [];
  for (const s of r.scenarios) {
    const horizon = s.projection[s.projection.length - 1].months;
    for (const m of [12, horizon]) {
      for (const q of ["p5", "p50", "p95"]) ids.push(anchor(`${s.id}.uplift.${m}m.${q}`));
    }
    for (const t of s.thresholds) {
      for (const m of [12, horizon]) ids.push(anchor(`${s.id}.threshold.${step(t.multiplier)}x.${m}m`));
    }
    for (const c of s.elicitation_time) {
      ids.push(anchor(`${s.id}.calendar.${c.clause}.${c.kind}.${c.months}m`));
    }
    for (const column of ["gap", "growth-6m", "growth-12m", "kappa-fixed", "uplift-12m"]) {
      ids.push(`brief-${anchor(s.id)}-${column}`);
    }
  }
  // A clause in force (not superseded) with a calendar leg has the brief's sentence.
  for (const c of r.inputs.clauses) {
    const calendar = c.triggers.some((t) => t.kind === "periodic" || t.kind === "elicitation_time");
    if (!c.superseded_by && calendar) ids.push(`brief-clause-${anchor(c.id)}`);
  }
  return [...new Set(ids)];
}

const browser = await puppeteer.launch({
  executablePath: chrome,
  headless: true,
  // Root in a CI container has no user namespace for the sandbox.
  args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"],
});
const started = Date.now();
try {
  const page = await browser.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") fail(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => fail(`page error: ${e.message}`));
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    const url = req.url();
    if (url.split("#")[0] === fileUrl || url.startsWith("data:")) {
      req.continue();
    } else {
      fail(`request beyond the file: ${url}`);
      req.abort();
    }
  });

  await page.setViewport({ width: WIDTHS[0].width, height: WIDTHS[0].height });
  await page.goto(fileUrl, { waitUntil: "load" });
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (!lang) fail("<html> has no lang attribute");

  // Every documented anchor of these results, then every other id outside the charts.
  const documented = documentedAnchors(results);
  const others = await page.evaluate(() =>
    [...document.querySelectorAll("[id]")].filter((e) => !e.closest("svg")).map((e) => e.id),
  );
  const all = [...new Set([...documented, ...others])];

  const summary = [];
  for (const w of WIDTHS) {
    await page.setViewport({ width: w.width, height: w.height });
    await page.evaluate(() => {
      location.hash = "";
      window.scrollTo(0, 0);
    });

    // No horizontal overflow: wide tables and charts scroll inside their own box.
    const overflow = await page.evaluate(() => {
      const width = window.innerWidth;
      const scrollWidth = document.scrollingElement.scrollWidth;
      const culprits = [];
      if (scrollWidth > width) {
        // The deepest elements whose content sticks out of their box (a long word, a wide
        // child), or that reach past the window, outside any box that scrolls or clips.
        const unclipped = (e) => {
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== "visible") return false;
          }
          return true;
        };
        const wide = (e) =>
          !e.closest("svg") &&
          getComputedStyle(e).overflowX === "visible" &&
          (e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > width + 0.5) &&
          unclipped(e);
        const all = [...document.body.querySelectorAll("*")].filter(wide);
        for (const e of all) {
          if (all.some((c) => c !== e && e.contains(c))) continue;
          const text = (e.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);
          culprits.push(`<${e.tagName.toLowerCase()}${e.id ? ` id="${e.id}"` : ""}> ${e.scrollWidth} px wide in ${e.clientWidth} px: "${text}"`);
          if (culprits.length === 8) break;
        }
      }
      return { width, scrollWidth, culprits };
    });
    summary.push(`${w.width} px: page ${overflow.scrollWidth} px wide in a ${overflow.width} px window`);
    if (overflow.scrollWidth > overflow.width) {
      fail(`${w.width} px: the page is ${overflow.scrollWidth} px wide, wider than the window (${overflow.width} px); what sticks out: ${overflow.culprits.join("; ") || "none found"}`);
    }

    // Each anchor exists, and its fragment brings it into the viewport.
    const unreachable = await page.evaluate((ids) => {
      const bad = [];
      for (const id of ids) {
        const e = document.getElementById(id);
        if (!e) {
          bad.push(`${id}: no element`);
          continue;
        }
        location.hash = id;
        const r = e.getBoundingClientRect();
        const seen = r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
        if (!seen) bad.push(`${id}: at (${Math.round(r.left)}, ${Math.round(r.top)}) after #${id}`);
      }
      // Fragments scroll the boxes of wide tables too; put them back for the screenshots.
      location.hash = "";
      window.scrollTo(0, 0);
      for (const e of document.querySelectorAll(".scroll")) e.scrollLeft = 0;
      return bad;
    }, all);
    for (const u of unreachable) fail(`${w.width} px: anchor ${u}`);
    summary.push(`${w.width} px: ${all.length - unreachable.length} of ${all.length} anchors (${documented.length} documented for these results) reached by their fragment`);

    const top = path.join(shots, `report-${w.width}px-top.png`);
    await page.screenshot({ path: top, clip: { x: 0, y: 0, width: w.width, height: 2 * w.height }, captureBeyondViewport: true });
    await page.evaluate(() => document.getElementById("brief").scrollIntoView());
    const brief = path.join(shots, `report-${w.width}px-brief.png`);
    await page.screenshot({ path: brief });
    summary.push(`screenshots: ${top} ${brief}`);

    // axe-core, with the page as it is at this width.
    await page.evaluate(() => window.scrollTo(0, 0));
    if (w === WIDTHS[0]) await page.evaluate(axeSource);
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.length,
        first: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`),
      }));
    });
    const serious = axe.filter((v) => v.impact === "serious" || v.impact === "critical");
    for (const v of serious) {
      fail(`${w.width} px: axe ${v.impact} ${v.id} (${v.help}) on ${v.nodes} element(s): ${v.first.join(" | ")}`);
    }
    const minor = axe.filter((v) => !serious.includes(v)).map((v) => `${v.id} (${v.impact}, ${v.nodes})`);
    summary.push(`${w.width} px: axe-core ${axe.length === 0 ? "no violations" : `${serious.length} serious or critical, others: ${minor.join(", ") || "none"}`}`);
  }

  console.log(`report.html in ${await browser.version()}: ${fileUrl}`);
  for (const line of summary) console.log(`  ${line}`);
  console.log(`  ${(Date.now() - started) / 1000} s in the browser; screenshots in ${shots}`);
} finally {
  await browser.close();
}

if (failures.length > 0) {
  console.error(`\nreport.html failed ${failures.length} browser check(s):`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log("report.html passed every browser check: no console or page error, no request beyond the file, anchors reachable, no horizontal overflow, no serious or critical axe-core violation");
