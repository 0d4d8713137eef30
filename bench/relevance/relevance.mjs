// relevance.mjs — for bench/relevance/run.sh: run every query of queries.tsv through
// `congkhai search` (cli), the portal's /tim-kiem/ page in headless chromium (browser)
// and, when indexed, Pagefind in the same chromium (pagefind); print first-hit rate,
// MRR@10, P@5 and nDCG@10 per engine for the tune set, the heldout set and all, the
// first-hit rate per category, and the first-query cost in the browser.
// usage: node relevance.mjs --congkhai BIN --site DIR [--pagefind DIR] --queries FILE
//        [--corpus DIR] [-v] [--engines cli,browser,pagefind]
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, statSync, readFileSync, readdirSync } from "node:fs";
import { join, dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
const congkhai = opt("--congkhai", "build/congkhai");
const site = opt("--site");
const pfSite = opt("--pagefind");
const corpus = opt("--corpus", join(HERE, "corpus"));
const verbose = args.includes("-v");
const engines = opt("--engines", "cli,browser,pagefind").split(",").filter((e) => e !== "pagefind" || pfSite);

// ---- queries and titles ----
const queries = readFileSync(opt("--queries", join(HERE, "queries.tsv")), "utf8").split("\n").slice(1)
  .filter((l) => l.trim()).map((l) => {
    const [id, set, category, query, relevant] = l.split("\t");
    const rel = new Map(relevant.split(",").map((x) => { const [c, g] = x.split(":"); return [c.trim(), Number(g)]; }));
    return { id, set, category, query, rel };
  });
const titles = new Map();
(function walk(d) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".md")) {
      const t = readFileSync(p, "utf8");
      const c = /^code: *"?([0-9.]+)"?/m.exec(t), ti = /^title: *"?(.*?)"?$/m.exec(t);
      if (c) titles.set(c[1], ti ? ti[1] : "");
    }
  }
})(join(corpus, "procedures"));
for (const q of queries) for (const c of q.rel.keys())
  if (!titles.has(c)) { console.error(`${q.id}: relevant code ${c} is not in the corpus`); process.exit(2); }

// ---- metrics ----
function metrics(q, got) {
  const top = got.slice(0, 10);
  const has2 = [...q.rel.values()].some((g) => g === 2);
  const target = (c) => (q.rel.get(c) || 0) >= (has2 ? 2 : 1);
  const relevant = (c) => (q.rel.get(c) || 0) >= 1;
  const first = top.length && target(top[0]) ? 1 : 0;
  const r = top.findIndex(relevant);
  const mrr = r >= 0 ? 1 / (r + 1) : 0;
  const nrel = [...q.rel.values()].filter((g) => g >= 1).length;
  const p5 = top.slice(0, 5).filter(relevant).length / Math.min(5, nrel);
  const gain = (g) => (2 ** g - 1);
  const dcg = top.reduce((s, c, i) => s + gain(q.rel.get(c) || 0) / Math.log2(i + 2), 0);
  const ideal = [...q.rel.values()].sort((a, b) => b - a).slice(0, 10)
    .reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  return { first, mrr, p5, ndcg: ideal ? dcg / ideal : 0 };
}

