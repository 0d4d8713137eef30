// Browser test of the static search (issue 4), in Debian's headless chromium
// driven by playwright-core: a site built from tests/fixtures/mini (plus a
// procedure about "đường bộ" and an article with a hostile title) is served
// under a sub-path from 127.0.0.1, and queries are typed without tone marks.
// Prints TAP lines for tests/run.
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdtempSync, cpSync, readFileSync, existsSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { ROOT, BIN, tap, launch } from "./lib.mjs";
import { join, extname } from "node:path";

const { ok, end } = tap();

const dir = mkdtempSync(join(tmpdir(), "congkhai-browser-"));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json",
  ".txt": "text/plain; charset=utf-8", ".css": "text/css", ".xml": "application/xml" };
// While cssGate is a promise, the stylesheet is held back until it resolves.
let cssGate = null;
const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  if (!url.pathname.startsWith("/sub/")) { res.writeHead(404); return res.end(); }
  if (cssGate && url.pathname.endsWith(".css")) await cssGate;
  let p = join(dir, "out", decodeURIComponent(url.pathname.slice(5)));
  if (existsSync(p) && statSync(p).isDirectory()) p = join(p, "index.html");
  if (!existsSync(p)) { res.writeHead(404); return res.end("not found"); }
  res.writeHead(200, { "content-type": TYPES[extname(p)] || "application/octet-stream" });
  res.end(readFileSync(p));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const port = server.address().port;
const BASE = `http://127.0.0.1:${port}/sub/`;

