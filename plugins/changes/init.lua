-- changes — /thay-doi/: recent significant changes across the site, grouped
-- by month, newest first, and Atom feeds of changes (SPEC §4): the site's
-- (/thay-doi/feed.xml), one per field (/linh-vuc/<slug>/feed.xml) and one
-- per procedure (/thu-tuc/<code>/feed.xml), all written by atom(). Reads
-- page.history and site.deleted; renders through the theme (site.theme)
-- when there is one. A page's first publication is said "Đăng lần đầu",
-- never by its commit subject. Option `limit` (default 200 entries).
local M = { name = "changes", version = "1.1", options = { limit = 200 } }

local limit = 200
local FEED_ENTRIES = 50

local function esc(s) return congkhai.escape(s or "") end
-- XML 1.0 has no place for most control characters: drop them, then escape.
local function xml(s)
  local clean = tostring(s or ""):gsub("[\0-\8\11\12\14-\31]", "")
  return esc(clean)
end

local S = {
  vi = { title = "Thay đổi gần đây", intro = "Các thay đổi đáng kể của thủ tục, tin bài và trang, mới nhất trước.",
         none = "Chưa có thay đổi nào được ghi nhận.", deleted = "thôi công khai", home = "Trang chủ",
         first = "Đăng lần đầu", field_feed = "Thay đổi trong lĩnh vực %s", proc_feed = "Thay đổi của thủ tục %s",
         text_changed = "nội dung thay đổi", added = "thêm", removed = "bỏ", empty = "(trống)" },
  en = { title = "Recent changes", intro = "Significant changes to procedures, articles and pages, newest first.",
         none = "No changes recorded yet.", deleted = "no longer published", home = "Home",
         first = "First published", field_feed = "Changes in the field %s", proc_feed = "Changes to procedure %s",
         text_changed = "text changed", added = "added", removed = "removed", empty = "(empty)" },
}

function M.setup(site, options)
  limit = tonumber(options.limit) or M.options.limit
end

-- One change for every significant history entry of page-like p (a page,
-- or a deleted procedure of site.deleted, which has `deleted`): { date,
-- time, note, first, commit, title, url, code, changes }.
local function changes_of(p, title, code, into)
  local h = p.history
  for i, e in ipairs(h and h.entries or {}) do
    into[#into + 1] = { date = e.date, time = e.time or e.date, note = e.note, first = e.first == true,
      commit = e.commit, title = title, url = p.url, code = code, changes = e.changes }
  end
  return into
end

local function newest_first(list)
  table.sort(list, function(a, b)
    if a.time ~= b.time then return a.time > b.time end
    if a.url ~= b.url then return a.url < b.url end
    return (a.commit or "") < (b.commit or "")
  end)
  return list
end

-- Every significant change across the site, newest first, at most `limit`.
local function collect(site)
  local list = {}
  for _, p in ipairs(site.pages) do
    changes_of(p, p.title, p.kind == "procedure" and p.meta.code or nil, list)
  end
  for _, d in ipairs(site.deleted or {}) do changes_of(d, d.title, d.code, list) end
  newest_first(list)
  while #list > limit do list[#list] = nil end
  return list
end

-- What a change is called: its note, or "Đăng lần đầu" for a first publication.
local function note_of(s, c) return c.first and s.first or (c.note or "") end