// ---- engines ----
function cliSearch(q) {
  const out = execFileSync(congkhai, ["search", "-o", site, "--json", "--limit", "10", "--", q],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out).filter((r) => r.code).map((r) => r.code);
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".css": "text/css",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".xml": "application/xml" };
function serve(root) {
  const server = createServer((req, res) => {
    let p = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!p.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (existsSync(p) && statSync(p).isDirectory()) p = join(p, "index.html");
    if (!existsSync(p)) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { "content-type": TYPES[extname(p)] || "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(p));
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

// Count what a fresh page loads beyond its document and stylesheet.
function meter(page) {
  const m = { requests: 0, bytes: 0, script: 0, pending: [] };
  page.on("response", (r) => {
    const u = r.url();
    if (r.request().resourceType() === "document" || u.endsWith(".css") || u.endsWith(".ico")) return;
    const script = r.request().resourceType() === "script";
    m.requests++;
    m.pending.push(r.body().then((b) => { m.bytes += b.length; if (script) m.script += b.length; }, () => {}));
  });
  return m;
}

async function browserSearch(browser, port, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const m = meter(page);
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${port}/tim-kiem/?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => (document.querySelector("#search-status") || {}).textContent,
    null, { timeout: 20000 });
  const ms = Date.now() - t0;
  // settle: status text and result links unchanged for 300 ms
  const snap = () => page.evaluate(() => [document.querySelector("#search-status").textContent,
    ...[...document.querySelectorAll("#search-results ol.results li h2 a")].slice(0, 10).map((a) => a.getAttribute("href"))].join("\n"));
  let last = await snap(), stable = Date.now();
  while (Date.now() - stable < 300) {
    await page.waitForTimeout(50);
    const s = await snap();
    if (s !== last) { last = s; stable = Date.now(); }
  }
  await Promise.all(m.pending);
  const codes = last.split("\n").slice(1).map((h) => (/\/thu-tuc\/([^/]+)\//.exec(h) || [])[1]).filter(Boolean);
  await ctx.close();
  return { codes, cost: { requests: m.requests, bytes: m.bytes, script: m.script, ms } };
}

async function pagefindSearch(browser, port, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`http://127.0.0.1:${port}/pf-bench.html`);
  const m = meter(page);
  const t0 = Date.now();
  const urls = await page.evaluate(async (q) => {
    const pf = await import("/pagefind/pagefind.js");
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return data.map((d) => d.url);
  }, q);
  const ms = Date.now() - t0;
  await Promise.all(m.pending);
  await ctx.close();
  const codes = [];
  for (const u of urls) { const c = (/\/thu-tuc\/([^/]+)\//.exec(u) || [])[1]; if (c && !codes.includes(c)) codes.push(c); }
  return { codes, cost: { requests: m.requests, bytes: m.bytes, script: m.script, ms } };
}

// ---- run ----
const results = {}; // engine -> [{q, codes, m, cost}]
let browser, servers = [];
try {
  if (engines.includes("cli")) results.cli = queries.map((q) => { const codes = cliSearch(q.query); return { q, codes, m: metrics(q, codes) }; });
  if (engines.some((e) => e !== "cli")) {
    const { chromium } = await import(join(HERE, "../../tests/browser/node_modules/playwright-core/index.mjs"));
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox",
      "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
    if (engines.includes("browser")) {
      const srv = await serve(site); servers.push(srv);
      results.browser = [];
      for (const q of queries) {
        let r;
        try { r = await browserSearch(browser, srv.address().port, q.query); }
        catch (e) { console.error(`browser ${q.id}: ${e.message.split("\n")[0]}`); r = { codes: [], cost: null }; }
        results.browser.push({ q, codes: r.codes, cost: r.cost, m: metrics(q, r.codes) });
      }
    }
    if (engines.includes("pagefind")) {
      const srv = await serve(pfSite); servers.push(srv);
      results.pagefind = [];
      for (const q of queries) {
        let r;
        try { r = await pagefindSearch(browser, srv.address().port, q.query); }
        catch (e) { console.error(`pagefind ${q.id}: ${e.message.split("\n")[0]}`); r = { codes: [], cost: null }; }
        results.pagefind.push({ q, codes: r.codes, cost: r.cost, m: metrics(q, r.codes) });
      }
    }
  }
} finally {
  if (browser) await browser.close();
  for (const s of servers) s.close();
}

// ---- report ----
const E = Object.keys(results);
const pad = (s, n) => String(s).padEnd(n);
const num = (x) => x.toFixed(3);
const mean = (a) => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : 0);
const subsets = [["tune", (q) => q.set === "tune"], ["heldout", (q) => q.set === "heldout"], ["all", () => true]];
console.log(`${queries.length} queries (${queries.filter((q) => q.set === "tune").length} tune, ${queries.filter((q) => q.set === "heldout").length} heldout); engines: ${E.join(", ")}\n`);
console.log("| metric | set | n | " + E.join(" | ") + " |");
console.log("|---|---|---|" + E.map(() => "---|").join(""));
for (const [k, label] of [["first", "first-hit"], ["mrr", "MRR@10"], ["p5", "P@5"], ["ndcg", "nDCG@10"]])
  for (const [name, f] of subsets) {
    const n = queries.filter(f).length;
    console.log(`| ${label} | ${name} | ${n} | ` + E.map((e) => num(mean(results[e].filter((r) => f(r.q)).map((r) => r.m[k])))).join(" | ") + " |");
  }
console.log("\nfirst-hit by category (all queries)\n");
console.log("| category | n | " + E.join(" | ") + " |");
console.log("|---|---|" + E.map(() => "---|").join(""));
for (const c of [...new Set(queries.map((q) => q.category))]) {
  const n = queries.filter((q) => q.category === c).length;
  console.log(`| ${c} | ${n} | ` + E.map((e) => num(mean(results[e].filter((r) => r.q.category === c).map((r) => r.m.first)))).join(" | ") + " |");
}
if (results.cli && results.browser) {
  const diff = queries.filter((q, i) => results.cli[i].codes.join() !== results.browser[i].codes.join());
  console.log(`\ncli and browser top 10: ${queries.length - diff.length} of ${queries.length} queries in the same order` +
    (diff.length ? ` (differ: ${diff.map((q) => q.id).join(" ")})` : ""));
}
const costs = E.filter((e) => e !== "cli");
if (costs.length) {
  console.log("\nfirst query on a fresh page (every query, a new browser context, no cache): requests beyond the page's document and stylesheet, KB fetched, ms to results\n");
  console.log("| engine | requests median / max | KB median / max | of which scripts | ms median / max | queries over 5 requests | over 60 KB | over 60 KB besides scripts |");
  console.log("|---|---|---|---|---|---|---|---|");
  const med = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : 0; };
  for (const e of costs) {
    const c = results[e].map((r) => r.cost).filter(Boolean);
    const rq = c.map((x) => x.requests), kb = c.map((x) => x.bytes / 1024), ms = c.map((x) => x.ms);
    const js = c.map((x) => x.script / 1024), data = c.map((x) => (x.bytes - x.script) / 1024);
    console.log(`| ${e} | ${med(rq)} / ${Math.max(...rq)} | ${med(kb).toFixed(1)} / ${Math.max(...kb).toFixed(1)} | ${med(js).toFixed(1)} | ${med(ms)} / ${Math.max(...ms)} | ${rq.filter((x) => x > 5).length} | ${kb.filter((x) => x > 60).length} | ${data.filter((x) => x > 60).length} |`);
  }
}
if (verbose) {
  for (const e of E) {
    const bad = results[e].filter((r) => !r.m.first);
    console.log(`\n${e}: ${bad.length} queries whose first result is not the wanted one`);
    for (const r of bad) {
      const want = [...r.q.rel].filter(([, g]) => g === Math.max(...r.q.rel.values())).map(([c]) => c);
      console.log(`  ${r.q.id} [${r.q.set}, ${r.q.category}] «${r.q.query}» want ${want.join(" ")}`);
      r.codes.slice(0, 3).forEach((c, i) => console.log(`      ${i + 1}. ${c}${r.q.rel.has(c) ? ` (grade ${r.q.rel.get(c)})` : ""} ${(titles.get(c) || "").slice(0, 90)}`));
      if (!r.codes.length) console.log("      (no results)");
    }
  }
}
