// congkhai serve in Debian's headless chromium (issue 12): an open page
// reloads by itself when a content file changes, a broken build shows its
// errors over the page, and the fix takes the overlay away.
// Prints TAP lines for tests/run.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, cpSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { ROOT, BIN, tap, launch } from "./lib.mjs";
import { join } from "node:path";

const { ok, end } = tap();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), "congkhai-serve-test-"));
const content = join(dir, "content");
cpSync(join(ROOT, "tests/fixtures/mini"), content, { recursive: true });
execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
const KS = join(content, "procedures/ho-tich/dang-ky-khai-sinh.md");
const original = readFileSync(KS, "utf8");
// congkhai serve on a port, and whether it answers: a server that exits
// (the port taken by something else) is started again on the next one
let port = 30000 + (process.pid % 20000), server, said = "";
async function start() {
  for (let tries = 0; tries < 5; tries++, port++) {
    server = spawn(BIN, ["serve", "-C", content, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let gone = false;
    said = "";
    server.stdout.on("data", (d) => { said += d; });
    server.stderr.on("data", (d) => { said += d; });
    server.on("exit", () => { gone = true; });
    for (let i = 0; i < 120 && !gone; i++) {
      try { if ((await fetch(`http://127.0.0.1:${port}/__congkhai/status`)).ok) return true; } catch { await sleep(250); }
    }
    if (!gone)
      return false;
  }
  return false;
}
let browser;
try {
  ok(await start(), "congkhai serve answers", said);
  browser = await launch();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/thu-tuc/1.001193/`);
  ok((await page.content()).includes("Miễn lệ phí"), "the procedure page is served");

  // an edit: the open page reloads by itself
  const reloaded = page.waitForEvent("load", { timeout: 20000 }).then(() => true, () => false);
  writeFileSync(KS, original.replace("fee: Miễn lệ phí", "fee: 45.000 đồng"));
  ok(await reloaded, "the open page reloads after an edit");
  await page.waitForLoadState("load");
  ok((await page.content()).includes("45.000 đồng"), "and shows the change");

  // a broken file: an overlay with the error, the page stays
  writeFileSync(KS, original.replace("title: Đăng ký khai sinh", 'title: "không đóng'));
  const overlay = await page.waitForSelector("#__congkhai", { timeout: 20000 }).then(() => true, () => false);
  ok(overlay, "a broken build shows an overlay");
  const text = overlay ? await page.$eval("#__congkhai", (e) => e.textContent) : "";
  ok(/dang-ky-khai-sinh\.md:\d+:\d+: error: /.test(text), "the overlay names the file and line", text);
  ok(await page.$eval("#__congkhai", (e) => e.getAttribute("role")) === "alert", "the overlay is announced (role=alert)");

  // the fix: reload, no overlay
  const back = page.waitForEvent("load", { timeout: 20000 }).then(() => true, () => false);
  writeFileSync(KS, original);
  ok(await back, "the fix reloads the page");
  await page.waitForLoadState("load");
  await sleep(600);
  ok(await page.$("#__congkhai") === null, "and the overlay is gone");
} catch (e) {
  ok(false, "the serve test ran to the end", e.stack || e);
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
  await sleep(300);
  rmSync(dir, { recursive: true, force: true });
  end();
}
