// The shared ranking vectors (SPEC §6, core/rank.h): `congkhai search
// --json` (C, over index.sqlite) and search.js (in Debian's headless
// chromium, over the static index) must return the same top 10 in the
// same order for every query of tests/fixtures/rank-queries.txt, on the
// sample portal and on a generated site of 1,500 procedures whose common
// words take the index's other encodings (tails, bitmaps, many chunks,
// groups of title words).
// Prints TAP lines for tests/run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, cpSync, readFileSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, BIN, tap, serveDir, launch } from "./lib.mjs";

const { ok, end } = tap();
const dir = mkdtempSync(join(tmpdir(), "congkhai-rank-"));
const server = await serveDir(dir);
const port = server.address().port;

// A deterministic site of 1,500 procedures over a small vocabulary, so that
// common words reach every document.
function generate(out) {
  let seed = 7;
  const rand = (k) => (seed = (seed * 1103515245 + 12345) % 2147483648) % k;
  const pick = (a) => a[rand(a.length)];
  const verbs = ["Đăng ký", "Cấp", "Cấp lại", "Xác nhận", "Gia hạn", "Thông báo", "Chứng thực"];
  const objects = ["khai sinh", "kết hôn", "giấy phép xây dựng", "giấy phép lái xe", "lý lịch tư pháp",
    "bản sao từ bản chính", "quyền sử dụng đất", "hộ kinh doanh", "lễ hội", "trợ cấp xã hội", "khai tử"];
  const words = ["hồ sơ", "thủ tục", "công dân", "Ủy ban nhân dân", "quy định", "trường hợp", "kết quả",
    "khai thác", "tuyến đường", "hợp lệ", "sổ đỏ", "bản chính", "nộp", "trực tuyến", "mỹ thuật"];
  mkdirSync(join(out, "procedures"), { recursive: true });
  writeFileSync(join(out, "site.yaml"), "title: Thử xếp hạng\nbase_url: /\n");
  const states = ["", "", "", "", "status: bãi bỏ\n"];
  for (let i = 1; i <= 1500; i++) {
    // many rare words (plot numbers) too, so that the keys fill many chunks
    const body = Array.from({ length: 20 + rand(60) }, () => pick(words)).join(" ") +
      Array.from({ length: 4 }, (_, j) => ` thửa ${i * 4 + j}`).join(",");
    writeFileSync(join(out, "procedures", `p${i}.md`), `---
code: "${1 + (i % 2)}.${String(100000 + i).padStart(6, "0")}"
title: ${pick(verbs)} ${pick(objects)}${rand(3) ? "" : " " + pick(objects)}
field: ${pick(["Hộ tịch", "Xây dựng", "Đất đai", "Chứng thực"])}
level: xã
agency: ${pick(["UBND xã", "Sở Tư pháp", "Phòng Tư pháp"])}
processing_time: 5 ngày
fee: Không
online: không
${states[rand(5)]}---
${body}

## Trình tự thực hiện
- ${pick(words)} ${pick(words)}

## Thành phần hồ sơ
- ${pick(words)}

## Căn cứ pháp lý
- Luật ${pick(objects)}
`);
  }
}