-- The changed facts, one line each: "Phí, lệ phí: 50.000 đồng → 30.000 đồng".
local function change_lines(s, c)
  local lines = {}
  for _, x in ipairs(c.changes or {}) do
    if x.field then
      local old = x.old ~= nil and x.old ~= "" and tostring(x.old) or s.empty
      local new = x.new ~= nil and x.new ~= "" and tostring(x.new) or s.empty
      lines[#lines + 1] = congkhai.label(x.field) .. ": " .. old .. " → " .. new
    elseif x.section then
      local parts = {}
      if x.added and #x.added > 0 then parts[#parts + 1] = s.added .. " " .. table.concat(x.added, "; ") end
      if x.removed and #x.removed > 0 then parts[#parts + 1] = s.removed .. " " .. table.concat(x.removed, "; ") end
      if x.text_changed then parts[#parts + 1] = s.text_changed end
      lines[#lines + 1] = x.section .. ": " .. table.concat(parts, "; ")
    end
  end
  return lines
end

local function html_body(site, s, list)
  local out = { "<h1>" .. esc(s.title) .. "</h1>", '<p class="lead">' .. esc(s.intro) .. "</p>" }
  if #list == 0 then out[#out + 1] = "<p>" .. esc(s.none) .. "</p>" end
  local month
  for _, c in ipairs(list) do
    local m = c.date:sub(1, 7)
    if m ~= month then
      if month then out[#out + 1] = "</ul></section>" end
      month = m
      out[#out + 1] = '<section class="group"><h2>' .. esc(congkhai.date(m .. "-01", "month")) .. "</h2><ul class=\"proc-list\">"
    end
    out[#out + 1] = '<li><a href="' .. esc(site:link(c.url)) .. '">' ..
      (c.code and ('<span class="code">' .. esc(c.code) .. "</span> ") or "") .. esc(c.title) .. "</a>" ..
      '<span class="proc-meta"><time datetime="' .. esc(c.date) .. '">' .. esc(congkhai.date(c.date)) ..
      "</time>: " .. esc(note_of(s, c)) .. "</span></li>"
  end
  if month then out[#out + 1] = "</ul></section>" end
  return table.concat(out, "\n")
end

local function stamp(c)
  return c.time:find("T") and c.time or congkhai.date(c.date, "rfc3339")
end

-- The one Atom writer. f = { self = feed URL, alternate = page URL, title,
-- list = changes newest first (at most `max` are written) }; URLs are
-- site-relative (url_for).
local function atom(site, s, f)
  local entries = {}
  for i = 1, math.min(f.max or #f.list, #f.list) do
    local c = f.list[i]
    local url = site:absurl(c.url)
    local note = note_of(s, c)
    local summary = { note }
    for _, l in ipairs(change_lines(s, c)) do summary[#summary + 1] = l end
    entries[#entries + 1] = table.concat({ "<entry>",
      "<title>" .. xml((c.code and (c.code .. " ") or "") .. c.title .. ": " .. note) .. "</title>",
      '<link href="' .. xml(url) .. '"/>',
      "<id>" .. xml(url .. "#" .. (c.commit or c.date)) .. "</id>",
      "<updated>" .. xml(stamp(c)) .. "</updated>",
      "<summary>" .. xml(table.concat(summary, "\n")) .. "</summary>", "</entry>" }, "\n")
  end
  local updated = f.list[1] and stamp(f.list[1]) or congkhai.date(site.asof, "rfc3339")
  local self = site:absurl(f.self)
  return table.concat({ '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="' .. xml(site.language) .. '">',
    "<title>" .. xml(site.title .. " · " .. f.title) .. "</title>",
    '<link href="' .. xml(site:absurl(f.alternate)) .. '"/>',
    '<link rel="self" href="' .. xml(self) .. '"/>',
    "<id>" .. xml(self) .. "</id>",
    "<updated>" .. xml(updated) .. "</updated>",
    "<author><name>" .. xml(site.organization or site.title) .. "</name></author>",
    table.concat(entries, "\n"), "</feed>", "" }, "\n")
end

-- Per field: the changes of the procedures whose meta.field is that field,
-- grouped by the feed's URL (names that slug alike share one feed).
local function field_feeds(site, s)
  local by, urls = {}, {}
  for _, p in ipairs(site.pages) do
    local field = p.kind == "procedure" and p.meta.field
    if type(field) == "string" and field ~= "" then
      local u = congkhai.url_for("field-feed", field)
      local g = by[u]
      if not g then
        g = { field = field, list = {} }
        by[u] = g
        urls[#urls + 1] = u
      elseif field < g.field then
        g.field = field
      end
      changes_of(p, p.title, p.meta.code, g.list)
    end
  end
  table.sort(urls)
  for _, u in ipairs(urls) do
    local g = by[u]
    site:write(u:sub(2), atom(site, s, { self = u, alternate = congkhai.url_for("field", g.field),
      title = string.format(s.field_feed, g.field), list = newest_first(g.list), max = FEED_ENTRIES }))
  end
end

-- Per procedure: its own significant changes, all of them; a deleted
-- procedure keeps its feed (its last entry is the deletion), as it keeps
-- its page. The procedures' feeds are written in -j processes, and kept
-- by site:each's memo while what a feed reads is the same: the
-- procedure's history, code, title and URL, and the site's title,
-- organization, language and address (the rest is in every key).
local function procedure_feeds(site, s)
  local function one(p, code, title)
    local u = congkhai.url_for("procedure-feed", code)
    site:write(u:sub(2), atom(site, s, { self = u, alternate = congkhai.url_for("procedure", code),
      title = string.format(s.proc_feed, code .. " " .. title), list = newest_first(changes_of(p, title, code, {})) }))
  end
  local shared = congkhai.digest(site.title, site.organization, site.language, site.base_url)
  site:each(site.procedures or {}, function(p) one(p, p.meta.code, p.title) end,
    function(p) return congkhai.digest(p.history, p.meta.code, p.title, p.url) .. shared end)
  for _, d in ipairs(site.deleted or {}) do one(d, d.code, d.title) end
end

function M.render(site)
  local s = S[site.language] or S.vi
  local list = collect(site)
  local body = html_body(site, s, list)
  local page_url = congkhai.url_for("changes")
  local html = site:page({ title = s.title, body = body, url = page_url,
      breadcrumbs = { { title = s.home, url = congkhai.url_for("home") }, { title = s.title } } })
  site:write(page_url:sub(2) .. "index.html", html)
  local feed_url = congkhai.url_for("changes-feed")
  site:write(feed_url:sub(2), atom(site, s, { self = feed_url, alternate = page_url, title = s.title,
    list = list, max = FEED_ENTRIES }))
  field_feeds(site, s)
  procedure_feeds(site, s)
end

return M
