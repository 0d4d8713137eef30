// search.js — congkhai's search in the browser, no framework, no WASM.
// It folds text exactly as the core does (NFC, lower case, marks removed,
// đ → d; tests/fixtures/fold-vectors.txt proves it), splits it into terms
// the same way, and ranks with the definition of core/rank.h: decode() and
// rank() below are line-by-line ports of rank_decode() and rank_query() in
// core/rank.c, with the weights read from the index's meta, and
// tests/browser/rank.test.mjs proves both give the same order. A query
// fetches the term chunks its words sort into (a word, its pairs and its
// completions lie together) and the blocks of the results shown. Results
// are built from text nodes only; the status line announces only the count.
(function () {
  "use strict";

  var STR = {
    vi: { results: "kết quả", none: "Không tìm thấy kết quả cho", field: "Lĩnh vực", level: "Cấp thực hiện",
      online: "Dịch vụ trực tuyến", all: "Tất cả", levels: ["Cấp tỉnh", "Cấp huyện", "Cấp xã"],
      onlines: ["Trực tuyến toàn trình", "Trực tuyến một phần", "Chưa trực tuyến"],
      states: { abolished: "Đã bãi bỏ", "not-yet": "Chưa có hiệu lực", deleted: "Không còn công khai" },
      code: "Mã", more: "Xem thêm kết quả", error: "Không tải được chỉ mục tìm kiếm." },
    en: { results: "results", none: "No results for", field: "Field", level: "Level",
      online: "Online service", all: "All", levels: ["Province", "District", "Commune"],
      onlines: ["Fully online", "Partly online", "Not online"],
      states: { abolished: "Abolished", "not-yet": "Not yet in force", deleted: "No longer published" },
      code: "Code", more: "More results", error: "The search index could not be loaded." }
  };
  var PAGE = 10, WORD = 1, PAIR = 2, F_CODE = 1, F_TITLE = 2, F_LATE = 4;

  // ------------------------------------------------------------ terms

  function fold(s) {
    return s.normalize("NFD").toLowerCase().replace(/\p{M}/gu, "").replace(/\u0111/g, "d");
  }

  var LETTER = /[\p{L}\p{N}\p{M}]/u, DIGIT = /[0-9]/;

  // Terms of folded text: runs of letters and digits; a "." between two
  // ASCII digits stays inside (codes like 1.001193). Mirrors index_terms().
  function terms(s) {
    var out = [], cur = "", chars = Array.from(s);
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i], word = LETTER.test(c);
      if (c === "." && cur && DIGIT.test(chars[i - 1] || "") && DIGIT.test(chars[i + 1] || "")) word = true;
      if (word) cur += c;
      else if (cur) { out.push(cur); cur = ""; }
    }
    if (cur) out.push(cur);
    return out;
  }

  // rank_norm(): consonants then a final y end in i ("ky" is "ki").
  function norm(t) { return /^[bcdfghjklmnpqrstvwxz]+y$/.test(t) ? t.slice(0, -1) + "i" : t; }

  function queryTerms(q) { return terms(fold(q.normalize("NFC"))).map(norm); }

  // rank_split(): terms typed without spaces ("hokinhdoanh") cut into the
  // syllables of meta.syllables (title words, in most titles first), the
  // cut of fewest pieces, then of the least sum of their places; the last
  // term's last piece may be the start of a word. A port of core/rank.c.
  var vocab = null;          // meta.syllables as a list, and each word's first place
  function split(words) {
    if (!vocab) {
      vocab = { list: meta.syllables ? meta.syllables.split(" ").filter(Boolean) : [], at: new Map() };
      vocab.list.forEach(function (w, i) { if (!vocab.at.has(w)) vocab.at.set(w, i); });
    }
    var V = vocab.list, R = meta.rank;
    function find(p, start) {
      if (!start) return vocab.at.has(p) ? vocab.at.get(p) : -1;
      for (var i = 0; i < V.length; i++) if (V[i].length > p.length && V[i].lastIndexOf(p, 0) === 0) return i;
      return -1;
    }
    function cut(t, last) {
      var L = t.length;
      if (L < 2 || L > R.splitmax || !V.length || !/^[a-z]+$/.test(t)) return null;
      if (find(t, false) >= 0 || (last && find(t, true) >= 0)) return null;
      var pieces = [0], cost = [0], from = [0];
      for (var j = 1; j <= L; j++) {
        pieces[j] = -1;
        for (var k = 1; k <= R.syllable && k <= j; k++) {
          var i = j - k;
          if (pieces[i] < 0) continue;
          var p = norm(t.slice(i, j)), c = find(p, false);
          if (c < 0 && last && j === L && k >= R.prefixmin && (c = find(p, true)) >= 0) c += V.length;
          if (c < 0) continue;
          var np = pieces[i] + 1, nc = cost[i] + c;
          if (pieces[j] < 0 || np < pieces[j] || (np === pieces[j] && nc < cost[j])) {
            pieces[j] = np; cost[j] = nc; from[j] = i;
          }
        }
      }
      if (pieces[L] < 2) return null;
      var out = [];
      for (var e = L; e > 0; e = from[e]) out.unshift(norm(t.slice(from[e], e)));
      return out;
    }
    var out = [];
    words.forEach(function (w, i) { out.push.apply(out, cut(w, i === words.length - 1) || [w]); });
    return out;
  }

  // Byte order of UTF-8, as strcmp and SQLite compare keys: code points.
  function cmp(a, b) {
    if (a === b) return 0;
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++)
      if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
    return x.length - y.length;
  }

  // ------------------------------------------------------------ codec

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", VAL = new Int8Array(128).fill(-1);
  for (var k = 0; k < 64; k++) VAL[B64.charCodeAt(k)] = k;

  // rank_decode(): the postings sorted by doc, or null if malformed; each
  // packed in one number, doc * POST + level * 8 + flags (levels are
  // below 65536), so that a key of 10,000 documents makes one typed
  // array, not 10,000 small ones. A first query runs this before the
  // engine has compiled it, so it does little per character: codes from
  // a table, postings straight into a typed array, sorted only when its
  // runs (one a level) came out of order.
  var POST = 524288, BAR = 124;                  // "|"
  function decode(s, ndocs) {
    var out = new Float64Array(64), len = 0, sorted = true, i = 0, doc = 0, n = s.length;
    function digit() { var c = i < n ? s.charCodeAt(i) : 0; return c < 128 ? VAL[c] : -1; }
    function push(v) {
      if (len === out.length) { var grown = new Float64Array(len * 2); grown.set(out); out = grown; }
      if (len && v < out[len - 1]) sorted = false;
      out[len++] = v;
    }
    function varint() {
      var v = 0, mul = 1;
      for (var k = 0; k < 7; k++) {
        var d = digit();
        if (d < 0) return -1;
        i++;
        v += (d & 31) * mul;
        mul *= 32;
        if (!(d & 32)) return v;
      }
      return -1;
    }
    while (i < n && s.charCodeAt(i) !== BAR) {
      var d = varint(), val = d < 0 ? -1 : varint();
      if (val < 0 || val >= POST || (doc += d) >= ndocs) return null;
      push(doc * POST + val);
    }
    while (i < n && s.charCodeAt(i) === BAR) {
      var m = /^\|(\d+),(\d+),([lb])/.exec(s.slice(i, i + 32));
      if (!m || +m[1] > 7 || +m[2] >= POST / 8) return null;
      var f = +m[1], level = +m[2], low = level * 8 + f;
      i += m[0].length;
      if (m[3] === "l") {
        doc = 0;
        while (i < n && s.charCodeAt(i) !== BAR) {
          var dd = varint();
          if (dd < 0 || (doc += dd) >= ndocs) return null;
          push(doc * POST + low);
        }
      } else {
        for (var c = 0; i < n && s.charCodeAt(i) !== BAR; c++, i++) {
          var bits = digit();
          if (bits < 0) return null;
          for (var b = 0; bits; b++, bits >>= 1)
            if (bits & 1) {
              if (c * 6 + b >= ndocs) return null;
              push((c * 6 + b) * POST + low);
            }
        }
      }
    }
    if (i < n) return null;
    var a = out.subarray(0, len);
    if (!sorted) a.sort();
    for (var j = 1; j < len; j++) if (Math.floor(a[j] / POST) === Math.floor(a[j - 1] / POST)) return null;   // a document twice
    return a;
  }

  // ------------------------------------------------------------ the index

  var app, base, root, lang, meta, facets, files = new Map(), chunks = new Map(), groupOf = new Map();

  // Every index file is also there gzipped (path.gz), a third to a sixth
  // of the bytes; it is fetched where the browser can inflate it.
  var gz = typeof DecompressionStream === "function";
  function get(path, kind) {
    if (!files.has(path)) {
      files.set(path, fetch(root + path + (gz ? ".gz" : "")).then(function (r) {
        if (!r.ok) throw new Error(path);
        var body = gz ? new Response(r.body.pipeThrough(new DecompressionStream("gzip"))) : r;
        return kind === "json" ? body.json() : body.text();
      }));
    }
    return files.get(path);
  }

  // The chunk a key sorts into: the last whose first key is not after it.
  function chunkOf(key) {
    var lo = 0, hi = meta.chunks.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(meta.chunks[mid], key) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo > 0 ? lo - 1 : 0;
  }

  // A chunk's lines: key → {kind → [df, postings]}, and the lines in order.
  function chunk(n) {
    if (!chunks.has(n)) {
      chunks.set(n, get("t/" + n + ".txt").then(function (text) {
        var map = new Map(), lines = [];
        text.split("\n").forEach(function (l) {
          var f = l.split("\t");
          if (f.length !== 4) return;
          if (!map.has(f[0])) map.set(f[0], {});
          map.get(f[0])[f[1]] = f[3];
          lines.push({ key: f[0], kind: +f[1], df: +f[2] });
        });
        return { map: map, lines: lines };
      }));
    }
    return chunks.get(n);
  }

  // The rank_source: the files a query needs are fetched first, at once;
  // postings() and complete() then answer from memory. Every key is in
  // the chunk it sorts into; a word that stands in a group (meta.groups:
  // title words written together, index.c) is also in the group's file,
  // and so are the pairs of two of its members and their completions.
  // The fewest files that hold every key of the query are fetched (the
  // chunks in byte order when groups save nothing): the same lines either
  // way, so the ranking is the one index.sqlite gives. At most
  // meta.rank.files of them: a port of the planner of core/rank.c.
  function source(words) {
    var n = words.length, route = new Map();
    if (!meta.chunks.length) return Promise.resolve(null);
    if (n > 1 && chars(words[n - 1]) < meta.rank.prefixmin) words = words.slice(0, --n);
    var looks = [];
    function holding(ws) {      // the files of the groups that hold every word of ws
      return (groupOf.get(ws[0]) || []).filter(function (g) {
        return ws.every(function (w) { return (groupOf.get(w) || []).indexOf(g) >= 0; });
      });
    }
    function look(id, key, ws) { looks.push({ id: id, files: [chunkOf(key)].concat(ws ? holding(ws) : []) }); }
    words.forEach(function (w, i) {
      look(WORD + w, w, [w]);
      look(PAIR + w, w, [w]);
      if (i + 1 < n) look(PAIR + w + words[i + 1], w + words[i + 1], [w, words[i + 1]]);
    });
    if (chars(words[n - 1]) >= meta.rank.prefixmin) {
      if (n === 1) look("c" + words[0], words[0], null);
      else look("c" + words[n - 2] + words[n - 1], words[n - 2] + words[n - 1], [words[n - 2], words[n - 1]]);
    }
    // greedily, the file that holds most of the keys still missing (a
    // chunk in byte order, the smaller, when as many)
    var plain = new Set(looks.map(function (l) { return l.files[0]; })), need = [], left = looks.slice();
    while (left.length) {
      var count = new Map(), best = -1;
      left.forEach(function (l) { l.files.forEach(function (f) { count.set(f, (count.get(f) || 0) + 1); }); });
      count.forEach(function (c, f) {
        if (best < 0 || c > count.get(best) || (c === count.get(best) && f < best)) best = f;
      });
      need.push(best);
      left = left.filter(function (l) { return l.files.indexOf(best) < 0; });
    }
    var read = need.length >= plain.size ? Array.from(plain) : need;
    // past the budget, the first of the greedy choice: the looks none of
    // them holds are dropped (rank_query's planner in rank.c does the same)
    if (read.length > meta.rank.files) read = need.slice(0, meta.rank.files);
    need = read;
    looks.forEach(function (l) {
      for (var i = 0; i < l.files.length; i++) if (need.indexOf(l.files[i]) >= 0) return route.set(l.id, l.files[i]);
    });
    return Promise.all(need.map(chunk)).then(function (loaded) {
      var byNo = new Map();
      need.forEach(function (c, i) { byNo.set(c, loaded[i]); });
      return {
        ndocs: meta.n,
        read: need,
        postings: function (key, kind) {
          var r = route.get(kind + key), c = byNo.get(r === undefined ? chunkOf(key) : r), e = c && c.map.get(key);
          return e && e[kind] !== undefined ? e[kind] : null;
        },
        // as in index.sqlite: the keys of the chunk the prefix sorts into
        complete: function (prefix, kind) {
          var r = route.get("c" + prefix), c = byNo.get(r === undefined ? chunkOf(prefix) : r), at = chunkOf(prefix);
          if (!c) return [];
          var out = c.lines.filter(function (l) {
            return l.kind === kind && l.key !== prefix && l.key.indexOf(prefix) === 0 && chunkOf(l.key) === at;
          });
          out.sort(function (a, b) { return b.df - a.df || cmp(a.key, b.key); });
          return out.slice(0, meta.rank.complete).map(function (l) {
            if (r !== undefined) route.set(kind + l.key, r);
            return l.key;
          });
        }
      };
    });
  }

  // ------------------------------------------------------------ ranking

  function chars(s) { return Array.from(s).length; }

  // rank_title_len(): the title length of a document, from the runs in meta
  function titleLen(d) {
    var L = meta.lengths, lo = 0, hi = L.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (L[mid][0] <= d) lo = mid + 1; else hi = mid; }
    return lo ? L[lo - 1][1] : 0;
  }

  // rank_query(): every hit, best first: {doc, code, title, late, score}.
  // Per document, as struct eval in rank.c: arrays of ndocs, and the
  // documents touched (in a round: rlist) listed.
  function rank(src, q) {
    var R = meta.rank, n = Math.min(q.length, R.maxterms);
    if (n > 1 && chars(q[n - 1]) < R.prefixmin) n--;
    if (n === 0 || !src || src.ndocs === 0) return [];
    var prefix = chars(q[n - 1]) >= R.prefixmin, N = src.ndocs;
    var total = new Float64Array(N), best = new Float64Array(N), round = new Int32Array(N), mask = new Uint32Array(N),
      tmask = new Uint32Array(N), pmask = new Uint32Array(N), code = new Uint8Array(N), late = new Uint8Array(N),
      seen = new Uint8Array(N), touched = [], rlist = [], r = 0;
    function apply(key, kind, w, bits, pbit, isCode) {
      var s = src.postings(key, kind), p = s === null ? null : decode(s, N);
      if (!p) return;
      for (var i = 0; i < p.length; i++) {
        var d = Math.floor(p[i] / POST), v = p[i] - d * POST, level = v >> 3, fl = v & 7;
        if (!seen[d]) { seen[d] = 1; touched.push(d); }
        if (round[d] !== r) { round[d] = r; best[d] = 0; rlist.push(d); }
        if (w * level > best[d]) best[d] = w * level;
        mask[d] |= bits;
        if (fl & F_TITLE) { tmask[d] |= bits; pmask[d] |= pbit; }
        if (fl & F_LATE) late[d] = 1;
        if (isCode && (fl & F_CODE)) code[d] = 1;
      }
    }
    function completions(prefix, kind, w, bits, pbit) {
      src.complete(prefix, kind).forEach(function (k) { apply(k, kind, w, bits, pbit, false); });
    }
    function inRound(fn) {
      r++;
      rlist = [];
      fn();
      for (var i = 0; i < rlist.length; i++) total[rlist[i]] += best[rlist[i]];
    }
    for (var i = 0; i < n; i++) {
      inRound(function () {
        apply(q[i], WORD, R.exact, 1 << i, 0, n === 1);
        apply(q[i], PAIR, R.exact, 1 << i, 0, false);
        if (i === n - 1 && prefix && n === 1) completions(q[i], WORD, R.prefix, 1 << i, 0);
      });
    }
    for (var j = 0; j + 1 < n; j++) {
      var pair = q[j] + q[j + 1], bits = 3 << j;
      inRound(function () {
        apply(pair, PAIR, R.pair, bits, 1 << j, false);
        if (j + 2 === n && prefix) completions(pair, PAIR, R.pairpre, bits, 1 << j);
      });
    }
    // every word, or when no document has them all, the most of them
    var need = (1 << n) - 1, pneed = (1 << (n - 1)) - 1, most = 0, hits = [], lead = R.lead.split(" ");
    var qn = n >= lead.length && lead.every(function (w, i) { return q[i] === w; }) ? n - lead.length : n;
    function popcount(m) { var c = 0; for (; m; m &= m - 1) c++; return c; }
    touched.forEach(function (d) { most = Math.max(most, popcount(mask[d] & need)); });
    touched.forEach(function (d) {
      var m = mask[d] & need;
      if (popcount(m) < most) return;
      var title = (tmask[d] & m) !== m ? 0 : (pmask[d] & pneed) !== pneed ? 1 :
        titleLen(d) === qn ? 3 : 2;
      hits.push({ doc: d, code: code[d] ? 0 : 1, title: m === need ? title : 0, late: late[d], score: total[d] });
    });
    // in a title class, the lower document number is the shorter title (rank.h)
    hits.sort(function (a, b) {
      return a.code - b.code || b.title - a.title || a.late - b.late || (a.title ? a.doc - b.doc : 0) ||
        b.score - a.score || a.doc - b.doc;
    });
    return hits;
  }

  function search(q) {
    var words = split(queryTerms(q));
    if (!words.length) return Promise.resolve({ hits: [], words: words, read: [] });
    return source(words.slice(0, meta.rank.maxterms)).then(function (src) {
      return { hits: rank(src, words), words: words, read: src ? src.read : [] };
    });
  }

  function block(d) { return Math.floor(d / meta.block); }   // d/N.json holds document d
  function record(d) {
    return get("d/" + block(d) + ".json", "json").then(function (b) { return b[d % meta.block]; });
  }

  // The first page of results: up to PAGE hits, in order, as long as the
  // blocks their records need (those not fetched yet) stay within what
  // SPEC §6 leaves of a first query's 5 requests (meta.rank.files + 1)
  // and 60 KB (meta.rank.bytes) once its term files are read (read, their
  // numbers; meta.sizes: every file's gzipped bytes); the first hit's
  // block always. Hits scattered over many blocks show the first few,
  // and "more" the rest.
  function firstPage(hits, read) {
    var R = meta.rank, Z = meta.sizes, blocks = new Set(), n = 0, reqs = read.length, bytes = 0;
    read.forEach(function (f) { bytes += Z.t[f] || 0; });
    for (; n < hits.length && n < PAGE; n++) {
      var b = block(hits[n].doc);
      if (files.has("d/" + b + ".json") || blocks.has(b)) continue;
      if (n > 0 && (reqs + 1 > R.files + 1 || bytes + (Z.d[b] || 0) > R.bytes)) break;
      blocks.add(b);
      reqs++;
      bytes += Z.d[b] || 0;
    }
    return n;
  }

  function filtered(hits, f) {
    if (!f.field && !f.level && !f.online) return Promise.resolve(hits);
    return (facets ? Promise.resolve(facets) : get("f.txt").then(function (t) {
      facets = t.split("\n").map(function (l) { return l.split(",").map(Number); });
      return facets;
    })).then(function (fa) {
      return hits.filter(function (x) {
        var r = fa[x.doc] || [0, 0, 0];
        return (!f.field || r[0] === Number(f.field)) && (!f.level || (r[1] & Number(f.level))) &&
          (!f.online || r[2] === Number(f.online));
      });
    });
  }

  // ------------------------------------------------------------ showing

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.appendChild(document.createTextNode(String(text)));
    return e;
  }

  // Which query words (bit i) a word of the text is; search.c's matches().
  function matches(part, words) {
    var m = 0;
    terms(fold(part)).map(norm).forEach(function (x) {
      words.forEach(function (w, i) {
        if (x === w || (i === words.length - 1 && chars(w) >= meta.rank.prefixmin && x.indexOf(w) === 0)) m |= 1 << i;
      });
    });
    return m;
  }

  // The best-matching passage of the excerpt, as search_snippet() picks it.
  function snippet(text, words) {
    var p = el("p", "snippet"), w = text.split(/\s+/).filter(Boolean), hit = w.map(function (x) { return matches(x, words); });
    var from = 0, best = 0, SPAN = 24;
    for (var s = 0; s < w.length; s++) {
      if (!hit[s]) continue;
      var all = 0, pairs = 0, hits = 0;
      for (var i = s; i < w.length && i < s + SPAN; i++) {
        all |= hit[i];
        if (hit[i]) hits++;
        if (i > s && (hit[i] & (hit[i - 1] << 1))) pairs++;
      }
      var bits = 0;
      for (var a = all; a; a &= a - 1) bits++;
      var score = bits * 10000 + pairs * 100 + hits;
      if (score > best) { best = score; from = s; }
    }
    from = from < 4 ? 0 : from - 4;
    var to = Math.min(w.length, from + SPAN);
    if (from > 0) p.appendChild(document.createTextNode("… "));
    for (var j = from; j < to; j++) {
      if (j > from) p.appendChild(document.createTextNode(" "));
      p.appendChild(hit[j] ? el("mark", null, w[j]) : document.createTextNode(w[j]));
    }
    if (to < w.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function item(f, words, S) {
    var li = el("li", "result"), h = el("h2", "result-title"), a = el("a", null, f.t);
    a.href = base + f.u.replace(/^\//, "");
    h.appendChild(a);
    li.appendChild(h);
    var info = [];
    if (f.c) info.push(S.code + " " + f.c);
    if (f.f) info.push(f.f);
    if (f.s && S.states[f.s]) info.push(S.states[f.s]);
    if (info.length) li.appendChild(el("p", "result-meta", info.join(" · ")));
    li.appendChild(snippet(f.x || "", words));
    return li;
  }

  var seq = 0;
  function show(q) {
    var my = ++seq, out = document.getElementById("search-results"), status = document.getElementById("search-status");
    var S = STR[lang] || STR.vi;
    if (!q.trim()) { out.textContent = ""; status.textContent = ""; return Promise.resolve(); }
    return search(q).then(function (r) {
      return filtered(r.hits, currentFilters()).then(function (hits) {
        var ol = el("ol", "results"), shown = 0;
        function more() {
          var page = hits.slice(shown, shown + (shown ? PAGE : firstPage(hits, r.read)));
          shown += page.length;
          return Promise.all(page.map(function (h) { return record(h.doc); })).then(function (recs) {
            if (my !== seq) return;
            if (!ol.parentNode) { out.textContent = ""; out.appendChild(ol); }
            recs.forEach(function (f) { if (f) ol.appendChild(item(f, r.words, S)); });
            var old = document.getElementById("search-more");
            if (old) old.remove();
            if (shown < hits.length) {
              var b = el("button", "more", S.more);
              b.id = "search-more";
              b.type = "button";
              b.addEventListener("click", function () { more(); });
              out.appendChild(b);
            }
          });
        }
        if (!hits.length) out.textContent = "";
        return (hits.length ? more() : Promise.resolve()).then(function () {
          if (my !== seq) return;
          status.textContent = hits.length ? hits.length + " " + S.results : S.none + " “" + q + "”";
        });
      });
    }).catch(function () { if (my === seq) { out.textContent = ""; status.textContent = S.error; } });
  }

  function select(id, label, options) {
    var wrap = el("div", "filter"), l = el("label", null, label), s = document.createElement("select");
    s.id = id;
    l.htmlFor = id;
    s.appendChild(new Option((STR[lang] || STR.vi).all, ""));
    options.forEach(function (o) { s.appendChild(new Option(o[1], o[0])); });
    wrap.appendChild(l);
    wrap.appendChild(s);
    return wrap;
  }

  function currentFilters() {
    function v(id) { var e = document.getElementById(id); return e ? e.value : ""; }
    return { field: v("filter-field"), level: v("filter-level"), online: v("filter-online") };
  }

  // The index's meta (inlined in the page, else fetched), checked, and
  // groupOf made from it: once, for the page and for congkhaiSearch alike.
  var metaLoaded;
  function loadMeta() {
    if (!metaLoaded) {
      var inline = document.getElementById("search-meta"), m = null;
      if (inline && inline.textContent.trim()) {
        try { m = JSON.parse(inline.textContent); } catch (e) { /* fetched below */ }
      }
      metaLoaded = (m ? Promise.resolve(m) : get("meta.json", "json")).then(function (m) {
        if (!m || m.v !== 7) throw new Error("index");
        meta = m;
        (m.groups || []).forEach(function (g, i) {
          g.split(" ").forEach(function (w) {
            if (!groupOf.has(w)) groupOf.set(w, []);
            var gs = groupOf.get(w);
            if (gs[gs.length - 1] !== m.chunks.length + i) gs.push(m.chunks.length + i);
          });
        });
        return m;
      });
    }
    return metaLoaded;
  }

  function start() {
    app = document.getElementById("search-app");
    if (!app) return;
    root = app.getAttribute("data-index");
    base = root.replace(/tim-kiem\/i\/$/, "");
    lang = app.getAttribute("data-lang") || "vi";
    var S = STR[lang] || STR.vi, input = document.getElementById("q"), form = input.form;
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    loadMeta().then(function (m) {
      var f = document.getElementById("search-filters");
      f.appendChild(select("filter-field", S.field, m.fields.map(function (x, i) { return [String(i + 1), x]; })));
      f.appendChild(select("filter-level", S.level, [["1", S.levels[0]], ["2", S.levels[1]], ["4", S.levels[2]]]));
      f.appendChild(select("filter-online", S.online, [["1", S.onlines[0]], ["2", S.onlines[1]], ["3", S.onlines[2]]]));
      f.addEventListener("change", function () { show(input.value); });
      var timer;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var u = new URL(location.href);
          u.searchParams.set("q", input.value);
          history.replaceState(null, "", u);
          show(input.value);
        }, 120);
      });
      form.addEventListener("submit", function (e) { e.preventDefault(); show(input.value); });
      return show(q);
    }).catch(function () {
      document.getElementById("search-status").textContent = S.error;
    });
  }

  // For tests and other scripts: the folding, and the ranked documents of a query.
  window.congkhaiSearch = {
    fold: fold, terms: terms, norm: norm,
    split: function (words) { return loadMeta().then(function () { return split(words); }); },
    query: function (q) {
      return loadMeta().then(function () {
        return search(q);
      }).then(function (r) {
        return Promise.all(r.hits.map(function (h) {
          return record(h.doc).then(function (f) { return { url: f.u, code: f.c || null, score: h.score }; });
        }));
      });
    }
  };
  // search.html loads this as an async module: it runs as soon as the
  // parser reaches it, without waiting for the stylesheet, so the index
  // files are on their way while the page is styled. What start() needs
  // stands before it in the page.
  if (document.readyState === "loading" && !document.getElementById("search-meta"))
    document.addEventListener("DOMContentLoaded", start);
  else start();
})();
