// search-browser.mjs — for bench/search.sh: load /tim-kiem/?q=QUERY of a
// built site in headless chromium and print, for that first query, the
// requests beyond the page (script and index files; not the stylesheet),
// their bytes, and the time from navigation to the first results: as the
// driver sees it (ms, with its round trips to the browser) and by the
// page's own clock (page ms: performance.now() when the status line first
// has text, from the start of navigation).
// usage: node bench/search-browser.mjs SITE_DIR QUERY...
// CSS_DELAY=ms holds each stylesheet back that long (a slow network's
// stylesheet; the index files and the page are served at once).
import { chromium } from "../tests/browser/node_modules/playwright-core/index.mjs";
import { createServer } from "node:http";
import { existsSync, statSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [site, ...queries] = process.argv.slice(2);
const cssDelay = Number(process.env.CSS_DELAY || 0);
const server = createServer(async (req, res) => {
  if (cssDelay && req.url.endsWith(".css")) await new Promise((r) => setTimeout(r, cssDelay));
  let p = join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (existsSync(p) && statSync(p).isDirectory()) p = join(p, "index.html");
  if (!existsSync(p)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "content-type": p.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8" });
  res.end(readFileSync(p));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox",
  "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
for (const q of queries) {
  const page = await browser.newPage();
  let bytes = 0, files = 0;
  page.on("response", async (r) => {
    const u = r.url();
    if (r.request().resourceType() === "document" || u.endsWith(".css") || u.endsWith(".ico")) return;
    try { const n = (await r.body()).length; bytes += n; files++; if (process.env.VERBOSE) console.log("   ", u.replace(/^http:..[^/]*/, ""), n); } catch { }
  });
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const e = document.querySelector("#search-status");
      if (e && e.textContent && !window.__firstResults) window.__firstResults = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${server.address().port}/tim-kiem/?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => (document.querySelector("#search-status") || {}).textContent, null, { timeout: 20000 });
  const ms = Date.now() - t0;
  const inPage = Math.round(await page.evaluate(() => window.__firstResults || 0));
  await page.waitForTimeout(200);
  const first = await page.$eval("#search-status", (e) => e.textContent);
  console.log(`${q.padEnd(22)} ${String(files).padStart(5)} ${String((bytes / 1024).toFixed(1)).padStart(9)} ${String(ms).padStart(8)} ${String(inPage).padStart(8)}  ${first}`);
  await page.close();
}
await browser.close();
server.close();
