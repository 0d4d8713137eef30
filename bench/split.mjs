// How often a run of syllables typed without spaces is cut back as it was
// written (rank_split() in core/rank.c; split() in search.js, run here in
// headless chromium through window.congkhaiSearch.split).
//   node bench/split.mjs SITE [TEXT...]
// SITE: a built site (its /tim-kiem/ page and meta.json). Runs of three
// words are taken from the site's own titles, and from each TEXT file
// (text the vocabulary was not made from), keeping the runs whose words
// are all in the site's vocabulary (meta.json's syllables).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { launch, serveDir } from "../tests/browser/lib.mjs";

const [site, ...texts] = process.argv.slice(2);
if (!site) { console.error("usage: node bench/split.mjs SITE [TEXT...]"); process.exit(2); }
const idx = join(site, "tim-kiem/i");
const titles = readdirSync(join(idx, "d")).filter((f) => f.endsWith(".json"))
  .flatMap((f) => JSON.parse(readFileSync(join(idx, "d", f), "utf8")).map((r) => r && r.t).filter(Boolean));
const server = await serveDir(site);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/tim-kiem/`);
  await page.waitForFunction(() => window.congkhaiSearch);
  const sets = [["titles", titles], ...texts.map((f) => [f, readFileSync(f, "utf8").split("\n")])];
  console.log("| text | runs of 3 | cut as written | not cut | share |\n|---|---|---|---|---|");
  for (const [name, lines] of sets) {
    const r = await page.evaluate(async (lines) => {
      const S = window.congkhaiSearch, vocab = new Set((JSON.parse(document.getElementById("search-meta").textContent)
        .syllables || "").split(" "));
      let n = 0, right = 0, whole = 0;
      const wrong = [];
      for (const l of lines) {
        const w = S.terms(S.fold(l.normalize("NFC"))).map(S.norm);
        for (let i = 0; i + 3 <= w.length; i += 3) {
          const run = w.slice(i, i + 3);
          if (!run.every((x) => vocab.has(x))) continue;
          const got = (await S.split([run.join(""), "x"])).slice(0, -1);    // not the last term
          n++;
          if (got.length === 1) whole++;
          else if (got.join(" ") === run.join(" ")) right++;
          else if (wrong.length < 5) wrong.push(run.join(" ") + " → " + got.join(" "));
        }
      }
      return { n, right, whole, wrong };
    }, lines);
    console.log(`| ${name} | ${r.n} | ${r.right} | ${r.whole} | ${(r.right / (r.n || 1)).toFixed(3)} |`);
    if (r.wrong.length) console.log("<!-- e.g. " + r.wrong.join("; ") + " -->");
  }
} finally {
  await browser.close();
  server.close();
}
