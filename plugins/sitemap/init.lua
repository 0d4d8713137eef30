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
  for _, u in ipairs({ "/", "/thu-tuc/", "/linh-vuc/", "/cap/", "/co-quan/", "/tin-tuc/", "/thay-doi/" }) do
    add(u)
  end
  for _, p in ipairs(site.pages) do
    add(p.url, p.history and p.history.updated or p.meta.date)
    if p.kind == "procedure" then
      add("/linh-vuc/" .. congkhai.slug(p.meta.field) .. "/")
      for _, a in ipairs(p.meta.agency) do add("/co-quan/" .. congkhai.slug(a) .. "/") end
      for _, l in ipairs(p.meta.level) do
        add("/cap/" .. ({ ["tỉnh"] = "tinh", ["huyện"] = "huyen", ["xã"] = "xa" })[l] .. "/")
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
