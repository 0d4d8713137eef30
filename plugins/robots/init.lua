-- robots — /robots.txt: everything may be crawled; points at the sitemap.
local M = { name = "robots", version = "1.0" }

function M.render(site)
  site:write("robots.txt", "User-agent: *\nAllow: /\n\nSitemap: " .. site:absurl("/sitemap.xml") .. "\n")
end

return M
