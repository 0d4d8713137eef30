-- redirects — for every `aliases` path of a page, and every URL a page had
-- under an earlier file name (from git history: history.former_urls), a
-- small page that sends the reader on to the page's URL (meta refresh,
-- canonical link, and a visible link for browsers that do not follow it).
-- A former URL that another page now uses is left to that page.
local M = { name = "redirects", version = "1.0" }

local function esc(s) return congkhai.escape(s) end

local function target_file(alias)
  local path = alias:gsub("^/", "")
  if path == "" or path:sub(-1) == "/" then return path .. "index.html" end
  if path:match("%.html?$") then return path end
  return path .. "/index.html"
end

function M.render(site)
  local moved = site.language == "en" and "This page has moved to" or "Trang này đã chuyển tới"
  local taken = {}
  for _, p in ipairs(site.pages) do taken[p.url] = true end
  for _, p in ipairs(site.pages) do
    local from = {}
    for _, a in ipairs(p.meta.aliases or {}) do from[#from + 1] = a end
    for _, u in ipairs(p.history and p.history.former_urls or {}) do
      if not taken[u] then from[#from + 1] = u; taken[u] = true end
    end
    for _, alias in ipairs(from) do
      local to = site:link(p.url)
      site:write(target_file(alias), table.concat({
        "<!DOCTYPE html>",
        '<html lang="' .. site.language .. '"><head><meta charset="utf-8">',
        "<title>" .. esc(p.title) .. "</title>",
        '<link rel="canonical" href="' .. esc(site:absurl(p.url)) .. '">',
        '<meta name="robots" content="noindex">',
        '<meta http-equiv="refresh" content="0; url=' .. esc(to) .. '">',
        "</head><body>",
        "<p>" .. moved .. ' <a href="' .. esc(to) .. '">' .. esc(p.title) .. "</a>.</p>",
        "</body></html>", "" }, "\n"))
    end
  end
end

return M
