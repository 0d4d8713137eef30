// Browser test of what leaves the screen (issue 11, SPEC §4): the A4 sheet
// /thu-tuc/<code>/in/ and the posting boards /niem-yet/<field>/, printed
// to PDF by Debian's chromium, photographed, and their QR codes decoded
// with zbarimg (zbar-tools) and followed; and the phone-first procedure
// page at 360 px. The site is a real git repository: a sheet printed from
// the first commit (build --rev) must, after the fee changed, lead to a
// page that says it is no longer current and what changed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, cpSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, BIN, tap, launch, serveDir } from "./lib.mjs";

const { ok, end } = tap();
const dir = mkdtempSync(join(tmpdir(), "congkhai-posting-"));
const repo = join(dir, "repo");
const env = { ...process.env, SOURCE_DATE_EPOCH: "1720000000", GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@e.org",
  GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@e.org" };
const git = (args, date) => execFileSync("git", ["-C", repo, ...args], { stdio: "pipe",
  env: date ? { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : env });
const server = await serveDir(dir);
const BASE = `http://127.0.0.1:${server.address().port}/`;
const build = (out, extra = []) => execFileSync(BIN, ["build", "-q", "-C", join(repo, "content"), "-o", join(dir, out),
  "--base-url", BASE + out + "/", ...extra], { env, stdio: "pipe" });

// The QR codes in a picture, in zbarimg's order; [] when none.
function decode(png) {
  try {
    return execFileSync("zbarimg", ["-q", "--raw", png], { stdio: ["ignore", "pipe", "ignore"] })
      .toString().split("\n").filter(Boolean);
  } catch { return []; }
}
const pdfPages = (buf) => (buf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;

let browser;
try {
  cpSync(join(ROOT, "tests/fixtures/mini"), join(repo, "content"), { recursive: true });
  git(["init", "-q", "-b", "main"]);
  git(["add", "-A"]);
  git(["commit", "-q", "-m", "Công bố danh mục thủ tục"], "2024-01-15T09:00:00+07:00");
  build("old");                                       // the sheets posted in January
  const f = join(repo, "content/procedures/ho-tich/dang-ky-khai-sinh.md");
  writeFileSync(f, readFileSync(f, "utf8").replace("fee: Miễn lệ phí", "fee: 8.000 đồng"));
  git(["commit", "-q", "-am", "Sửa đổi lệ phí đăng ký khai sinh"], "2024-03-01T09:00:00+07:00");
  build("new");

  browser = await launch();
  const page = await browser.newPage({ viewport: { width: 800, height: 1100 }, deviceScaleFactor: 2 });

  // the sheet of today: one A4 page, two codes, both lead somewhere true
  let r = await page.goto(BASE + "new/thu-tuc/1.001193/in/");
  ok(r.status() === 200, "the sheet /thu-tuc/1.001193/in/ is served");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  ok(pdfPages(pdf) === 1, "the sheet prints on one A4 page", `pages: ${pdfPages(pdf)}`);
  const text = await page.textContent("body");
  ok(text.includes("8.000 đồng") && text.includes(BASE + "new/thu-tuc/1.001193/"),
    "the sheet shows the fee and the page's address");
  ok(text.includes("dichvucong.gov.vn"), "the sheet prints the online filing address");
  ok(text.includes("01/03/2024"), "the sheet says the date its content was published");
  await page.screenshot({ path: join(dir, "sheet.png"), fullPage: true });
  const codes = decode(join(dir, "sheet.png"));
  ok(codes.includes(BASE + "new/thu-tuc/1.001193/"), "the big QR code decodes to the canonical URL", codes.join(" "));
  const vnew = BASE + "new/thu-tuc/1.001193/phien-ban/2024-03-01/";
  ok(codes.includes(vnew), "the small QR code decodes to this version's page", codes.join(" "));
  r = await page.goto(codes.find((c) => !c.includes("phien-ban")) || BASE);
  ok(r.status() === 200 && (await page.textContent("h1")).includes("Đăng ký khai sinh"),
    "following the big code opens the procedure");
  r = await page.goto(vnew);
  ok(r.status() === 200 && (await page.textContent(".banner")).includes("bản hiện hành"),
    "following the small code says this sheet is current");

  // a sheet printed in January, scanned in March
  await page.goto(BASE + "old/thu-tuc/1.001193/in/");
  await page.screenshot({ path: join(dir, "old.png"), fullPage: true });
  const old = decode(join(dir, "old.png")).find((c) => c.includes("phien-ban")) || "";
  ok(old === BASE + "old/thu-tuc/1.001193/phien-ban/2024-01-15/", "an old sheet's small code names its own date", old);
  r = await page.goto(old.replace("/old/", "/new/"));
  const banner = r.status() === 200 ? await page.textContent(".banner") : "";
  ok(banner.includes("đã được thay đổi") && banner.includes("01/03/2024"),
    "the old sheet's page, on the site of today, says it is no longer current", banner);
  const since = r.status() === 200 ? await page.textContent("#since-h + ol") : "";
  ok(since.includes("Miễn lệ phí") && since.includes("8.000 đồng"), "and shows what changed since", since);
  const facts = await page.textContent(".facts");
  ok(facts.includes("Miễn lệ phí") && !facts.includes("8.000 đồng"), "and the fee as it was then", facts);

  // the board of a field: every procedure in force, each code decodes
  r = await page.goto(BASE + "new/niem-yet/ho-tich/");
  ok(r.status() === 200, "the posting board of Hộ tịch is served");
  await page.screenshot({ path: join(dir, "board.png"), fullPage: true });
  const board = decode(join(dir, "board.png")).sort();
  ok(board.join(" ") === `${BASE}new/thu-tuc/1.000894/ ${BASE}new/thu-tuc/1.001193/`,
    "its QR codes decode to its two procedures", board.join(" "));
  ok((await page.textContent("body")).includes("Phản ánh, kiến nghị"), "the board says how to send feedback");
  r = await page.goto(BASE + "new/niem-yet/");
  ok((await page.$$("main a[href*='niem-yet/']")).length === 2, "/niem-yet/ lists a board per field");

  // phone first: at 360 px the facts and the online button are above 800 px
  const phone = await browser.newPage({ viewport: { width: 360, height: 800 } });
  for (const code of ["1.001193", "1.000894", "2.000815"]) {
    await phone.goto(BASE + `new/thu-tuc/${code}/`);
    const y = await phone.evaluate(() => {
      const b = (s) => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().bottom : 1e9; };
      return { facts: b(".key-facts"), button: b(".actions .button"), menu: b(".menu"),
        wide: document.documentElement.scrollWidth };
    });
    ok(y.facts < 800 && y.button < 800, `${code}: time, fee, where and the online button within 800 px`,
      JSON.stringify(y));
    ok(y.menu < 120 && y.wide <= 360, `${code}: header and menu take under 120 px, no sideways scroll`,
      JSON.stringify(y));
  }
  // the focus ring: 3:1 against white at least
  await phone.goto(BASE + "new/thu-tuc/1.001193/");
  await phone.focus(".actions .button");
  const ring = await phone.evaluate(() => getComputedStyle(document.activeElement).outlineColor);
  const lum = (c) => {
    const v = c.match(/\d+/g).slice(0, 3).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const contrast = 1.05 / (lum(ring) + 0.05);
  ok(contrast >= 3, "the focus ring has at least 3:1 contrast on white", `${ring}: ${contrast.toFixed(2)}`);
} catch (e) {
  ok(false, "posting test ran", e.stack);
} finally {
  if (browser) await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
end();
