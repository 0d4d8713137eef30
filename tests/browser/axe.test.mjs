// Accessibility of every page type (issue 11): axe-core 4.10 (npm) runs in
// Debian's chromium on one page of each kind the default plugins write,
// built from the sample portal content/ in a fresh git repository with a
// changed fee and a deleted procedure (so version and deleted pages exist).
// WCAG 2.0/2.1 A and AA rules; a page passes with 0 violations. Both at
// 360 px (phone) and 1280 px.
import { execFileSync } from "node:child_process";
import { mkdtempSync, cpSync, readFileSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { ROOT, BIN, tap, launch, serveDir } from "./lib.mjs";

const { ok, end } = tap();
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "congkhai-axe-"));
const repo = join(dir, "repo");
const env = { ...process.env, SOURCE_DATE_EPOCH: "1730000000", GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@e.org",
  GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@e.org" };
const git = (args, date) => execFileSync("git", ["-C", repo, ...args], { stdio: "pipe",
  env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
const server = await serveDir(dir);
const BASE = `http://127.0.0.1:${server.address().port}/out/`;

let browser;
try {
  cpSync(join(ROOT, "content"), join(repo, "content"), { recursive: true });
  git(["init", "-q", "-b", "main"], "2024-01-15T09:00:00+07:00");
  git(["add", "-A"], "2024-01-15T09:00:00+07:00");
  git(["commit", "-q", "-m", "Công bố danh mục thủ tục"], "2024-01-15T09:00:00+07:00");
  const procs = join(repo, "content/procedures");
  const files = readdirSync(procs, { recursive: true }).filter((f) => f.endsWith(".md")).sort();
  const first = join(procs, files[0]);
  writeFileSync(first, readFileSync(first, "utf8").replace(/^fee: .*$/m, "fee: 9.000 đồng"));
  git(["commit", "-q", "-am", "Sửa đổi lệ phí"], "2024-03-01T09:00:00+07:00");
  git(["rm", "-q", join(procs, files[files.length - 1])], "2024-04-01T09:00:00+07:00");
  git(["commit", "-q", "-m", "Thôi công khai thủ tục"], "2024-04-01T09:00:00+07:00");
  execFileSync(BIN, ["build", "-q", "-C", join(repo, "content"), "-o", join(dir, "out"), "--base-url", BASE],
    { env, stdio: "pipe" });

  const code = readFileSync(first, "utf8").match(/^code: "?([\d.]+)"?/m)[1];
  const gone = readFileSync(join(ROOT, "content/procedures", files[files.length - 1]), "utf8").match(/^code: "?([\d.]+)"?/m)[1];
  const field = readdirSync(join(dir, "out/linh-vuc")).find((f) => !f.includes("."));
  const article = readdirSync(join(dir, "out/tin-tuc")).find((f) => f !== "trang" && !f.includes("."));
  const version = readdirSync(join(dir, "out/thu-tuc", code, "phien-ban")).sort()[0];
  const pages = {
    home: "", catalog: "thu-tuc/", procedure: `thu-tuc/${code}/`, "print sheet": `thu-tuc/${code}/in/`,
    "old version": `thu-tuc/${code}/phien-ban/${version}/`, "deleted procedure": `thu-tuc/${gone}/`,
    "unverified worklist": "thu-tuc/chua-xac-minh/", fields: "linh-vuc/", field: `linh-vuc/${field}/`,
    levels: "cap/", level: "cap/xa/", agencies: "co-quan/", boards: "niem-yet/", board: `niem-yet/${field}/`,
    news: "tin-tuc/", article: `tin-tuc/${article}/`, "standing page": "gioi-thieu/", changes: "thay-doi/",
    search: "tim-kiem/?q=khai%20sinh", "open data": "du-lieu/", "766 results": "chi-so-766/",
    "lobby screen": "bang-tin/", "404": "404.html",
  };
  browser = await launch();
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 }, reducedMotion: "reduce" });
    for (const [name, path] of Object.entries(pages)) {
      const r = await page.goto(BASE + path);
      if (!r || r.status() !== 200) { ok(false, `${name} (${path}) is served`, r && r.status()); continue; }
      if (name === "search") await page.waitForSelector("#search-results li", { timeout: 10000 }).catch(() => {});
      await page.addScriptTag({ content: AXE });
      const res = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      ok(res.violations.length === 0, `axe at ${width} px: ${name} (/${path}) has no violation`,
        res.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("\n"));
      if (width === 360) {        // WCAG 1.4.10 (reflow), which axe does not check: no sideways scrolling
        const wide = await page.evaluate(() => [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest("nav, .menu"))
          .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent || "").trim().slice(0, 40)}`));
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        ok(sw <= 360, `${name} (/${path}) fits a 360 px phone (page width ${sw})`, wide.join("\n"));
      }
    }
    await page.close();
  }
} catch (e) {
  ok(false, "axe test ran", e.stack);
} finally {
  if (browser) await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
end();