let browser;
try {
  cpSync(join(ROOT, "content"), join(dir, "sample"), { recursive: true, filter: (s) => !s.includes("/.git") });
  generate(join(dir, "gen"));
  mkdirSync(join(dir, "gen", "data"));
  writeFileSync(join(dir, "gen", "data", "tu-dong-nghia.yaml"),
    "sổ đỏ: giấy chứng nhận quyền sử dụng đất\nlàm giấy khai sinh: [đăng ký khai sinh]\n");
  const env = { ...process.env, SOURCE_DATE_EPOCH: "1700000000" };
  for (const s of ["sample", "gen"])
    execFileSync(BIN, ["build", "-q", "-C", join(dir, s), "-o", join(dir, s + "-out"), "--base-url", `/${s}-out/`],
      { env, stdio: "pipe" });

  const gmeta = JSON.parse(readFileSync(join(dir, "gen-out/tim-kiem/i/meta.json"), "utf8"));
  const chunkText = readdirSync(join(dir, "gen-out/tim-kiem/i/t")).filter((f) => f.endsWith(".txt")).map((f) =>
    readFileSync(join(dir, "gen-out/tim-kiem/i/t", f), "utf8")).join("");
  ok(gmeta.chunks.length > 4, `the generated site's keys span many chunks (${gmeta.chunks.length})`);
  ok(gmeta.groups.length >= 2 && gmeta.groups.some((g) => g.split(" ").includes("khai")),
    `its title words are also grouped (${gmeta.groups.length} groups)`, JSON.stringify(gmeta.groups));
  // A group chunk holds its members' lines, their pairs and the completions
  // of two members, copied from the chunks in byte order (index.c).
  const tfile = (n) => readFileSync(join(dir, "gen-out/tim-kiem/i/t", `${n}.txt`), "utf8").split("\n")
    .filter(Boolean).map((l) => l.split("\t"));
  const inOrder = gmeta.chunks.map((_, i) => tfile(i));
  const sortsInto = (k) => gmeta.chunks.reduce((c, first, i) => (first <= k ? i : c), 0);
  const missing = [];
  gmeta.groups.forEach((g, i) => {
    const has = new Set(tfile(gmeta.chunks.length + i).map((l) => l[0] + "\t" + l[1] + "\t" + l[3]));
    const want = (l) => { if (!has.has(l[0] + "\t" + l[1] + "\t" + l[3])) missing.push(`${g}: ${l[0]}/${l[1]}`); };
    const m = g.split(" ");
    for (const a of m) {
      inOrder[sortsInto(a)].filter((l) => l[0] === a).forEach(want);
      for (const b of m)
        inOrder[sortsInto(a + b)].filter((l) => l[1] === "2" && l[0].startsWith(a + b)).forEach(want);
    }
  });
  ok(missing.length === 0, "group chunks hold their members, their pairs and the completions of two members",
    missing.slice(0, 5).join("\n"));
  ok(gmeta.groups.some((g) => ["lam", "giay", "khai", "sinh"].every((w) => g.split(" ").includes(w))),
    "a colloquial name (làm giấy khai sinh) stands in one group", JSON.stringify(gmeta.groups));
  ok(/\|\d+,\d+,b/.test(chunkText) && /\|\d+,\d+,l/.test(chunkText),
    "its postings use the head, bitmap and list encodings");

  // Queries as citizens copy them: titles of the generated site, whole
  // and with the last word half typed, so that completions are read
  // from group chunks too.
  const titles = [...new Set(JSON.parse(readFileSync(join(dir, "gen-out/tim-kiem/i/d/0.json"), "utf8"))
    .map((r) => r.t))].slice(0, 20);
  const typed = titles.flatMap((t) => {
    const w = t.split(" "), last = w[w.length - 1];
    return last.length > 2 ? [t, [...w.slice(0, -1), last.slice(0, 2)].join(" ")] : [t];
  });
  // and with the last word cut to another title word of its group
  // ("ket ho" for "ket hon": "ho" and "ket" stand in one group), whose
  // completions are then read from the group chunk
  const fold = (t) => t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
    .split(/[^a-z0-9]+/).filter(Boolean).map((w) => /^[bcdfghjklmnpqrstvwxz]+y$/.test(w) ? w.slice(0, -1) + "i" : w);
  const groups = gmeta.groups.map((g) => new Set(g.split(" ")));
  let viaGroup = 0;
  for (const t of titles) {
    const w = fold(t), prev = w[w.length - 2], last = w[w.length - 1];
    const cut = groups.flatMap((g) => g.has(prev) ? [...g].filter((m) => m !== last && m.length >= 2 && last.startsWith(m)) : []);
    if (cut.length) {
      typed.push([...w.slice(0, -1), cut[0]].join(" "));
      viaGroup++;
    }
  }
  ok(typed.length >= 30 && viaGroup >= 3, `the generated site gives title queries (${typed.length}, ${viaGroup} completed in a group)`);

  browser = await launch();
  const queries = readFileSync(join(ROOT, "tests/fixtures/rank-queries.txt"), "utf8").split("\n")
    .filter((l) => l && !l.startsWith("#"));
  // Some queries' words sort into more chunks than a query may read
  // (RANK_FILES, 4), so that the planner drops keys, in C as in JS.
  const chunkOf = (k) => { let i = 0; while (i + 1 < gmeta.chunks.length && gmeta.chunks[i + 1] <= k) i++; return i; };
  const spread = queries.filter((q) => new Set(q.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
    .toLowerCase().split(/\s+/).map(chunkOf)).size > gmeta.rank.files);
  ok(gmeta.rank.files === 4 && spread.length >= 2, `gen: some queries' words lie in more than ${gmeta.rank.files} chunks (${spread.length})`);
  for (const s of ["sample", "gen"]) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/${s}-out/tim-kiem/`);
    await page.waitForFunction(() => window.congkhaiSearch && document.getElementById("search-filters").children.length > 0);
    let agree = 0, nonEmpty = 0;
    const differ = [];
    for (const q of s === "gen" ? queries.concat(typed) : queries) {
      const cli = JSON.parse(execFileSync(BIN, ["search", "--json", "--limit", "10", "-o", join(dir, s + "-out"), "--", ...q.split(" ")],
        { env, stdio: ["ignore", "pipe", "pipe"] }).toString()).map((r) => r.url);
      const js = (await page.evaluate((q) => window.congkhaiSearch.query(q), q)).slice(0, 10).map((r) => r.url);
      if (cli.length) nonEmpty++;
      if (JSON.stringify(cli) === JSON.stringify(js)) agree++;
      else differ.push(`${q}\n  C:  ${cli.join(" ")}\n  JS: ${js.join(" ")}`);
    }
    const all = s === "gen" ? queries.length + typed.length : queries.length;
    ok(agree === all, `${s}: C and JS give the same top 10 for all ${all} queries (${agree} agree)`,
      differ.slice(0, 4).join("\n"));
    ok(nonEmpty >= queries.length / 2, `${s}: most queries find something (${nonEmpty})`);
    // SPEC §6: words typed without spaces are the same query as with them
    // (rank_split); C and JS agree on both (above), so C alone is compared
    const top = (q) => execFileSync(BIN, ["search", "--json", "--limit", "10", "-o", join(dir, s + "-out"), "--", ...q.split(" ")],
      { env, stdio: ["ignore", "pipe", "pipe"] }).toString();
    const unsplit = [["hokinhdoanh", "ho kinh doanh"], ["dangkykhaisinh", "dang ky khai sinh"],
      ["giayphepxaydung", "giay phep xay dung"], ["dangkikethon", "dang ky ket hon"], ["khaisinh", "khai sinh"]]
      .filter(([a, b]) => top(a) !== top(b) || top(b) === "[]\n");
    if (s === "gen")
      ok(unsplit.length === 0, `${s}: words run together find what they find with spaces`, unsplit.join("\n"));
    await page.close();

    // SPEC §6: a first query (a fresh browser context, nothing cached) makes
    // at most 5 requests beyond the page and its stylesheet, and fetches
    // at most 60 KB.
    const over = [], unordered = [];
    let most = 0, heaviest = 0, grouped = 0, cut = 0;
    for (const q of queries) {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      const got = [];
      p.on("response", (r) => {
        const u = r.url();
        if (r.request().resourceType() !== "document" && !/\.(css|ico)$/.test(u)) got.push(r.body().then((b) => b.length, () => 0));
        const t = /\/t\/(\d+)\.txt/.exec(u);
        if (t && s === "gen" && +t[1] >= gmeta.chunks.length) grouped++;
      });
      await p.goto(`http://127.0.0.1:${port}/${s}-out/tim-kiem/?q=${encodeURIComponent(q)}`);
      await p.waitForFunction(() => document.getElementById("search-status").textContent);
      await p.waitForTimeout(100);
      const bytes = (await Promise.all(got)).reduce((a, b) => a + b, 0), requests = got.length;
      // the first page is the ranking's first hits, in order: all ten, or
      // fewer when their records lie in more blocks than the budget leaves
      const shown = await p.$$eval("#search-results li.result h2 a", (as) => as.map((a) => new URL(a.href).pathname));
      const ranked = (await p.evaluate((q) => window.congkhaiSearch.query(q), q)).map((r) => r.url);
      const prefix = ranked.slice(0, shown.length).map((u) => "/" + s + "-out" + u);
      if (JSON.stringify(shown) !== JSON.stringify(prefix) || (ranked.length && !shown.length))
        unordered.push(`${q}\n  shown:  ${shown.join(" ")}\n  ranked: ${prefix.join(" ")}`);
      if (shown.length < Math.min(10, ranked.length)) cut++;
      most = Math.max(most, requests);
      heaviest = Math.max(heaviest, bytes);
      if (requests > 5 || bytes > 60 * 1024) over.push(`${q}: ${requests} requests, ${bytes} bytes`);
      await ctx.close();
    }
    ok(over.length === 0, `${s}: every first query makes at most 5 requests and 60 KB (most ${most}, ${(heaviest / 1024).toFixed(1)} KB)`,
      over.slice(0, 4).join("\n"));
    if (s === "gen") ok(grouped >= 5, `gen: queries read title words from their groups' chunks (${grouped} fetches)`);
    ok(unordered.length === 0 && (s === "sample" || cut >= 1),
      `${s}: the first page shows the first hits in order (${cut} cut short to stay within the budget)`, unordered.slice(0, 3).join("\n"));
  }
} catch (e) {
  ok(false, "the ranking vectors ran", e.stack || e);
} finally {
  if (browser) await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
end();
