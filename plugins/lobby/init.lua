-- lobby — /bang-tin/: a full-screen page for the electronic notice board of
-- the one-stop desk (Bộ phận một cửa), readable from 3 m and needing no
-- interaction. Slides, each making sense alone: recent significant changes
-- to procedures, campaign messages and notices, the latest Decision 766
-- result (site.results766, from the results plugin) and the office's
-- contact. They rotate with CSS only (no JavaScript); with
-- prefers-reduced-motion: reduce (or a browser without media queries) they
-- are stacked and scroll. The page reloads itself every 10 minutes to pick
-- up rebuilds. Standalone: not through the theme, no menu, no links.
-- Options: `seconds` per slide (default 12), `limit` (changes listed,
-- default 6; campaign slides at most 4 and units of the 766 slide at most
-- `limit`).
local M = { name = "lobby", version = "1.0", options = { seconds = 12, limit = 6 } }

local seconds, limit = 12, 6

local function esc(s) return congkhai.escape(s == nil and "" or tostring(s)) end

local S = {
  vi = {
    page = "Bảng tin", changes = "Thủ tục hành chính mới cập nhật", first = "Đăng lần đầu",
    news = { ["chien-dich"] = "Chiến dịch", ["thong-bao"] = "Thông báo" },
    results = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)", period = "Kết quả %s",
    points = "điểm trên 100", rank = "Xếp hạng %s", label = "Xếp loại %s",
    contact = "Liên hệ", address = "Địa chỉ", phone = "Điện thoại", hotline = "Đường dây nóng",
    hours = "Giờ làm việc", web = "Tra cứu thủ tục tại", slide = "Trang %d/%d", source = "Nguồn: %s",
    w_seconds = "lobby: 'seconds' phải là số từ 3 đến 600; dùng %d",
    w_limit = "lobby: 'limit' phải là số nguyên từ 1 đến 20; dùng %d",
  },
  en = {
    page = "Notice board", changes = "Recently updated procedures", first = "First published",
    news = { ["chien-dich"] = "Campaign", ["thong-bao"] = "Notice" },
    results = "Service quality index (Decision 766/QĐ-TTg)", period = "Results for %s",
    points = "points out of 100", rank = "Ranked %s", label = "Rated %s",
    contact = "Contact", address = "Address", phone = "Phone", hotline = "Hotline",
    hours = "Opening hours", web = "Find procedures at", slide = "Slide %d of %d", source = "Source: %s",
    w_seconds = "lobby: 'seconds' must be a number from 3 to 600; using %d",
    w_limit = "lobby: 'limit' must be a whole number from 1 to 20; using %d",
  },
}

local s, lang

local function str(v)
  if type(v) == "string" then return v end
  if math.type(v) then return tostring(v) end
  return nil
end

-- at most n characters (UTF-8), with "…" when cut
local function cut(t, n) return congkhai.clip(str(t) or "", n) end

local function day(d)
  local ok, v = pcall(congkhai.date, d)
  return ok and v or str(d) or ""
end

local function dec(n)
  local t = string.format("%.2f", n)
  if t:sub(-1) == "0" then t = t:sub(1, -2) end
  return lang == "en" and t or (t:gsub("%.", ","))
end

function M.setup(site, options)
  lang = site.language == "en" and "en" or "vi"
  s = S[lang]
  local n = tonumber(options.seconds)
  if not n or n ~= n or n < 3 or n > 600 then
    site:warn(string.format(s.w_seconds, M.options.seconds)); n = M.options.seconds
  end
  seconds = n
  local l = tonumber(options.limit)
  if not l or l ~= math.floor(l) or l < 1 or l > 20 then
    site:warn(string.format(s.w_limit, M.options.limit)); l = M.options.limit
  end
  limit = math.tointeger(l)
end

-- ------------------------------------------------------------ slides
-- Each returns a list of slides { title =, body = (trusted HTML) }.