let browser;
try {
  cpSync(join(ROOT, "tests/fixtures/mini"), join(dir, "content"), { recursive: true });
  cpSync(join(ROOT, "tests/fixtures/search-extra"), join(dir, "content"), { recursive: true });
  execFileSync(BIN, ["build", "-q", "-C", join(dir, "content"), "-o", join(dir, "out"), "--base-url", BASE],
    { env: { ...process.env, SOURCE_DATE_EPOCH: "1700000000" }, stdio: "pipe" });

  browser = await launch();
  const page = await browser.newPage();
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs++; d.dismiss(); });
  const fetched = [], requests = [];
  page.on("request", (r) => { if (r.resourceType() !== "document") requests.push(r.url()); });
  page.on("response", async (r) => {
    if (r.url().includes("/tim-kiem/i/")) {
      try { fetched.push({ url: r.url(), bytes: (await r.body()).length }); } catch { /* aborted */ }
    }
  });
  const links = () => page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
  const waitResults = () => page.waitForFunction(() => {
    const c = document.querySelector("#search-status");
    return c && c.textContent.length > 0;
  }, null, { timeout: 10000 });

  // ?q= pre-fills and runs the query; count the bytes of this first query
  const t0 = Date.now();
  await page.goto(BASE + "tim-kiem/?q=dang%20ky%20khai%20sinh");
  await waitResults();
  const firstMs = Date.now() - t0;
  let hrefs = await links();
  ok(hrefs[0] === "/sub/thu-tuc/1.001193/", "?q=dang ky khai sinh shows Đăng ký khai sinh first", hrefs.join(" "));
  ok(await page.inputValue("#q") === "dang ky khai sinh", "?q= pre-fills the input");
  const firstBytes = fetched.reduce((s, f) => s + f.bytes, 0);
  console.log(`# first query: ${fetched.length} index files, ${firstBytes} bytes, first results after ${firstMs} ms`);
  ok(firstBytes < 60 * 1024, `the first query fetches under 60 KB (${firstBytes} bytes)`);
  const beyond = requests.filter((u) => !u.endsWith(".css") && !u.endsWith("favicon.ico"));
  ok(beyond.length <= 5, `the first query makes at most 5 requests beyond the page (${beyond.length})`, beyond.join("\n"));

  // typing without diacritics, as on a phone
  async function type(q) {
    await page.fill("#q", "");
    await page.type("#q", q);
    await page.waitForFunction((q) => new URL(location.href).searchParams.get("q") === q, q);
    await page.waitForTimeout(150);
    await waitResults();
    return links();
  }
  hrefs = await type("duong bo");
  ok(hrefs[0] === "/sub/thu-tuc/1.002804/", "duong bo finds the procedure about đường bộ", hrefs.join(" "));
  hrefs = await type("khai si");
  ok(hrefs[0] === "/sub/thu-tuc/1.001193/", "khai si already suggests Đăng ký khai sinh", hrefs.join(" "));
  hrefs = await type("1.000894");
  ok(hrefs[0] === "/sub/thu-tuc/1.000894/", "a procedure code opens that procedure first", hrefs.join(" "));
  const meta = await page.$eval("#search-results .result-meta", (e) => e.textContent);
  ok(meta.includes("1.000894") && meta.includes("Hộ tịch"), "a result shows its code and field", meta);

  // a filter: online service "toàn trình" (value 1) keeps only those
  hrefs = await type("dang ky");
  ok(hrefs.includes("/sub/thu-tuc/1.000894/"), "dang ky finds Đăng ký kết hôn before filtering", hrefs.join(" "));
  await page.selectOption("#filter-online", "1");
  await page.waitForFunction(() => !Array.from(document.querySelectorAll("#search-results a"))
    .some((a) => a.getAttribute("href").endsWith("/1.000894/")), null, { timeout: 10000 });
  hrefs = await links();
  ok(hrefs.length > 0 && hrefs.every((h) => ["/sub/thu-tuc/1.001193/", "/sub/thu-tuc/1.002804/"].includes(h)),
    "the online filter keeps only fully online procedures", hrefs.join(" "));
  await page.selectOption("#filter-online", "");
  await page.selectOption("#filter-level", "1");
  await page.fill("#q", "");
  hrefs = await type("doi giay");
  ok(hrefs.length === 1 && hrefs[0] === "/sub/thu-tuc/1.002804/", "the level filter keeps province procedures", hrefs.join(" "));
  await page.selectOption("#filter-level", "");

  // a hostile title is shown as text, never as markup
  hrefs = await type("onerror");
  const titles = await page.$$eval("#search-results a", (as) => as.map((a) => a.textContent));
  ok(titles.includes("<img src=x onerror=alert(1)> đăng ký"), "a hostile title shows as text", titles.join(" | "));
  ok(await page.$$eval("#search-results img", (i) => i.length) === 0, "no element is made from a title");
  ok(dialogs === 0, "no script ran from a title");

  // accessibility: a labelled input, results announced
  ok(await page.$eval("label[for=q]", (l) => l.textContent.length > 0), "the input has a label");
  ok(await page.$eval("#search-status", (e) => e.getAttribute("aria-live")) === "polite", "the count is announced (aria-live)");
  ok(await page.$eval("#search-results", (e) => e.getAttribute("aria-live")) === null, "the result list is not re-read on every keystroke");
  await page.focus("#q");
  await page.keyboard.press("Tab");
  ok(await page.evaluate(() => document.activeElement.tagName) === "BUTTON", "the keyboard reaches the search button");

  // the browser folds exactly as C does: the shared vectors
  const vectors = readFileSync(join(ROOT, "tests/fixtures/fold-vectors.txt"), "utf8").split("\n")
    .filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t"));
  const bad = await page.evaluate((vs) => vs.filter(([a, b]) => window.congkhaiSearch.fold(a) !== b), vectors);
  ok(bad.length === 0 && vectors.length > 150, `search.js folds the ${vectors.length} shared vectors as C does`,
    JSON.stringify(bad.slice(0, 3)));

  // the first query does not wait for the stylesheet (a slow one on a
  // phone's network): results are there while it is still on its way
  let release;
  cssGate = new Promise((r) => { release = r; });
  const slow = await browser.newPage();
  await slow.goto(BASE + "tim-kiem/?q=ket%20hon", { waitUntil: "commit" });
  const early = await slow.waitForFunction(() => document.querySelectorAll("#search-results a").length > 0,
    null, { timeout: 8000, polling: 50 }).then(() => true, () => false);   // no frames before the stylesheet: poll
  ok(early, "results come while the stylesheet is still loading", await slow.evaluate(() => document.readyState + " [" + (document.querySelector("#search-status") || {}).textContent + "] " + document.querySelectorAll("#search-results a").length));
  release();
  cssGate = null;
  await slow.close();

  // without JavaScript the page says so and links to the catalog
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const nojs = await ctx.newPage();
  await nojs.goto(BASE + "tim-kiem/?q=khai");
  const noscript = await nojs.$eval("noscript", (e) => e.innerHTML);
  ok(noscript.includes("JavaScript") && noscript.includes('href="/sub/thu-tuc/"'), "without JavaScript the page links to the catalog", noscript);
  await ctx.close();
} catch (e) {
  ok(false, "the browser test ran to the end", e.stack || e);
} finally {
  if (browser) await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
end();
