-- sitemap — /sitemap.xml: every page, listing and feed-free URL the portal
-- writes, with absolute addresses and the last-modified date from history.
local M = { name = "sitemap", version = "1.0" }

local function esc(s) return congkhai.escape(s) end

function M.render(site)
  local seen, urls = {}, {}
  local function add(url, lastmod)
    if not seen[url] then
      seen[url] = true
      urls[#urls + 1] = { url = url, lastmod = lastmod }
    end
  end
  for _, k in ipairs({ "home", "procedures", "fields", "levels", "agencies", "news", "changes", "boards" }) do
    add(congkhai.url_for(k))
  end
  local r = site.results766              -- the results plugin's periods, when it has data
  if type(r) == "table" and r.url then
    add(r.url)
    for _, per in ipairs(r.periods or {}) do add(per.url) end
  end
  local known_level = {}
  for _, l in ipairs(congkhai.vocab.levels) do known_level[l] = true end
  for _, p in ipairs(site.pages) do
    add(p.url, p.history and p.history.updated or p.meta.date)
    if p.kind == "procedure" then
      add(congkhai.url_for("field", p.meta.field))
      if p.state == "in-force" then add(congkhai.url_for("board", p.meta.field)) end
      for _, a in ipairs(p.meta.agency) do add(congkhai.url_for("agency", a)) end
      for _, l in ipairs(p.meta.level) do
        if known_level[l] then add(congkhai.url_for("level", l)) end
      end
    end
  end
  for _, d in ipairs(site.deleted or {}) do add(d.url, d.deleted) end
  table.sort(urls, function(a, b) return a.url < b.url end)
  local out = { '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' }
  for _, u in ipairs(urls) do
    out[#out + 1] = "<url><loc>" .. esc(site:absurl(u.url)) .. "</loc>" ..
      (u.lastmod and ("<lastmod>" .. u.lastmod .. "</lastmod>") or "") .. "</url>"
  end
  out[#out + 1] = "</urlset>\n"
  site:write("sitemap.xml", table.concat(out, "\n"))
end

return M
