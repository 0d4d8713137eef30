// lib.mjs — what the browser tests share: TAP output, the binary under
// test, a static file server on 127.0.0.1, and Debian's chromium.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { existsSync, statSync, readFileSync } from "node:fs";
import { join, extname } from "node:path";

export const ROOT = process.env.CONGKHAI_ROOT || new URL("../..", import.meta.url).pathname;
export const BIN = process.env.CONGKHAI || join(ROOT, "build/asan/congkhai");

// ok(cond, name, info) prints one TAP line; end() the plan, and exits.
export function tap() {
  let n = 0, failed = 0;
  return {
    ok(cond, name, info) {
      n++;
      if (!cond) failed++;
      console.log(`${cond ? "ok" : "not ok"} ${n} - ${name}`);
      if (!cond && info !== undefined) console.log(`#   ${String(info).split("\n").join("\n#   ")}`);
    },
    end() {
      console.log(`1..${n}`);
      process.exit(failed ? 1 : 0);
    },
  };
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json",
  ".txt": "text/plain; charset=utf-8", ".css": "text/css", ".xml": "application/xml" };

// Serves the files under dir; resolves to the server, listening on a free port.
export async function serveDir(dir) {
  const server = createServer((req, res) => {
    let p = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (existsSync(p) && statSync(p).isDirectory()) p = join(p, "index.html");
    if (!p.startsWith(dir) || !existsSync(p)) { res.writeHead(404); return res.end("not found"); }
    res.writeHead(200, { "content-type": TYPES[extname(p)] || "application/octet-stream" });
    res.end(readFileSync(p));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

export function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
}
