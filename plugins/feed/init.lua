-- feed — /feed.xml: an Atom feed of the latest outreach items (news,
-- announcements, official letters, campaigns). Option `limit` (default 20).
-- Deterministic: "updated" is the newest entry's date, else the as-of date.
local M = { name = "feed", version = "1.0", options = { limit = 20 } }

local limit = 20

local function esc(s) return congkhai.escape(s or "") end

function M.setup(site, options)
  limit = tonumber(options.limit) or M.options.limit
end

function M.render(site)
  local entries = {}
  for i = 1, math.min(limit, #site.articles) do
    local a = site.articles[i]
    local url = site:absurl(a.url)
    entries[#entries + 1] = table.concat({
      "<entry>",
      "<title>" .. esc(a.title) .. "</title>",
      '<link href="' .. esc(url) .. '"/>',
      "<id>" .. esc(url) .. "</id>",
      "<updated>" .. congkhai.date(a.meta.date, "rfc3339") .. "</updated>",
      a.meta.summary and ("<summary>" .. esc(a.meta.summary) .. "</summary>") or "",
      '<content type="html">' .. esc(a.html) .. "</content>",
      "</entry>" }, "\n")
  end
  local updated = site.articles[1] and site.articles[1].meta.date or site.asof
  local xml = table.concat({
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="' .. site.language .. '">',
    "<title>" .. esc(site.title) .. "</title>",
    '<link href="' .. esc(site:absurl("/tin-tuc/")) .. '"/>',
    '<link rel="self" href="' .. esc(site:absurl("/feed.xml")) .. '"/>',
    "<id>" .. esc(site:absurl("/feed.xml")) .. "</id>",
    "<updated>" .. congkhai.date(updated, "rfc3339") .. "</updated>",
    "<author><name>" .. esc(site.organization or site.title) .. "</name></author>",
    table.concat(entries, "\n"),
    "</feed>", "" }, "\n")
  site:write("feed.xml", xml)
end

return M
