-- word-count — the worked example of docs/plugins.md. It counts the words of
-- every procedure in its page hook, warns about procedures shorter than
-- `min_words` (an option from site.yaml), and writes a JSON report and an
-- HTML page rendered with its own template through the portal's layout.
local M = { name = "word-count", version = "1.0", options = { min_words = 50 } }

local min_words = 50
local counts = {}

function M.setup(site, options)
  min_words = tonumber(options.min_words) or min_words
end

function M.page(page, site)
  if page.kind ~= "procedure" then return end
  local n = 0
  for _ in page.text:gmatch("%S+") do n = n + 1 end
  page.word_count = n                 -- later plugins see it too
  counts[#counts + 1] = { code = page.meta.code, title = page.title, url = page.url, words = n }
  if n < min_words then
    site:warn(string.format("only %d words; citizens may need more detail", n), page)
  end
end

function M.render(site)
  table.sort(counts, function(a, b) return a.code < b.code end)
  site:write("bao-cao/so-tu.json", congkhai.json(counts))
  local body = congkhai.template_file("report.html")({ counts = counts, link = function(u) return site:link(u) end })
  local html = site.theme and site.theme.page({ title = "Số từ", body = body, url = "/bao-cao/so-tu/" }) or body
  site:write("bao-cao/so-tu/index.html", html)
end

return M
