// search.js — congkhai's search in the browser, no framework, no WASM.
// It folds text exactly as the core does (NFC, lower case, marks removed,
// đ → d; tests/fixtures/fold-vectors.txt proves it), splits it into terms
// the same way, and fetches only the index files a query needs: one
// postings shard per term (by FNV-1a hash), the prefix list for the last,
// unfinished word, and one small fragment per result shown. Results are
// built from text nodes only. Filters: field, level, online service.
(function () {
  "use strict";

  var STR = {
    vi: { results: "kết quả", none: "Không tìm thấy kết quả cho", field: "Lĩnh vực", level: "Cấp thực hiện",
      online: "Dịch vụ trực tuyến", all: "Tất cả", levels: ["Cấp tỉnh", "Cấp huyện", "Cấp xã"],
      onlines: ["Trực tuyến toàn trình", "Trực tuyến một phần", "Chưa trực tuyến"],
      states: { abolished: "Đã bãi bỏ", "not-yet": "Chưa có hiệu lực", deleted: "Không còn công khai" },
      code: "Mã", error: "Không tải được chỉ mục tìm kiếm." },
    en: { results: "results", none: "No results for", field: "Field", level: "Level",
      online: "Online service", all: "All", levels: ["Province", "District", "Commune"],
      onlines: ["Fully online", "Partly online", "Not online"],
      states: { abolished: "Abolished", "not-yet": "Not yet in force", deleted: "No longer published" },
      code: "Code", error: "The search index could not be loaded." }
  };
  var MAX_RESULTS = 20, MAX_EXPANSION = 8;

  // ------------------------------------------------------------ folding

  function fold(s) {
    return s.normalize("NFD").toLowerCase().replace(/\p{M}/gu, "").replace(/\u0111/g, "d");
  }

  var WORD = /[\p{L}\p{N}\p{M}]/u, DIGIT = /[0-9]/;

  // Terms of folded text: runs of letters and digits; a "." between two
  // ASCII digits stays inside (codes like 1.001193). Mirrors index_terms().
  function terms(s) {
    var out = [], cur = "", chars = Array.from(s);
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i], word = WORD.test(c);
      if (c === "." && cur && DIGIT.test(chars[i - 1] || "") && DIGIT.test(chars[i + 1] || "")) word = true;
      if (word) cur += c;
      else if (cur) { out.push(cur); cur = ""; }
    }
    if (cur) out.push(cur);
    return out;
  }

  var encoder = new TextEncoder();
  function fnv32(s) {
    var b = encoder.encode(s), h = 2166136261;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h;
  }
  function hex2(n) { return (n < 16 ? "0" : "") + n.toString(16); }

  // ------------------------------------------------------------ fetching

  var app, base, root, lang, meta, facets, files = new Map();

  function get(path, kind) {
    if (!files.has(path)) {
      files.set(path, fetch(root + path).then(function (r) {
        if (!r.ok) return kind === "json" ? null : "";
        return kind === "json" ? r.json() : r.text();
      }).catch(function () { return kind === "json" ? null : ""; }));
    }
    return files.get(path);
  }

  function shardPath(term) {
    var b = (fnv32(term) & (meta.b - 1)).toString(16);
    while (b.length < 3) b = "0" + b;
    return "t/" + b + ".txt";
  }

  // The postings of an exact term: Map doc → score (score*2+1: not in force).
  function postings(term) {
    return get(shardPath(term)).then(function (text) {
      var m = new Map(), start = text.indexOf(term + "\t");
      while (start > 0 && text[start - 1] !== "\n") start = text.indexOf(term + "\t", start + 1);
      if (start < 0) return m;
      var end = text.indexOf("\n", start);
      var list = text.slice(start + term.length + 1, end < 0 ? undefined : end).split(";"), doc = 0;
      for (var i = 0; i < list.length; i++) {
        if (!list[i]) continue;
        var kv = list[i].split(",");
        doc += parseInt(kv[0], 36);
        m.set(doc, parseInt(kv[1], 36));
      }
      return m;
    });
  }

  // The last word: itself, and the most frequent indexed terms it begins
  // (prefix lists exist for the first 2 and 3 bytes of every term).
  function expand(prefix) {
    var b = encoder.encode(prefix);
    if (b.length < 2) return Promise.resolve([prefix]);
    var key = "";
    for (var i = 0; i < Math.min(b.length, 3); i++) key += hex2(b[i]);
    return get("p/" + key + ".txt").then(function (text) {
      var out = [];
      text.split("\n").forEach(function (line) {
        var t = line.split("\t")[0];
        if (t && t.indexOf(prefix) === 0 && out.length < MAX_EXPANSION) out.push(t);
      });
      if (out.indexOf(prefix) < 0) out.unshift(prefix);
      return out.slice(0, MAX_EXPANSION);
    });
  }

  function union(maps) {
    var m = new Map();
    maps.forEach(function (p) {
      p.forEach(function (v, d) { if (!m.has(d) || m.get(d) < v) m.set(d, v); });
    });
    return m;
  }

  // ------------------------------------------------------------ ranking

  var CODE = /^[0-9]\.[0-9]{6}$/;

  function run(q, filters) {
    var words = terms(fold(q));
    if (!words.length) return Promise.resolve({ docs: [], words: words });
    var last = words[words.length - 1];
    var lists = words.slice(0, -1).map(postings);
    lists.push(expand(last).then(function (ts) { return Promise.all(ts.map(postings)).then(union); }));
    return Promise.all(lists).then(function (maps) {
      maps.sort(function (a, b) { return a.size - b.size; });
      var scored = [];
      maps[0].forEach(function (v, d) {
        var total = 0, late = v & 1;
        for (var i = 0; i < maps.length; i++) {
          var w = maps[i].get(d);
          if (w === undefined) return;
          total += w >> 1;
          late |= w & 1;
        }
        scored.push({ d: d, s: total, late: late });
      });
      return filtered(scored, filters).then(function (list) {
        list.sort(function (a, b) { return a.late - b.late || b.s - a.s || a.d - b.d; });
        return { docs: list, words: words, code: words.length === 1 && CODE.test(last) ? last : null };
      });
    });
  }

  function filtered(list, f) {
    if (!f.field && !f.level && !f.online) return Promise.resolve(list);
    return (facets ? Promise.resolve(facets) : get("f.txt").then(function (t) {
      facets = t.split("\n").map(function (l) { return l.split(",").map(Number); });
      return facets;
    })).then(function (fa) {
      return list.filter(function (x) {
        var r = fa[x.d] || [0, 0, 0];
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

  // The excerpt with the query's words marked, as text nodes and <mark>s.
  function snippet(text, words) {
    var p = el("p", "snippet"), parts = text.split(/(\s+)/);
    parts.forEach(function (part) {
      var t = terms(fold(part)), hit = t.some(function (x) {
        return words.some(function (w, i) { return i === words.length - 1 ? x.indexOf(w) === 0 : x === w; });
      });
      p.appendChild(hit && part.trim() ? el("mark", null, part) : document.createTextNode(part));
    });
    return p;
  }

  var seq = 0;
  function show(q) {
    var my = ++seq, out = document.getElementById("search-results"), S = STR[lang] || STR.vi;
    if (!q.trim()) { out.textContent = ""; return Promise.resolve(); }
    return run(q, currentFilters()).then(function (r) {
      var ids = r.docs.slice(0, MAX_RESULTS).map(function (x) { return x.d; });
      return Promise.all(ids.map(function (d) { return get("d/" + d + ".json", "json"); })).then(function (frags) {
        if (my !== seq) return;
        // as `congkhai search` does: an exact code first, then (keeping pages
        // not in force last) titles holding the query's words in order, and
        // procedures before other pages among those
        var phrase = r.words.join(" ");
        function tier(f, i) {
          if (!f) return [9, i];
          var late = r.docs[i].late, inTitle = terms(fold(f.t)).join(" ").indexOf(phrase) >= 0;
          return [r.code && f.c === r.code ? 0 : 1, late, inTitle ? 0 : 1, f.k === "procedure" ? 0 : 1, i];
        }
        var order = frags.map(function (f, i) { return { f: f, k: tier(f, i) }; });
        order.sort(function (a, b) {
          for (var j = 0; j < a.k.length; j++) if (a.k[j] !== b.k[j]) return a.k[j] - b.k[j];
          return 0;
        });
        frags = order.map(function (o) { return o.f; });
        out.textContent = "";
        var status = el("p", "result-count");
        status.textContent = r.docs.length ? r.docs.length + " " + S.results : S.none + " “" + q + "”";
        out.appendChild(status);
        if (!r.docs.length) return;
        var ol = el("ol", "results");
        frags.forEach(function (f) {
          if (!f) return;
          var li = el("li", "result"), h = el("h2", "result-title"), a = el("a", null, f.t);
          a.href = base + f.u.replace(/^\//, "");
          h.appendChild(a);
          li.appendChild(h);
          var info = [];
          if (f.c) info.push(S.code + " " + f.c);
          if (f.f) info.push(f.f);
          if (f.s && S.states[f.s]) info.push(S.states[f.s]);
          if (info.length) li.appendChild(el("p", "result-meta", info.join(" · ")));
          li.appendChild(snippet(f.x || "", r.words));
          ol.appendChild(li);
        });
        out.appendChild(ol);
      });
    }).catch(function () { out.textContent = S.error; });
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

  function start() {
    app = document.getElementById("search-app");
    if (!app) return;
    root = app.getAttribute("data-index");
    base = root.replace(/tim-kiem\/i\/$/, "");
    lang = app.getAttribute("data-lang") || "vi";
    var S = STR[lang] || STR.vi, input = document.getElementById("q"), form = input.form;
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    get("meta.json", "json").then(function (m) {
      if (!m) throw new Error("index");
      meta = m;
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
      document.getElementById("search-results").textContent = S.error;
    });
  }

  window.congkhaiSearch = { fold: fold, terms: terms };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
