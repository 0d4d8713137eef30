-- changes — /thay-doi/: recent significant changes across the site, grouped
-- by month, newest first, and /thay-doi/feed.xml (Atom) of the same. Reads
-- page.history and site.deleted; renders through the theme (site.theme)
-- when there is one. Option `limit` (default 200 entries).
local M = { name = "changes", version = "1.0", options = { limit = 200 } }

local limit = 200

local function esc(s) return congkhai.escape(s or "") end

local S = {
  vi = { title = "Thay đổi gần đây", intro = "Các thay đổi đáng kể của thủ tục, tin bài và trang, mới nhất trước.",
         none = "Chưa có thay đổi nào được ghi nhận.", deleted = "thôi công khai", home = "Trang chủ" },
  en = { title = "Recent changes", intro = "Significant changes to procedures, articles and pages, newest first.",
         none = "No changes recorded yet.", deleted = "no longer published", home = "Home" },
}

function M.setup(site, options)
  limit = tonumber(options.limit) or M.options.limit
end

-- Every significant change: { date, time, note, commit, title, url, code }
local function collect(site)
  local list = {}
  local function add(p, e, title, url, code)
    list[#list + 1] = { date = e.date, time = e.time or e.date, note = e.note, commit = e.commit,
      title = title, url = url, code = code }
  end
  for _, p in ipairs(site.pages) do
    for _, e in ipairs(p.history and p.history.entries or {}) do
      add(p, e, p.title, p.url, p.meta.code)
    end
  end
  for _, d in ipairs(site.deleted or {}) do
    for _, e in ipairs(d.history and d.history.entries or {}) do add(d, e, d.title, d.url, d.code) end
  end
  table.sort(list, function(a, b)
    if a.time ~= b.time then return a.time > b.time end
    if a.url ~= b.url then return a.url < b.url end
    return (a.commit or "") < (b.commit or "")
  end)
  while #list > limit do list[#list] = nil end
  return list
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
      "</time>: " .. esc(c.note) .. "</span></li>"
  end
  if month then out[#out + 1] = "</ul></section>" end
  return table.concat(out, "\n")
end

local function feed(site, s, list)
  local entries = {}
  for i = 1, math.min(50, #list) do
    local c = list[i]
    local url = site:absurl(c.url)
    entries[#entries + 1] = table.concat({ "<entry>",
      "<title>" .. esc((c.code and (c.code .. " ") or "") .. c.title .. ": " .. c.note) .. "</title>",
      '<link href="' .. esc(url) .. '"/>',
      "<id>" .. esc(url .. "#" .. (c.commit or c.date)) .. "</id>",
      "<updated>" .. esc(c.time:find("T") and c.time or congkhai.date(c.date, "rfc3339")) .. "</updated>",
      "<summary>" .. esc(c.note) .. "</summary>", "</entry>" }, "\n")
  end
  local updated = list[1] and (list[1].time:find("T") and list[1].time or congkhai.date(list[1].date, "rfc3339"))
    or congkhai.date(site.asof, "rfc3339")
  return table.concat({ '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="' .. site.language .. '">',
    "<title>" .. esc(site.title .. " · " .. s.title) .. "</title>",
    '<link href="' .. esc(site:absurl("/thay-doi/")) .. '"/>',
    '<link rel="self" href="' .. esc(site:absurl("/thay-doi/feed.xml")) .. '"/>',
    "<id>" .. esc(site:absurl("/thay-doi/feed.xml")) .. "</id>",
    "<updated>" .. updated .. "</updated>",
    "<author><name>" .. esc(site.organization or site.title) .. "</name></author>",
    table.concat(entries, "\n"), "</feed>", "" }, "\n")
end

function M.render(site)
  local s = S[site.language] or S.vi
  local list = collect(site)
  local body = html_body(site, s, list)
  local html
  if site.theme and site.theme.page then
    html = site.theme.page({ title = s.title, body = body, url = "/thay-doi/",
      breadcrumbs = { { title = s.home, url = "/" }, { title = s.title } } })
  else
    html = '<!DOCTYPE html>\n<html lang="' .. site.language .. '"><head><meta charset="utf-8">' ..
      '<meta name="viewport" content="width=device-width, initial-scale=1"><title>' .. esc(s.title) ..
      "</title></head><body><main>" .. body .. "</main></body></html>\n"
  end
  site:write("thay-doi/index.html", html)
  site:write("thay-doi/feed.xml", feed(site, s, list))
end

return M