-- (a) significant changes of procedures, newest first
local function changes_slides(site)
  local list = {}
  for _, p in ipairs(site.pages) do
    local h = p.kind == "procedure" and type(p.history) == "table" and p.history or nil
    local entries = h and type(h.entries) == "table" and h.entries or {}
    for i, e in ipairs(entries) do
      if type(e) == "table" and str(e.date) then
        local first = e.first == true
        list[#list + 1] = { date = e.date, time = str(e.time) or e.date, code = str(p.meta.code) or "",
          title = str(p.title) or "", note = first and s.first or (str(e.note) or ""), first = first,
          commit = str(e.commit) or "" }
      end
    end
  end
  if #list == 0 then return {} end
  table.sort(list, function(a, b)
    if a.time ~= b.time then return a.time > b.time end
    if a.code ~= b.code then return a.code < b.code end
    return a.commit < b.commit
  end)
  local out = { '<ol class="changes">' }
  for i = 1, math.min(limit, #list) do
    local c = list[i]
    out[#out + 1] = '<li><p class="what"><span class="meta"><time datetime="' .. esc(c.date) .. '">' ..
      esc(day(c.date)) .. "</time>" .. (c.code ~= "" and (' · <span class="code">' .. esc(c.code) .. "</span>") or "") ..
      "</span> " .. esc(cut(c.title, 90)) .. "</p>" ..
      '<p class="note' .. (c.first and " first" or "") .. '">' .. esc(cut(c.note, 100)) .. "</p></li>"
  end
  out[#out + 1] = "</ol>"
  return { { title = s.changes, body = table.concat(out, "\n") } }
end

-- (b) campaigns and notices, newest first, one slide each
local function news_slides(site)
  local list = {}
  for _, p in ipairs(site.pages) do
    local k = p.kind == "article" and type(p.meta) == "table" and p.meta.kind
    if k == "chien-dich" or k == "thong-bao" then list[#list + 1] = p end
  end
  table.sort(list, function(a, b)
    local x, y = str(a.meta.date) or "", str(b.meta.date) or ""
    if x ~= y then return x > y end
    return a.path < b.path
  end)
  local slides = {}
  for i = 1, math.min(4, limit, #list) do
    local p = list[i]
    local body = '<p class="kicker">' .. esc(s.news[p.meta.kind]) ..
      (str(p.meta.date) and (' · <time datetime="' .. esc(p.meta.date) .. '">' .. esc(day(p.meta.date)) .. "</time>") or "") ..
      '</p><p class="headline">' .. esc(cut(p.title, 120)) .. "</p>"
    local sum = str(p.meta.summary)
    if sum and sum ~= "" then body = body .. '<p class="summary">' .. esc(cut(sum, 260)) .. "</p>" end
    slides[#slides + 1] = { title = s.news[p.meta.kind], body = body }
  end
  return slides
end

-- (c) the latest Decision 766 result, from the results plugin
local function results_slides(site)
  local m = site.results766
  local latest = type(m) == "table" and type(m.latest) == "table" and m.latest or nil
  if not latest or type(latest.results) ~= "table" or #latest.results == 0 then return {} end
  local period = str(latest.label) or str(latest.period) or ""
  local out = { '<p class="kicker">' .. esc(string.format(s.period, period)) .. '</p><ul class="units">' }
  local source
  for i = 1, math.min(limit, #latest.results) do
    local r = latest.results[i]
    if type(r) == "table" then
      local total = math.type(r.total) and dec(r.total) or str(r.total_text) or "—"
      local bits = {}
      if math.type(r.rank) then
        bits[#bits + 1] = esc(string.format(s.rank, congkhai.number(r.rank) ..
          (math.type(r.of) and ("/" .. congkhai.number(r.of)) or "")))
      end
      if str(r.label) and r.label ~= "" then bits[#bits + 1] = esc(string.format(s.label, r.label)) end
      out[#out + 1] = '<li><p class="unit">' .. esc(cut(r.unit, 80)) .. '</p><p class="score"><span class="big">' ..
        esc(total) .. "</span> " .. esc(s.points) .. "</p>" ..
        (#bits > 0 and ('<p class="rank">' .. table.concat(bits, " · ") .. "</p>") or "") .. "</li>"
      source = source or str(r.source)
    end
  end
  out[#out + 1] = "</ul>"
  if source then out[#out + 1] = '<p class="small">' .. esc(string.format(s.source, cut(source, 200))) .. "</p>" end
  return { { title = s.results, body = table.concat(out, "\n") } }
end

-- (d) the office's contact and the site's address
local function contact_body(site)
  local c = type(site.config.contact) == "table" and site.config.contact or {}
  local out = { "<dl>" }
  for _, k in ipairs({ "address", "phone", "hotline", "hours" }) do
    local v = str(c[k])
    if v and v ~= "" then
      out[#out + 1] = "<div><dt>" .. esc(s[k]) .. "</dt><dd>" .. esc(cut(v, 200)) .. "</dd></div>"
    end
  end
  if #out == 1 then return nil end
  out[#out + 1] = "</dl>"
  return table.concat(out, "\n")
end

local function site_address(site)
  return ((str(site.base_url) or ""):gsub("^https?://", ""):gsub("/$", ""))
end

-- ------------------------------------------------------------ the page

local CSS = [[
*{box-sizing:border-box}
html{font-size:clamp(18px,1.9vw,72px)}
body{margin:0;background:#0b1a33;color:#fff;font-family:system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;line-height:1.3}
.top,.bottom{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;padding:.4rem 1.5rem;background:#000;color:#fff}
.top h1{margin:0;font-size:1rem;font-weight:700}
.bottom{font-size:.8rem;color:#e8edf5}
.slides{position:relative}
.slide{padding:1rem 1.5rem;border-bottom:.15rem solid #ffd166}
.slide h2{margin:0 0 .6rem;font-size:1.5rem;line-height:1.15;color:#ffd166}
.count{font-size:.8rem;color:#e8edf5;margin:0 0 .3rem}
.changes,.units{list-style:none;margin:0;padding:0}
.changes li{padding:.3rem 0;border-top:.08rem solid #5d6f8f;font-size:.9rem}
.changes p,.units p{margin:0}
.kicker{color:#c9e2ff;font-size:.9rem}
.meta{color:#c9e2ff;font-weight:400;margin-right:.4rem}
.code{font-weight:700;color:#fff}
.what{font-weight:700}
.note{color:#e8edf5}
.note.first{color:#ffd166;font-weight:700}
.headline{font-size:1.6rem;font-weight:700;line-height:1.2;margin:.4rem 0}
.summary{font-size:1.15rem;margin:.4rem 0}
.units{display:flex;flex-wrap:wrap;gap:.5rem 2.5rem}
.units .unit{font-weight:700}
.units .big{font-size:2.4rem;font-weight:800;color:#ffd166}
.small{font-size:.8rem;color:#e8edf5}
dl{margin:0}dl div{margin:.3rem 0}dt{color:#c9e2ff;font-size:.9rem}dd{margin:0;font-size:1.2rem;font-weight:700}
.web{font-size:1.2rem;margin-top:.8rem}.web strong{color:#ffd166}
@media (prefers-reduced-motion: no-preference){
html,body{height:100%;overflow:hidden}
body{display:flex;flex-direction:column}
.slides{flex:1;overflow:hidden}
.rotate .slide{position:absolute;top:0;left:0;right:0;bottom:0;overflow:hidden;border:0;opacity:0;visibility:hidden}
}
@media (prefers-reduced-motion: reduce){
html,body{height:auto}
.slide,.rotate .slide{position:static;opacity:1;visibility:visible;animation:none}
}
]]

-- The rotation: every slide runs the same cycle of n×seconds, shifted by
-- its place; it is visible for the first 1/n of the cycle.
local function rotation_css(n)
  if n < 2 then return "" end
  local share = 100 / n
  local out = { "@media (prefers-reduced-motion: no-preference){",
    ".rotate .slide{animation:lobby-rotate " .. (n * seconds) .. "s step-end infinite}",
    string.format("@keyframes lobby-rotate{0%%{opacity:1;visibility:visible}%s%%{opacity:0;visibility:hidden}100%%{opacity:0;visibility:hidden}}",
      (string.format("%.4f", share):gsub("0+$", ""):gsub("%.$", ""))) }
  for i = 2, n do
    out[#out + 1] = ".rotate .slide:nth-child(" .. i .. "){animation-delay:" .. ((i - 1) * seconds) .. "s}"
  end
  out[#out + 1] = "}"
  return table.concat(out, "\n")
end

function M.render(site)
  local slides = {}
  for _, f in ipairs({ changes_slides, news_slides, results_slides }) do
    for _, sl in ipairs(f(site)) do slides[#slides + 1] = sl end
  end
  local contact = contact_body(site)
  local web = '<p class="web">' .. esc(s.web) .. " <strong>" .. esc(site_address(site)) .. "</strong></p>"
  if contact or #slides == 0 then
    slides[#slides + 1] = { title = #slides == 0 and (str(site.title) or s.contact) or s.contact,
      body = (contact or "") .. web }
  end
  local n = #slides
  local out = {}
  for i, sl in ipairs(slides) do
    out[#out + 1] = '<section class="slide" id="trang-' .. i .. '" aria-labelledby="trang-' .. i .. '-h">' ..
      (n > 1 and ('<p class="count">' .. esc(string.format(s.slide, i, n)) .. "</p>") or "") ..
      '<h2 id="trang-' .. i .. '-h">' .. esc(sl.title) .. "</h2>\n" .. sl.body .. "</section>"
  end
  local title = (str(site.organization) and site.organization ~= "" and site.organization) or str(site.title) or ""
  local html = table.concat({
    "<!DOCTYPE html>",
    '<html lang="' .. esc(site.language) .. '">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    -- picks up rebuilds; a script, not <meta refresh>, which WCAG 2.2.1 counts against a page
    "<script>setTimeout(function () { location.reload(); }, 600000);</script>",
    "<title>" .. esc(s.page .. " · " .. (str(site.title) or "")) .. "</title>",
    "<style>" .. CSS .. rotation_css(n) .. "</style>",
    "</head>",
    "<body>",
    '<header class="top"><h1>' .. esc(cut(title, 100)) .. "</h1><span>" .. esc(s.page) .. "</span></header>",
    '<main class="slides' .. (n > 1 and " rotate" or "") .. '">',
    table.concat(out, "\n"),
    "</main>",
    '<footer class="bottom"><span>' .. esc(cut(str(site.title) or "", 120)) .. "</span><span>" ..
      esc(site_address(site)) .. "</span></footer>",
    "</body>",
    "</html>", "" }, "\n")
  site:write(congkhai.url_for("lobby"):sub(2) .. "index.html", html)
end

return M
